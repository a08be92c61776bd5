"""Expressions: printed with the fewest parentheses that parse back to the same tree, on
one line when they fit in WIDTH columns, else broken at their logical joints.

Where lines break (docs/formatting.md):
  * an `and`/`or` chain: its operands are packed onto a line while they fit; the operator
    that does not fit starts a continuation line (greedy fill, as the shipped policies
    were written by hand);
  * `if C then A else B`: `then` and `else` each start a continuation line, and an
    `else if` chain stays flat, one `then`/`else` a line;
  * an aggregate `kind { v in S where W => V default D }`: its clauses (and the operands
    of an and/or chain in a clause) are packed the same way, continuation lines at the
    column of `v`.
  * a `+`/`-` run: like an and/or chain, before the operator;
  * a call's arguments, a list's items: packed after the `(` or `[`, continuation lines
    aligned with the first.
Nothing else breaks (`*`, comparisons, postfixes): such a line may pass WIDTH.
Parentheses are the fewest the grammar needs, but for one rule kept from the shipped
policies: an `and` inside an `or` is always bracketed.

Comments inside an expression (the AST keeps them apart, with their positions) are put
back at those joints: a comment between two operands of a chain, between the parts of an
`if`, or between an aggregate's clauses forces a break there.  A comment anywhere else in
an expression cannot be placed without moving a token, so it is handed back to the
caller ("hoisted"), which prints it on its own line before the statement.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .. import nodes
from .scan import TRAILING_SEP, Note, strings, width

WIDTH = 100


# Binding strength, loosest first: each level is a rule of the grammar's expression part.
IF, OR, AND, NOT, COMPARE, SUM, PRODUCT, NEGATE, DATED, POSTFIX, ATOM = range(11)
# The target of `.field` and `[index]`: a postfix, but not `exists x`, which would take
# the `.field` for its own (`exists x.y` is `exists (x.y)`).
POSTFIX_TARGET = -1

_BINARY_LEVEL = {"or": OR, "and": AND, "+": SUM, "-": SUM, "*": PRODUCT, "/": PRODUCT}
_CHAINS = ("or", "and")
# Runs a line may break in: the logical ones and sums (`a + b - c`).
_RUNS = ("or", "and", "+", "-")
_SPACES = re.compile(r"[ \t]+")


def level(node) -> int:
    if isinstance(node, nodes.IfThenElse):
        return IF
    if isinstance(node, nodes.Binary):
        return _BINARY_LEVEL.get(node.op, COMPARE)
    if isinstance(node, nodes.IsNone):
        return COMPARE
    if isinstance(node, nodes.Unary):
        return NOT if node.op == "not" else NEGATE
    if isinstance(node, nodes.OnDate):
        return DATED
    if isinstance(node, (nodes.Attribute, nodes.Index, nodes.Call)):
        return POSTFIX
    return ATOM


def needs_parens(node, least: int) -> bool:
    if least == POSTFIX_TARGET:
        return level(node) < POSTFIX or isinstance(node, nodes.Exists)
    return level(node) < least


def is_chain(node) -> bool:
    """A run of operands a line may break between: `a or b`, `a and b`, `a + b - c`."""
    return isinstance(node, nodes.Binary) and node.op in _RUNS


def operand_least(node) -> tuple[int, int]:
    """How loosely the first and the other operands of a run may bind without
    parentheses.  One more than precedence needs: an `and` inside an `or` is always
    bracketed, `a or (b and c)`, as the policies are written, so no reader has to
    remember which binds tighter."""
    lv = level(node)
    if node.op == "or":
        return NOT, NOT
    return lv, lv + 1


def operands(node) -> list:
    """The operands of a left-leaning run of one operator: `a or b or c` -> [a, b, c].
    Iterative, so a chain of thousands of terms needs no deep recursion."""
    found = []
    while isinstance(node.left, nodes.Binary) and _same_run(node.left.op, node.op):
        found.append(node.right)
        node = node.left
    found.extend((node.right, node.left))
    return found[::-1]


def _same_run(inner: str, outer: str) -> bool:
    if outer in _CHAINS:
        return inner == outer
    return _BINARY_LEVEL.get(inner) == _BINARY_LEVEL.get(outer) is not None


def _ops(node) -> list[str]:
    """The operators between the operands of a run, in order (`a - b + c` -> [-, +])."""
    found = []
    while isinstance(node.left, nodes.Binary) and _same_run(node.left.op, node.op):
        found.append(node.op)
        node = node.left
    found.append(node.op)
    return found[::-1]


@dataclass
class Item:
    """One piece of a packed line: printed as `prefix` then `node`; `comments` are those
    found just before it, which force it onto a line of its own."""
    prefix: str
    node: object
    least: int
    comments: tuple = ()
    cont: int | None = None    # continuation column inside `node`; default: where it starts
    suffix: str = ""           # the comma after an argument


class ExprPrinter:
    """Prints the expressions of one statement.  `roots` are its expressions, `inside` the
    comments within the statement's text; after construction, `hoisted` holds those that
    go on their own lines before the statement."""

    def __init__(self, text: str, roots, inside: list[Note]):
        self.text = text
        self._flat: dict[int, str] = {}
        self.threaded: dict[int, dict[int, list[Note]]] = defaultdict(lambda: defaultdict(list))
        self.dirty: set[int] = set()       # nodes with a threaded comment inside
        self.hoisted: list[Note] = []
        for note in inside:
            self._place(note, [r for r in roots if r is not None])
        if self.hoisted and self.threaded:
            # Hoisting some and threading others would change the comments' order: when
            # one has to go before the statement, they all do.
            self.threaded.clear()
            self.dirty.clear()
            self.hoisted = list(inside)

    # ------------------------------------------------------------ where comments go
    def _place(self, note: Note, roots) -> None:
        node = next((r for r in roots if _contains(r, note)), None)
        path = []
        while node is not None:
            path.append(node)
            kids = self._kids(node)
            inner = next((k for k in kids if _contains(k, note)), None)
            if inner is not None:
                node = inner
                continue
            gap = self._gap(node, kids, note)
            if gap is None:
                break
            self.threaded[id(node)][gap].append(note)
            self.dirty.update(id(p) for p in path)
            return
        self.hoisted.append(note)

    @staticmethod
    def _kids(node) -> list:
        if is_chain(node):
            return operands(node)
        if isinstance(node, nodes.IfThenElse):
            return [node.condition, node.then, node.otherwise]
        if isinstance(node, nodes.Aggregate):
            return [k for k in (node.source, node.where, node.value, node.default)
                    if k is not None]
        return [k for k in nodes.children(node) if hasattr(k, "span")]

    @staticmethod
    def _gap(node, kids, note: Note) -> int | None:
        """The joint of `node` the comment lies at, if it is one a line may break at."""
        if not (is_chain(node) or isinstance(node, (nodes.IfThenElse, nodes.Aggregate,
                                                    nodes.Call, nodes.ListLiteral))):
            return None
        for i in range(1, len(kids)):
            if kids[i - 1].span.end <= note.start < kids[i].span.start:
                return i
        return None

    def comments_at(self, node, gap: int) -> tuple:
        found = self.threaded.get(id(node))
        return tuple(found.get(gap, ())) if found else ()

    # ------------------------------------------------------------ on one line
    def flat(self, node, least: int = IF) -> str:
        if needs_parens(node, least):
            return "(" + self.flat(node) + ")"
        key = id(node)
        if key not in self._flat:
            self._flat[key] = self._flat_text(node)
        return self._flat[key]

    def _flat_text(self, node) -> str:
        if is_chain(node):
            first, other = operand_least(node)
            ops = operands(node)
            out = [self.flat(ops[0], first)]
            for op, operand in zip(_ops(node), ops[1:]):
                out.append(f"{op} {self.flat(operand, other)}")
            return " ".join(out)
        if isinstance(node, nodes.IfThenElse):
            return (f"if {self.flat(node.condition)} then {self.flat(node.then)} "
                    f"else {self.flat(node.otherwise)}")
        if isinstance(node, nodes.Aggregate):
            return self._flat_aggregate(node)
        return "".join(p if isinstance(p, str) else self.flat(*p) for p in self.pieces(node))

    def _flat_aggregate(self, node) -> str:
        parts = [f"{node.kind} {{ {node.var} in {self.flat(node.source, SUM)}"]
        for word, clause in self._clauses(node):
            parts.append(f"{word} {self.flat(clause)}")
        return " ".join(parts) + " }"

    @staticmethod
    def _clauses(node) -> list:
        return [(w, c) for w, c in (("where", node.where), ("=>", node.value),
                                    ("default", node.default)) if c is not None]

    def pieces(self, node) -> list:
        """A node that never breaks itself, as text and (child, least level) pieces."""
        if isinstance(node, nodes.Literal):
            return [literal_text(node)]
        if isinstance(node, nodes.Name):
            return [node.name]
        if isinstance(node, nodes.NotApplicable):
            raw = strings(self.text, node.span.start, node.span.end)
            return ["not applicable because " + raw[-1]]
        if isinstance(node, nodes.Attribute):
            return [(node.target, POSTFIX_TARGET), "." + node.name]
        if isinstance(node, nodes.Index):
            return [(node.target, POSTFIX_TARGET), "[", (node.index, IF), "]"]
        if isinstance(node, nodes.Call):
            return [node.function + "(", *_joined(node.args, IF), ")"]
        if isinstance(node, nodes.ListLiteral):
            return ["[", *_joined(node.items, IF), "]"]
        if isinstance(node, nodes.OnDate):
            return [(node.target, POSTFIX), " on ", (node.when, POSTFIX)]
        if isinstance(node, nodes.Unary):
            if node.op == "not":
                return ["not ", (node.operand, NOT)]
            # `- -x`, not `--x`: the same tokens, but not one a reader could take for `--`
            gap = " " if self.flat(node.operand, NEGATE).startswith("-") else ""
            return ["-" + gap, (node.operand, NEGATE)]
        if isinstance(node, nodes.IsNone):
            return [(node.operand, SUM), " is not none" if node.negated else " is none"]
        if isinstance(node, nodes.Exists):
            return ["exists ", (node.target, POSTFIX)]
        if isinstance(node, nodes.YearRange):
            return [(node.low, SUM), " .. ", (node.high, SUM)]
        if isinstance(node, nodes.Binary):
            lv = level(node)
            if lv == COMPARE:
                return [(node.left, SUM), f" {node.op} ", (node.right, SUM)]
            ops = operands(node)        # `*` and `/`
            out = [(ops[0], lv)]
            for op, operand in zip(_ops(node), ops[1:]):
                out += [f" {op} ", (operand, lv + 1)]
            return out
        raise TypeError(f"no printer for {type(node).__name__}")

    # ------------------------------------------------------------ over lines
    # A layout is a list of lines: the first is the text that goes on at column `col`
    # (the caller has written what comes before it), the others are whole lines with
    # their indentation.
    def lay(self, node, least: int, col: int, cont: int, tail: int = 0) -> list[str]:
        if needs_parens(node, least):
            lines = self.layout(node, col + 1, col + 1, tail + 1)
            lines[0] = "(" + lines[0]
            lines[-1] += ")"
            return lines
        return self.layout(node, col, cont, tail)

    def layout(self, node, col: int, cont: int, tail: int = 0) -> list[str]:
        if id(node) not in self.dirty:
            flat = self.flat(node)
            if col + width(flat) + tail <= WIDTH:
                return [flat]
        if is_chain(node):
            return self.fill(self.chain_items(node), col, cont, tail)
        if isinstance(node, nodes.IfThenElse):
            return self._layout_if(node, col, cont, tail)
        if isinstance(node, nodes.Aggregate):
            return self._layout_aggregate(node, col, tail)
        if isinstance(node, (nodes.Call, nodes.ListLiteral)) and _args(node):
            return self._layout_args(node, col, tail)
        return self._compose(self.pieces(node), col, tail)

    def chain_items(self, node, prefix: str = "", first_comments: tuple = ()) -> list[Item]:
        first, other = operand_least(node)
        ops = operands(node)
        items = [Item(prefix, ops[0], first, first_comments)]
        items += [Item(op + " ", o, other, self.comments_at(node, i))
                  for i, (op, o) in enumerate(zip(_ops(node), ops[1:]), 1)]
        return items

    def _layout_args(self, node, col: int, tail: int) -> list[str]:
        """A call's arguments or a list's items that do not fit: packed after the `(` or
        `[`, continuation lines aligned with the first."""
        head = node.function + "(" if isinstance(node, nodes.Call) else "["
        args = _args(node)
        items = [Item("", a, IF, self.comments_at(node, i), suffix="," if i < len(args) - 1
                      else "") for i, a in enumerate(args)]
        start = col + width(head)
        lines = self.fill(items, start, start, tail + 1)
        lines[0] = head + lines[0]
        lines[-1] += ")" if isinstance(node, nodes.Call) else "]"
        return lines

    def fill(self, items: list[Item], col: int, cont: int, tail: int = 0) -> list[str]:
        """Pack `items` onto lines: each goes on the current line if it fits there flat
        and no comment stands before it, else on a new line at column `cont`."""
        lines: list[str] = []
        for k, item in enumerate(items):
            end_tail = tail if k == len(items) - 1 else 0
            if k == 0:
                lines = self._item(item, col, end_tail)
                continue
            here = column_after(lines, col)
            flat = item.prefix + self.flat(item.node, item.least) + item.suffix
            if not item.comments and id(item.node) not in self.dirty \
                    and here + 1 + width(flat) + end_tail <= WIDTH:
                lines[-1] += " " + flat
                continue
            place_comments(lines, item.comments, cont)
            sub = self._item(item, cont, end_tail)
            lines.append(" " * cont + sub[0])
            lines.extend(sub[1:])
        return lines

    def _item(self, item: Item, col: int, tail: int) -> list[str]:
        start = col + width(item.prefix)
        cont = start if item.cont is None else item.cont
        lines = self.lay(item.node, item.least, start, cont, tail + width(item.suffix))
        lines[0] = item.prefix + lines[0]
        lines[-1] += item.suffix
        return lines

    def _layout_if(self, node, col: int, cont: int, tail: int) -> list[str]:
        lines = self.lay(node.condition, IF, col + 3, col + 3)
        lines[0] = "if " + lines[0]
        place_comments(lines, self.comments_at(node, 1), cont)
        then = self.lay(node.then, IF, cont + 5, cont + 5)
        lines.append(" " * cont + "then " + then[0])
        lines.extend(then[1:])
        place_comments(lines, self.comments_at(node, 2), cont)
        if isinstance(node.otherwise, nodes.IfThenElse):
            rest = self._layout_if(node.otherwise, cont + 5, cont, tail)   # else if: flat chain
        else:
            rest = self.lay(node.otherwise, IF, cont + 5, cont + 5, tail)
        lines.append(" " * cont + "else " + rest[0])
        lines.extend(rest[1:])
        return lines

    def _layout_aggregate(self, node, col: int, tail: int) -> list[str]:
        """An aggregate that does not fit on one line: each clause (`where`, `=>`,
        `default`) starts a line of its own under the variable, so that a clause never
        reads as the end of the one before; a long condition continues under its start."""
        head = f"{node.kind} {{ "
        body = col + width(head)
        clauses = self._clauses(node)
        lines = self._item(Item(f"{node.var} in ", node.source, SUM), body,
                           0 if clauses else tail + 2)
        for gap, (word, clause) in enumerate(clauses, 1):
            end_tail = tail + 2 if gap == len(clauses) else 0
            comments = self.comments_at(node, gap)
            prefix = word + " "
            items = self.chain_items(clause, prefix) if is_chain(clause) \
                else [Item(prefix, clause, IF)]
            place_comments(lines, comments, body)
            sub = self.fill(items, body, body + width(prefix), end_tail)
            lines.append(" " * body + sub[0])
            lines.extend(sub[1:])
        lines[0] = head + lines[0]
        lines[-1] += " }"
        return lines

    def _compose(self, pieces: list, col: int, tail: int) -> list[str]:
        lines = [""]
        rest = [width(p) if isinstance(p, str) else width(self.flat(*p)) for p in pieces]
        for k, piece in enumerate(pieces):
            if isinstance(piece, str):
                lines[-1] += piece
                continue
            here = column_after(lines, col)
            sub = self.lay(piece[0], piece[1], here, here, sum(rest[k + 1:]) + tail)
            lines[-1] += sub[0]
            lines.extend(sub[1:])
        return lines


def _args(node) -> tuple:
    return node.args if isinstance(node, nodes.Call) else node.items


def _joined(items, least: int) -> list:
    out: list = []
    for k, item in enumerate(items):
        if k:
            out.append(", ")
        out.append((item, least))
    return out


def _contains(node, note: Note) -> bool:
    return node.span.start <= note.start < node.span.end


def column_after(lines: list[str], col: int) -> int:
    """The column where text appended to the last line would start."""
    return col + width(lines[0]) if len(lines) == 1 else width(lines[-1])


def place_comments(lines: list[str], comments, cont: int) -> None:
    """Comments at a break: the first, if it ended a line of code in the source, ends the
    current line; the others go on lines of their own at column `cont`."""
    for k, note in enumerate(comments):
        if k == 0 and note.trailing:
            lines[-1] += TRAILING_SEP + note.text
        else:
            lines.append(" " * cont + note.text)


def literal_text(node) -> str:
    """A literal as written; only the spaces inside `3000 元`, `¥ 5` and `3 个月` are layout
    and are made one space (none stays none)."""
    if node.kind in ("money", "duration"):
        return _SPACES.sub(" ", node.text)
    return node.text

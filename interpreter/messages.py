"""The catalog: every text yibao shows a user, in English and Chinese, keyed.

Diagnostic codes and their hints come from messages_policy.py, messages_records.py,
messages_eval.py and messages_cli.py; the display words (explanation trees, the command
line's tables and summary, severity labels) from messages_show.py.  The modules that show
text (render_diagnostics.py, explain_render.py, cli.py) read it only through text_for, so
a translation is never split between a module's wording and the catalog.
tests/test_catalog.py checks every key has both texts with the same placeholders and that
no other module writes a display word or reads the catalog.

Codes are stable: tools and tests match on them.  Ranges:
  Y0xx  syntax (parser)          Y1xx  names and declarations (checker)
  Y2xx  types (checker)          Y3xx  structure: cycles, recursion, inheritance
  R4xx  records and region files (convert.py, records.py, regions.py; texts in
        messages_records.py)
  E5xx  evaluation (messages_eval.py)   C6xx  command line
"""
from __future__ import annotations

from .messages_cli import CLI_MESSAGES
from .messages_eval import EVAL_MESSAGES
from .messages_policy import POLICY_MESSAGES
from .messages_records import RECORD_MESSAGES
from .messages_show import SHOW_MESSAGES
from .words import Words

# The parts, kept apart by their key prefixes; tests/test_catalog.py checks no key is in two.
CATALOGS: tuple[dict[str, tuple[str, str]], ...] = (
    POLICY_MESSAGES, EVAL_MESSAGES, RECORD_MESSAGES, CLI_MESSAGES, SHOW_MESSAGES)

MESSAGES: dict[str, tuple[str, str]] = {}
for _part in CATALOGS:
    MESSAGES.update(_part)


def _in_words(words: Words, lang: str) -> str:
    """A Words argument in `lang`: catalog keys translated, literals as written."""
    parts = [text + (text_for(key, lang, {}) if key else "") for key, text in words.items]
    return ", ".join(parts + (["…"] if words.more else []))


def text_for(code: str, lang: str, args: dict) -> str:
    """The text of `code` in `lang` ("zh", else English) with `args` filled in.  `{code}`
    is the key itself unless `args` names a `code` of its own (cli.error_cell's is the
    code of the failed output's diagnostic)."""
    en, zh = MESSAGES.get(code, ("{code}", "{code}"))
    template = zh if lang == "zh" else en
    args = {name: _in_words(value, lang) if isinstance(value, Words) else value
            for name, value in args.items()}
    try:
        return template.format_map({"code": code, **args})
    except (KeyError, IndexError):
        return f"{template} {args}"

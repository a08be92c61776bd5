"""`yibao lsp`, driven over its protocol: a server started as the editor starts it
(`python -m yibao.cli lsp`), spoken to in JSON-RPC with Content-Length framing.  Every read
has a timeout, so a server that hangs fails the test instead of blocking it."""
from __future__ import annotations

import json
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .conftest import ROOT

pytest.importorskip("pygls")

TIMEOUT = 30          # seconds for any one answer (the machine may be busy)
POLICIES = ROOT / "policies"


class Client:
    """A minimal LSP client: requests wait for their response, notifications are kept
    in arrival order until asked for."""

    def __init__(self, *args: str):
        self.process = subprocess.Popen([sys.executable, "-P", "-m", "yibao.cli", "lsp", *args],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE)
        self.messages: queue.Queue = queue.Queue()
        self.pending: list[dict] = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.messages.put(json.loads(stream.read(length).decode("utf-8")))

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _next(self) -> dict:
        try:
            message = self.messages.get(timeout=TIMEOUT)
        except queue.Empty:
            raise AssertionError("the server did not answer in time") from None
        if message is None:
            raise AssertionError("the server closed its output: "
                                 + self.process.stderr.read().decode("utf-8", "replace"))
        return message

    def request(self, method: str, params: dict | None = None):
        self.next_id += 1
        ident = self.next_id
        self._send({"id": ident, "method": method, "params": params or {}})
        while True:
            message = self._next()
            if message.get("id") == ident and "method" not in message:
                assert "error" not in message, message["error"]
                return message.get("result")
            self.pending.append(message)

    def notify(self, method: str, params: dict | None = None) -> None:
        self._send({"method": method, "params": params or {}})

    def notification(self, method: str, where=lambda params: True) -> dict:
        """The first notification `method` (not yet taken) whose params satisfy `where`."""
        while True:
            for i, message in enumerate(self.pending):
                if message.get("method") == method and where(message["params"]):
                    return self.pending.pop(i)["params"]
            self.pending.append(self._next())

    def diagnostics(self, uri: str) -> list[dict]:
        return self.notification("textDocument/publishDiagnostics",
                                 lambda p: p["uri"] == uri)["diagnostics"]

    # -- documents
    def open(self, path: Path, text: str | None = None) -> str:
        uri = path.resolve().as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yibao", "version": 1,
            "text": path.read_text(encoding="utf-8") if text is None else text}})
        return uri

    def change(self, uri: str, text: str, version: int = 2) -> None:
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": text}]})

    def at(self, method: str, uri: str, position: tuple[int, int], **extra):
        return self.request(method, {"textDocument": {"uri": uri},
                                     "position": {"line": position[0],
                                                  "character": position[1]}, **extra})

    def close(self) -> int:
        if self.process.poll() is None:
            try:
                self.request("shutdown")
                self.notify("exit")
                return self.process.wait(timeout=TIMEOUT)
            finally:
                if self.process.poll() is None:
                    self.process.kill()
        return self.process.returncode


def start(locale: str | None = None, *args: str) -> Client:
    client = Client(*args)
    params = {"processId": None, "rootUri": None, "capabilities": {}}
    if locale:
        params["locale"] = locale
    client.capabilities = client.request("initialize", params)["capabilities"]
    client.notify("initialized")
    return client


@pytest.fixture
def client():
    made = start()
    yield made
    made.close()


def where(text: str, needle: str, nth: int = 0, delta: int = 0) -> tuple[int, int]:
    """The LSP position (line, UTF-16 column) of the nth `needle` in `text`, plus delta."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    offset += delta
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return line, len(text[start:offset].encode("utf-16-le")) // 2


def copy_chain(tmp_path: Path, *ids: str) -> dict[str, Path]:
    found = {}
    for policy_id in ids:
        target = tmp_path / f"{policy_id}.policy"
        shutil.copy(POLICIES / f"{policy_id}.policy", target)
        found[policy_id] = target
    return found


HEADER = 'policy unit-test {\n  title "t"\n  status effective\n}\n\n'


def unit_policy(tmp_path: Path, body: str) -> tuple[Path, str]:
    """A one-file policy `unit-test` with `body` under its header, saved: (path, text)."""
    path = tmp_path / "unit-test.policy"
    path.write_text(HEADER + body, encoding="utf-8")
    return path, HEADER + body


def open_jiangxi(client, tmp_path: Path) -> tuple[Path, str, str]:
    """The Jiangxi policy, copied with its extends chain, opened and checked once:
    (its path, its text, its uri)."""
    path = copy_chain(tmp_path, "records-contract", "national-2024-38",
                      "jiangxi-2024-34")["jiangxi-2024-34"]
    text = path.read_text(encoding="utf-8")
    uri = client.open(path)
    client.diagnostics(uri)
    return path, text, uri


def complete_at_end(client, uri: str, typing: str, version: int = 2) -> dict[str, dict]:
    """The completions offered at the end of `typing`, the buffer's new text."""
    client.change(uri, typing, version=version)
    client.diagnostics(uri)
    lines = typing.split("\n")
    return _labels(client.at("textDocument/completion", uri, (len(lines) - 1, len(lines[-1]))))


# ------------------------------------------------------------------ the session
def test_initialize_advertises_what_the_server_does(client):
    caps = client.capabilities
    assert caps["hoverProvider"] and caps["definitionProvider"]
    assert caps["documentSymbolProvider"] and caps["documentFormattingProvider"]
    assert "." in caps["completionProvider"]["triggerCharacters"]
    assert caps["textDocumentSync"]["openClose"] and caps["textDocumentSync"]["change"] == 1
    assert caps["positionEncoding"] == "utf-16"


def test_shutdown_then_exit_ends_the_process_cleanly():
    made = start()
    assert made.close() == 0


# ------------------------------------------------------------------ diagnostics
def test_a_syntax_error_is_published_where_it_is_and_goes_when_fixed(client, tmp_path):
    path, good = unit_policy(tmp_path, "output one: int {\n  = 1 + 2\n}\n")
    broken = good.replace("= 1 + 2", "= 1 + ")
    uri = client.open(path, broken)
    (diag,) = client.diagnostics(uri)
    # The parser finds the mistake at the `}` after `1 + `: an unexpected token there.
    assert diag["code"] == "Y021" and diag["severity"] == 1 and diag["source"] == "yibao"
    line, column = where(broken, "}", nth=1)
    assert diag["range"] == {"start": {"line": line, "character": column},
                             "end": {"line": line, "character": column + 1}}
    client.change(uri, good)
    assert client.diagnostics(uri) == []


def test_every_broken_declaration_is_published_after_a_syntax_error(client, tmp_path):
    path, good = unit_policy(tmp_path, "output one: int {\n  = 1 + 2\n}\n\noutput two: bool {\n  = true\n}\n")
    broken = good.replace("= 1 + 2", "= 1 + ").replace("= true", "= true && false")
    uri = client.open(path, broken)
    found = client.diagnostics(uri)
    assert [d["code"] for d in found] == ["Y021", "Y020"]
    line, column = where(broken, "&")
    assert found[1]["range"]["start"] == {"line": line, "character": column}


def test_a_type_error_has_its_code_range_and_message(client, tmp_path):
    path, text = unit_policy(tmp_path, 'output one: int {\n  = "text"\n}\n')
    uri = client.open(path)
    (diag,) = client.diagnostics(uri)
    assert diag["code"] == "Y201"
    start, end = where(text, '"text"'), where(text, '"text"', delta=len('"text"'))
    assert (diag["range"]["start"], diag["range"]["end"]) == (
        {"line": start[0], "character": start[1]}, {"line": end[0], "character": end[1]})
    assert "int" in diag["message"] and "text" in diag["message"]


def test_columns_count_utf16_units_past_characters_outside_the_bmp(client, tmp_path):
    # 𠀀 (U+20000) is two UTF-16 units: the unknown name after it starts one column later
    # than a count of characters says.
    path, text = unit_policy(tmp_path, 'output one: int {\n  = if "𠀀参保" == "a" then unknown_name else 1\n}\n')
    uri = client.open(path)
    (diag,) = client.diagnostics(uri)
    assert diag["code"] == "Y107"
    line, column = where(text, "unknown_name")
    assert diag["range"]["start"] == {"line": line, "character": column}
    line_text = text.splitlines()[line]
    assert column == line_text.index("unknown_name") + 1
    assert diag["range"]["end"]["character"] == column + len("unknown_name")


def test_warnings_and_lints_are_published_as_yibao_check_reports_them(client, tmp_path):
    path, text = unit_policy(tmp_path, "rule unused: int {\n  = 1\n}\n\noutput one: int {\n  = 1\n}\n")
    uri = client.open(path)
    (diag,) = client.diagnostics(uri)
    assert diag["code"] == "Y150" and diag["severity"] == 2


def test_messages_follow_the_clients_locale(tmp_path):
    path = tmp_path / "unit-test.policy"
    path.write_text(HEADER + 'output one: int {\n  = unknown_name\n}\n', encoding="utf-8")
    messages = {}
    for locale in ("en-us", "zh-cn"):
        made = start(locale)
        try:
            (diag,) = made.diagnostics(made.open(path))
            messages[locale] = diag["message"]
        finally:
            made.close()
    assert "unknown_name" in messages["en-us"] and "unknown_name" in messages["zh-cn"]
    assert messages["en-us"] != messages["zh-cn"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in messages["zh-cn"])


def test_errors_in_a_parent_go_to_the_parents_file(client, tmp_path):
    files = copy_chain(tmp_path, "records-contract", "national-2024-38", "jiangxi-2024-34")
    national = files["national-2024-38"]
    text = national.read_text(encoding="utf-8")
    # A type error in the parent, on disk; the child is what the editor opens.
    text = text.replace("from 2025-01-01: 4", 'from 2025-01-01: "four"', 1)
    assert '"four"' in text
    national.write_text(text, encoding="utf-8")
    child_uri = client.open(files["jiangxi-2024-34"])
    parent = client.diagnostics(national.resolve().as_uri())
    assert [d["code"] for d in parent] == ["Y201"]
    assert parent[0]["range"]["start"]["line"] == where(text, '"four"')[0]
    assert client.diagnostics(child_uri) == []


def test_an_unsaved_parent_is_read_by_its_open_child(client, tmp_path):
    files = copy_chain(tmp_path, "records-contract", "national-2024-38", "jiangxi-2024-34")
    child_uri = client.open(files["jiangxi-2024-34"])
    assert client.diagnostics(child_uri) == []
    national = files["national-2024-38"]
    text = national.read_text(encoding="utf-8")
    parent_uri = client.open(national, text)
    assert client.diagnostics(parent_uri) == []
    assert client.diagnostics(child_uri) == []     # the child, checked again with it
    # Renaming a parameter in the parent's buffer breaks the child's override of it.
    client.change(parent_uri, text.replace("parameter incentive_step", "parameter step_x"))
    codes = {d["code"] for d in client.diagnostics(child_uri)}
    assert "Y302" in codes


# ------------------------------------------------------------------ hover
def _hover(client, uri, position) -> str:
    found = client.at("textDocument/hover", uri, position)
    assert found is not None
    assert found["contents"]["kind"] == "markdown"
    return found["contents"]["value"]


def test_hover_on_a_parameter_shows_its_label_citation_and_dated_values(client, tmp_path):
    path, text, uri = open_jiangxi(client, tmp_path)
    shown = _hover(client, uri, where(text, "incentive_step", delta=3))
    assert "`incentive_step`" in shown and "每年提高(降低)大病保险最高支付限额的额度" in shown
    assert "parameter" in shown and "`money`" in shown
    assert "二(四)第一段" in shown and "赣府厅发〔2024〕34号" in shown
    assert "from 2025-01-01: 3000 元" in shown


def test_hover_on_an_exception_or_a_table_row_shows_its_label_citation_and_condition(
        client, tmp_path):
    files = copy_chain(tmp_path, "records-contract", "national-2024-38", "jinggu-2018")
    text = files["national-2024-38"].read_text(encoding="utf-8")
    uri = client.open(files["national-2024-38"])
    client.diagnostics(uri)
    shown = _hover(client, uri, where(text, "exception not_resident_scheme", delta=12))
    assert "`not_resident_scheme`" in shown and "待遇年度未参加居民医保" in shown
    assert "exception" in shown and "参保激励约束机制: 居民医保参保人员" in shown
    assert "**when** `not resident\\_benefits\\_concern`" in shown
    text = files["jinggu-2018"].read_text(encoding="utf-8")
    uri = client.open(files["jinggu-2018"])
    client.diagnostics(uri)
    shown = _hover(client, uri, where(text, "row ncms_entry", delta=6))
    assert "`ncms_entry`" in shown and "table row" in shown
    assert "分别执行……新农合医疗保险诊疗目录" in shown


def test_hover_on_chinese_names_and_in_chinese(tmp_path):
    files = copy_chain(tmp_path, "records-contract", "shandong-2024-assistance")
    path = files["shandong-2024-assistance"]
    text = path.read_text(encoding="utf-8")
    made = start("zh-cn")
    try:
        uri = made.open(path)
        made.diagnostics(uri)
        # `by region, 身份类别`: the enum declared in the parent, with its Chinese members.
        shown = _hover(made, uri, where(text, "by region, 身份类别", delta=len("by region, 身")))
        assert "`身份类别` — 医疗救助对象身份" in shown
        assert "枚举" in shown and "`特困人员`" in shown and "`低保对象`" in shown
        line = where(text, "parameter fixed_subsidy")
        shown = _hover(made, uri, (line[0], line[1] + len("parameter fi")))
        assert "参数" in shown and "依据" in shown and "按统筹地区设定" in shown
    finally:
        made.close()


# ------------------------------------------------------------------ definition
def test_definition_within_a_file_and_across_the_extends_chain(client, tmp_path):
    files = copy_chain(tmp_path, "records-contract", "national-2024-38", "jiangxi-2024-34")
    child, parent = files["jiangxi-2024-34"], files["national-2024-38"]
    text = child.read_text(encoding="utf-8")
    parent_text = parent.read_text(encoding="utf-8")
    uri = client.open(child)
    client.diagnostics(uri)
    # `extends national-2024-38` jumps to the parent's header.
    found = client.at("textDocument/definition", uri, where(text, "extends national", delta=10))
    assert found["uri"] == parent.resolve().as_uri()
    assert found["range"]["start"]["line"] == where(parent_text, "policy national-2024-38")[0]
    # An amended output is declared in the parent.
    amend = text.index("amend ")
    name = text[amend + len("amend "):].split()[0]
    found = client.at("textDocument/definition", uri, where(text, "amend " + name, delta=7))
    assert found["uri"] == parent.resolve().as_uri()
    declared = parent_text.splitlines()[found["range"]["start"]["line"]]
    start, end = found["range"]["start"]["character"], found["range"]["end"]["character"]
    assert declared[start:end] == name
    # A parameter this file declares, used in this file.
    use = text.index("critical_illness_base_cap", text.index("critical_illness_base_cap") + 1)
    line = text.count("\n", 0, use)
    column = use - (text.rfind("\n", 0, use) + 1)
    found = client.at("textDocument/definition", uri, (line, column + 2))
    assert found["uri"] == uri
    assert found["range"]["start"] == dict(zip(("line", "character"),
                                               where(text, "critical_illness_base_cap")))


# ------------------------------------------------------------------ completion
def _labels(result) -> dict[str, dict]:
    items = result["items"] if isinstance(result, dict) else result
    return {item["label"]: item for item in items}


def test_completion_offers_names_in_scope_keywords_and_enum_members(client, tmp_path):
    path, text, uri = open_jiangxi(client, tmp_path)
    end = (text.count("\n"), 0)
    offered = _labels(client.at("textDocument/completion", uri, end))
    assert "incentive_step" in offered                    # declared here
    assert "streak_before_increments" in offered          # inherited from the template
    assert "birth_date" in offered or "hukou" in offered  # an input field
    assert {"parameter", "output", "exception", "when"} <= set(offered)
    assert offered["incentive_step"]["detail"].startswith("parameter")
    # After `HukouType.` only the enum's members; the text does not parse meanwhile.
    members = complete_at_end(client, uri, text + "\nrule probe: bool {\n  = hukou == HukouType.")
    assert set(members) == {"urban", "rural"}
    assert members["urban"]["documentation"] == "城镇户口"


def test_completion_after_a_record_offers_its_fields(client, tmp_path):
    path, text, uri = open_jiangxi(client, tmp_path)
    fields = complete_at_end(client, uri, text + "\nrule probe: bool {\n  = enrollment[2025].")
    assert {"scheme", "paid_on", "region", "year"} <= set(fields)
    # An aggregate's variable, new in the text being typed: an entry of its source.
    fields = complete_at_end(client, uri,
                             text + "\nrule probe: bool {\n  = any { e in enrollment where e.",
                             version=3)
    assert {"scheme", "paid_on", "year"} <= set(fields)
    assert fields["paid_on"]["documentation"] == "缴费日期"


# ------------------------------------------------------------------ after a syntax error
def test_hover_definition_and_outline_still_answer_after_a_syntax_error(client, tmp_path):
    path, text, uri = open_jiangxi(client, tmp_path)
    # Three lines added at the top, one of them a syntax error.
    broken = "# note\n# another\nrule {\n" + text
    client.change(uri, broken)
    codes = [d["code"] for d in client.diagnostics(uri)]
    assert len(codes) == 1 and codes[0].startswith("Y0")
    shown = _hover(client, uri, where(broken, "incentive_step", delta=3))
    assert "from 2025-01-01: 3000 元" in shown
    found = client.at("textDocument/definition", uri, where(broken, "incentive_step", delta=3))
    assert found["range"]["start"] == dict(zip(("line", "character"),
                                               where(broken, "incentive_step")))
    symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    step = next(s for s in symbols if s["name"] == "incentive_step")
    assert step["selectionRange"]["start"]["line"] == where(broken, "incentive_step")[0]


# ------------------------------------------------------------------ outline
def test_the_outline_lists_declarations_with_their_exceptions_and_rows(client, tmp_path):
    files = copy_chain(tmp_path, "records-contract")
    path = files["records-contract"]
    uri = client.open(path)
    client.diagnostics(uri)
    symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    by_name = {s["name"]: s for s in symbols}
    assert by_name["身份类别"]["kind"] == 10                      # Enum
    assert "特困人员" in {c["name"] for c in by_name["身份类别"]["children"]}
    assert by_name["Claim"]["kind"] == 23                         # Struct
    assert "fund_paid" in {c["name"] for c in by_name["Claim"]["children"]}
    policy = POLICIES / "national-2024-38.policy"
    uri = client.open(copy_chain(tmp_path, "national-2024-38")["national-2024-38"])
    client.diagnostics(uri)
    symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    with_cases = [s for s in symbols if s.get("children") and s["kind"] in (6, 12)]
    assert with_cases, "no rule with exceptions in the outline"
    assert all(c["kind"] == 24 for s in with_cases for c in s["children"])   # Event
    kinds = {s["kind"] for s in symbols}
    assert {14, 6} <= kinds or {14, 12} <= kinds                  # parameters and rules
    assert policy.exists()


def test_the_outline_of_a_table_has_its_rows(client, tmp_path):
    path = tmp_path / "unit-test.policy"
    path.write_text(HEADER + "table band(age: int): int {\n  hit first\n"
                    "  row young: < 18 => 1\n  row old: - => 2\n}\n\n"
                    "output one: int {\n  = band(3)\n}\n", encoding="utf-8")
    uri = client.open(path)
    client.diagnostics(uri)
    symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    band = next(s for s in symbols if s["name"] == "band")
    assert [c["name"] for c in band["children"]] == ["young", "old"]


# ------------------------------------------------------------------ formatting
def test_formatting_returns_the_formatters_text_as_one_edit(client, tmp_path):
    fmt = pytest.importorskip("yibao.interpreter.fmt")
    if not hasattr(fmt, "format_source"):
        pytest.skip("the formatter is not there yet")
    path, text = unit_policy(tmp_path, "output one: int {\n      = 1\n}\n")
    uri = client.open(path)
    client.diagnostics(uri)
    edits = client.request("textDocument/formatting", {"textDocument": {"uri": uri},
                                                       "options": {"tabSize": 2,
                                                                   "insertSpaces": True}})
    expected = fmt.format_source(text, str(path))
    assert expected != text                     # the indentation of `= 1` is put right
    (edit,) = edits
    assert edit["newText"] == expected
    assert edit["range"] == {"start": {"line": 0, "character": 0},
                             "end": {"line": text.count("\n"), "character": 0}}
    # Formatting what is already formatted changes nothing.
    client.change(uri, expected)
    client.diagnostics(uri)
    assert client.request("textDocument/formatting", {"textDocument": {"uri": uri},
                                                      "options": {"tabSize": 2,
                                                                  "insertSpaces": True}}) == []
    client.change(uri, text.replace("= 1", "= 1 +"))
    client.diagnostics(uri)
    assert client.request("textDocument/formatting", {"textDocument": {"uri": uri},
                                                      "options": {"tabSize": 2,
                                                                  "insertSpaces": True}}) == []


# ------------------------------------------------------------------ without pygls
def test_without_pygls_the_command_says_how_to_install_it():
    code = ("import sys; sys.modules['pygls'] = None\n"
            "from yibao.cli import main\nmain(['lsp'])\n")
    done = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True,
                          timeout=TIMEOUT)
    assert done.returncode == 2
    assert "C699" in done.stderr and "pip install 'yibao[lsp]'" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""

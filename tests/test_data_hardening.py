"""Hostile and odd record files: each class of problem the red team found ends in a located
diagnostic (or the value the file means), never a crash, a hang or a silent reinterpretation.

Every expected value here is worked out from the file text by hand: a line and column is
counted in the text written by the test, a number read from its digits.
"""
from __future__ import annotations

import inspect
import os
import sys
from decimal import Decimal, Inexact, localcontext
from pathlib import Path

import pytest

from yibao.interpreter import datafile, datafile_json, datafile_yaml
from yibao.interpreter.datafile import NumberText, read_data_file
from yibao.interpreter.diagnostics import DiagnosticError
from yibao.interpreter.render_diagnostics import render_all
from yibao.interpreter.limits import (INT_MAX, INT_MIN, MAX_DATA_DEPTH, MAX_LIST_ITEMS,
                                deep_recursion)
from yibao.interpreter.convert import Mismatch, convert_scalar, show
from yibao.interpreter.records import load_record_file
from yibao.interpreter.types import DATE, DECIMAL, DURATION, INT, MONEY, PERCENT

from .test_records import POLICY, assert_formats

# The fields every record of tests.test_records.POLICY must have, after an `id:` line.
REST = "birth_date: 1988-04-12\nresidence: 四川省成都市\nemployment: flexible\nenrollment: []\n"
REST_JSON = ('"birth_date": "1988-04-12", "residence": "四川省成都市", "employment": "flexible", '
             '"enrollment": []')


def write(tmp_path, name: str, content) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def load(tmp_path, name: str, content):
    return load_record_file(POLICY, write(tmp_path, name, content))


def refused(tmp_path, name: str, content) -> list:
    """The diagnostics of a file that must not load; each renders in both languages and
    can be written out as UTF-8."""
    with pytest.raises(DiagnosticError) as err:
        load(tmp_path, name, content)
    diags = err.value.diagnostics
    assert diags
    assert_formats(diags)
    for lang in ("en", "zh"):
        render_all(diags, lang).encode("utf-8")
    return diags


def only(diags, code: str):
    found = [d for d in diags if d.code == code]
    assert len(found) == 1, [(d.code, d.data_path) for d in diags]
    return found[0]


def place(diag) -> tuple[int, int]:
    return diag.span.line, diag.span.column


def read_value(tmp_path, text: str, name: str = "v.yaml"):
    found = read_data_file(write(tmp_path, name, text))
    assert found.problems == []
    return found.data


# ------------------------------------------------------------------ 1. reading files safely
def test_gbk_text_is_located_with_a_hint_to_save_as_utf8(tmp_path):
    data = b"id: A\nhukou: " + "江西".encode("gbk") + b"\n"
    diag = only(refused(tmp_path, "gbk.yaml", data), "R401")
    assert place(diag) == (2, 8)                 # the first GBK byte, after "hukou: "
    assert [h.key for h in diag.hints] == ["hint.record.gbk"]


def test_bytes_that_are_neither_utf8_nor_gbk_get_the_plain_hint(tmp_path):
    diag = only(refused(tmp_path, "bad.yaml", b"id: \xff\n"), "R401")
    assert place(diag) == (1, 5)
    assert [h.key for h in diag.hints] == ["hint.record.utf8"]


def test_a_byte_order_mark_is_still_accepted(tmp_path):
    record, _ = load(tmp_path, "bom.yaml", b"\xef\xbb\xbfid: A\n" + REST.encode())
    assert record["id"] == "A"
    record, _ = load(tmp_path, "bom.json", b"\xef\xbb\xbf{\"id\": \"A\", " + REST_JSON.encode() + b"}")
    assert record["id"] == "A"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(datafile, "MAX_RECORD_BYTES", 40)
    diag = only(refused(tmp_path, "big.yaml", "id: A\n" + REST), "R436")
    assert dict(diag.args)["limit"] == 40
    assert dict(diag.args)["size"] == len(("id: A\n" + REST).encode())
    # a region file has its own limit
    monkeypatch.setattr(datafile, "MAX_REGION_BYTES", 10)
    with pytest.raises(DiagnosticError) as err:
        read_data_file(write(tmp_path, "r.yaml", "regions: {}\n"), "region")
    assert [d.code for d in err.value.diagnostics] == ["R436"]


def test_a_directory_is_not_a_record(tmp_path):
    (tmp_path / "folder.yaml").mkdir()
    diag = only(_refused_path(tmp_path / "folder.yaml"), "R435")
    assert [h.key for h in diag.hints] == ["hint.record.directory"]


def _refused_path(path: Path) -> list:
    with pytest.raises(DiagnosticError) as err:
        load_record_file(POLICY, path)
    assert_formats(err.value.diagnostics)
    return err.value.diagnostics


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    diag = only(_refused_path(fifo), "R435")
    assert [h.key for h in diag.hints] == ["hint.record.special_file"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_dev_zero_is_refused_not_read_forever(tmp_path):
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    only(_refused_path(link), "R435")


def test_a_missing_file_is_named(tmp_path):
    diag = only(_refused_path(tmp_path / "nowhere.yaml"), "R433")
    assert dict(diag.args)["path"].endswith("nowhere.yaml")


# ------------------------------------------------------------------ 2. YAML 1.2 core schema
@pytest.mark.parametrize("written, value", [
    ("010", 10), ("0400000", 400000), ("+7", 7), ("-0", 0), ("1.50", Decimal("1.50")),
    ("1e3", Decimal("1e3")), (".5", Decimal("0.5")), ("~", None), ("null", None), ("NULL", None),
    ("", None), ("true", True), ("False", False), ("TRUE", True),
    # YAML 1.1 read these as numbers, booleans or dates; YAML 1.2 (and yibao) as text
    ("0x10", "0x10"), ("0o17", "0o17"), ("0b101", "0b101"), ("1_000", "1_000"), ("1:30", "1:30"),
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("y", "y"),
    ("2025-01-01", "2025-01-01"), ("2025-01-01 08:00:00", "2025-01-01 08:00:00"),
    ("１２", "１２"), (".", "."), ("+", "+"), ("-1", -1)])
def test_plain_scalars_read_as_yaml_1_2_core_schema(tmp_path, written, value):
    assert read_value(tmp_path, f"v: {written}\n") == {"v": value}


def test_infinities_and_nan_stay_floats_for_the_converters_to_refuse(tmp_path):
    data = read_value(tmp_path, "a: .inf\nb: -.Inf\nc: .NaN\n")
    assert data["a"] == float("inf") and data["b"] == float("-inf") and data["c"] != data["c"]


def test_mapping_keys_are_the_text_written(tmp_path):
    data = read_value(tmp_path, "null: 1\ntrue: 2\n2025-01-01: 3\n1: 4\n~: 5\n\"q\": 6\n010: 7\n")
    assert list(data) == ["null", "true", "2025-01-01", "1", "~", "q", "010"]


@pytest.mark.parametrize("written", ["0x10", "1_000", "0o17", "0b101", "1:30"])
def test_an_int_in_another_notation_is_refused_as_written(tmp_path, written):
    diag = only(refused(tmp_path, "n.yaml", f"id: A\n{REST}repaid_years: {written}\n"), "R425")
    assert written in diag.message()
    assert [h.key for h in diag.hints] == ["hint.record.decimal_digits"]
    assert place(diag) == (6, 15)


def test_a_leading_zero_is_a_decimal_number_not_octal(tmp_path):
    record, _ = load(tmp_path, "z.yaml", f"id: A\n{REST}repaid_years: 010\n")
    assert record["repaid_years"] == 10


# ------------------------------------------------------------------ 3. values shown as written
def test_an_id_written_as_a_number_is_quoted_back_as_written(tmp_path):
    diag = only(refused(tmp_path, "id.yaml", "id: 0123\n" + REST), "R427")
    assert diag.message() == "field id expects text, got 0123"
    assert dict(diag.hints[0].args) == {"text": "0123"}


def test_keys_null_and_true_appear_in_paths_as_written(tmp_path):
    _, warnings = load(tmp_path, "k.yaml", "id: A\n" + REST + "null: 1\ntrue: 2\n")
    assert [(w.code, w.data_path) for w in warnings] == [("R412", "null"), ("R412", "true")]


def test_json_numbers_are_shown_as_written(tmp_path):
    diags = refused(tmp_path, "n.json", '{"id": "A", ' + REST_JSON + ',\n "other_subsidy": 1.005E0}')
    diag = only(diags, "R423")
    assert "1.005E0" in diag.message() and place(diag) == (2, 19)


def test_nested_values_in_messages_are_bounded_by_depth():
    deep = current = []
    for _ in range(2000):
        current.append([])
        current = current[0]
    shown = show({"a": deep, "b": "x" * 5000, "c" * 500: 1})
    assert len(shown) < 200 and "[...]" in shown
    assert show([[[[1]]]]) == "[[[[...]]]]"


def test_a_deep_value_in_a_record_makes_a_short_message(tmp_path):
    nested = "[" * 60 + "]" * 60
    diag = only(refused(tmp_path, "d.yaml", f"id: A\n{REST}hukou: {nested}\n"), "R427")
    assert len(diag.message()) < 120


# ------------------------------------------------------------------ 4. explicit tags
@pytest.mark.parametrize("tagged, code", [
    ("!!int abc", "R466"), ("!!int 0x10", "R466"), ("!!float abc", "R466"), ("!!bool maybe", "R466"),
    ("!!null x", "R466"), ("!!seq abc", "R466"), ("!!map [1]", "R466"), ("!!str [1]", "R466"),
    ("!!timestamp hello", "R465"), ("!!timestamp 2025-01-01", "R465"), ("!!binary aGVsbG8=", "R465"),
    ("!!set {a, b}", "R465"), ("!!omap [a: 1]", "R465"), ("!!pairs [a: 1]", "R465"),
    ("!!python/object/apply:os.system [echo]", "R465"), ("!local x", "R465")])
def test_unsupported_or_misfitting_tags_are_located_errors(tmp_path, tagged, code):
    diag = only(refused(tmp_path, "t.yaml", f"id: A\n{REST}hukou: {tagged}\n"), code)
    assert place(diag) == (6, 8) and diag.data_path == "hukou"


@pytest.mark.parametrize("tagged, value", [
    ("!!int 10", 10), ("!!int 010", 10), ("!!str 10", "10"), ("!!float 1.5", Decimal("1.5")),
    ("!!bool true", True), ("!!null null", None), ("!!seq [1]", [1]), ("!!map {a: 1}", {"a": 1}),
    ("! 12", "12")])
def test_supported_tags_read_their_value(tmp_path, tagged, value):
    assert read_value(tmp_path, f"v: {tagged}\n") == {"v": value}


def test_a_tagged_key_is_read_as_text_or_refused(tmp_path):
    assert read_value(tmp_path, "!!int 1: a\n") == {"1": "a"}
    found = read_data_file(write(tmp_path, "k.yaml", "!!binary eA==: a\n"))
    assert [d.code for d in found.problems] == ["R465"]


# ------------------------------------------------------------------ 5. characters YAML refuses
def test_a_nul_character_is_located(tmp_path):
    diag = only(refused(tmp_path, "nul.yaml", "id: A\nhukou: x\x00y\n"), "R437")
    assert place(diag) == (2, 9)
    assert dict(diag.args)["char"] == "U+0000"
    assert [h.key for h in diag.hints] == ["hint.record.nul_utf16"]


def test_another_control_character_is_located(tmp_path):
    diag = only(refused(tmp_path, "bell.yaml", "id: A\x07\n"), "R437")
    assert place(diag) == (1, 6) and dict(diag.args)["char"] == "U+0007"


def test_a_control_character_in_a_json_string_stays_a_located_json_error(tmp_path):
    diag = only(refused(tmp_path, "c.json", '{"id": "A\x01"}'), "R404")
    assert place(diag) == (1, 10)


# ------------------------------------------------------------------ 6. nesting and size
def test_deep_yaml_flow_nesting_fails_fast_at_the_limit(tmp_path):
    text = "id: A\nx: " + "[" * 10_000 + "]" * 10_000 + "\n"
    diag = only(refused(tmp_path, "deep.yaml", text), "R438")
    assert place(diag) == (2, 4 + MAX_DATA_DEPTH - 1)     # the first [ past the limit


def test_deep_yaml_block_nesting_fails_at_the_limit(tmp_path):
    text = "id: A\nx:\n" + "".join(" " * depth + "a:\n" for depth in range(1, 200))
    diag = only(refused(tmp_path, "block.yaml", text), "R438")
    # line 1 is in the top mapping (level 1); the mapping on line k is at level k - 1
    assert diag.span.line == MAX_DATA_DEPTH + 2


@pytest.mark.parametrize("text, where", [
    ("x: " + "[" * 10_000 + "]" * 10_000 + "\n", (1, 4 + MAX_DATA_DEPTH - 1)),
    ("x:\n" + "".join(" " * d + "a:\n" for d in range(1, 200)), (MAX_DATA_DEPTH + 1, MAX_DATA_DEPTH + 1))])
def test_the_pure_python_parser_stops_as_fast_at_the_same_place(tmp_path, monkeypatch, text, where):
    monkeypatch.setattr(datafile_yaml, "_FastParser", None)
    with pytest.raises(DiagnosticError) as err:
        read_data_file(write(tmp_path, "deep.yaml", text))
    assert [(d.code, place(d)) for d in err.value.diagnostics] == [("R438", where)]


def test_deep_json_is_refused_before_the_decoder_recurses(tmp_path):
    text = '{"id": "A", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with deep_recursion():                    # even with the limit as evaluation raises it
        diag = only(refused(tmp_path, "deep.json", text), "R438")
    assert place(diag) == (1, 18 + MAX_DATA_DEPTH - 1)


def test_brackets_inside_json_strings_do_not_count_as_nesting(tmp_path):
    record, _ = load(tmp_path, "s.json", '{"id": "' + "[" * 500 + '", ' + REST_JSON + "}")
    assert record["id"] == "[" * 500


@pytest.mark.parametrize("name, text", [
    ("long.yaml", "id: A\n" + REST + "close_relatives: [" + ",".join(["a"] * (MAX_LIST_ITEMS + 1)) + "]\n"),
    ("long.json", '{"id": "A", ' + REST_JSON + ', "close_relatives": ['
     + ",".join(['"a"'] * (MAX_LIST_ITEMS + 1)) + "]}")])
def test_a_list_over_the_limit_has_its_own_error(tmp_path, name, text):
    diag = only(refused(tmp_path, name, text), "R418")
    assert diag.data_path == "close_relatives"
    assert "alias" not in diag.message()


def test_a_list_at_the_limit_is_read(tmp_path):
    text = "v: [" + ",".join(["1"] * MAX_LIST_ITEMS) + "]\n"
    assert len(read_value(tmp_path, text)["v"]) == MAX_LIST_ITEMS


def test_too_many_values_without_aliases_does_not_blame_aliases(tmp_path, monkeypatch):
    monkeypatch.setattr(datafile_yaml, "MAX_DATA_NODES", 20)
    monkeypatch.setattr(datafile_json, "MAX_DATA_NODES", 20)
    diag = only(refused(tmp_path, "many.yaml", "id: A\n" + REST + "x: [" + ",".join("1" * 30) + "]\n"), "R439")
    assert "alias" not in diag.message()
    only(refused(tmp_path, "many.json", '{"id": "A", "x": [' + ",".join("1" * 30) + "]}"), "R439")


def test_an_alias_bomb_is_refused_fast_and_blames_aliases(tmp_path):
    lines = ["a: &a [1,1,1,1,1,1,1,1,1,1]"]
    for previous, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 10) + "]")
    diag = only(refused(tmp_path, "bomb.yaml", "id: A\n" + "\n".join(lines) + "\n"), "R408")
    assert "alias" in diag.message()


def test_aliases_and_merge_keys_still_work_and_are_located(tmp_path):
    text = ("id: A\nbirth_date: 1988-04-12\nresidence: 四川省成都市\nemployment: flexible\n"
            "base: &b {scheme: resident, region: 四川省成都市, paid_on: 2023-12-10, concentrated: yes}\n"
            "enrollment:\n  - <<: *b\n    year: 2024\n")
    diag = only(refused(tmp_path, "m.yaml", text), "R426")
    assert diag.data_path == "enrollment[0].concentrated"
    assert place(diag) == (5, 80)                 # `yes` inside the anchored mapping


def test_a_merge_key_that_is_not_a_mapping_is_an_error(tmp_path):
    found = read_data_file(write(tmp_path, "m.yaml", "a:\n  <<: 3\n  b: 1\n"))
    assert [(d.code, d.span.line) for d in found.problems] == [("R469", 2)]


def test_libyaml_and_pure_python_read_the_same(tmp_path, monkeypatch):
    text = ("id: A  # comment\nbirth_date: 1988-04-12\nnote: \"江西 \\u00e9\"\nx: &x {a: [1, 2.50, ~]}\n"
            "y: *x\nz: |\n  two\n  lines\n'q': 010\n")
    path = write(tmp_path, "same.yaml", text)
    fast = read_data_file(path)
    monkeypatch.setattr(datafile_yaml, "_FastParser", None)
    slow = read_data_file(path)
    assert fast.data == slow.data
    for where in ("id", "note", "x.a[1]", "y.a[2]", "z", "q", "q#key"):
        assert fast.places.get(where) == slow.places.get(where), where
        assert fast.places.written(where) == slow.places.written(where), where
    assert fast.places.get("x.a[1]").line == 4 and fast.places.written("x.a[1]") == "2.50"


def test_syntax_errors_read_the_same_with_or_without_libyaml(tmp_path, monkeypatch):
    path = write(tmp_path, "bad.yaml", "id: A\nx: [1, 2\ny: 3\n")
    with pytest.raises(DiagnosticError) as fast:
        read_data_file(path)
    monkeypatch.setattr(datafile_yaml, "_FastParser", None)
    with pytest.raises(DiagnosticError) as slow:
        read_data_file(path)
    assert render_all(fast.value.diagnostics) == render_all(slow.value.diagnostics)


# ------------------------------------------------------------------ 7. JSON
def test_json_duplicate_keys_are_reported_and_the_first_stands(tmp_path):
    text = '{"id": "A",\n "id": "B", ' + REST_JSON + "}"
    diag = only(refused(tmp_path, "dup.json", text), "R407")
    assert place(diag) == (2, 2) and diag.data_path == "id"
    found = read_data_file(tmp_path / "dup.json")
    assert found.data["id"] == "A"


def test_json_diagnostics_have_lines_and_columns(tmp_path):
    text = '{\n  "id": "A", ' + REST_JSON.replace('"1988-04-12"', '"1988-02-30"') + ',\n  "repaid_years": "x"}'
    diags = refused(tmp_path, "p.json", text)
    assert place(only(diags, "R421")) == (2, 28)
    assert place(only(diags, "R425")) == (3, 19)


@pytest.mark.parametrize("name, text, path", [
    ("v.json", '{"id": "A", "hukou": "\\ud800", ' + REST_JSON + "}", "hukou"),
    ("k.json", '{"id": "A", "\\udfff": 1, ' + REST_JSON + "}", "\ufffd"),
    ("v.yaml", 'id: A\nhukou: "\\ud800"\n' + REST, "hukou")])
def test_a_lone_surrogate_is_refused_and_never_reaches_the_output(tmp_path, name, text, path):
    diag = only(refused(tmp_path, name, text), "R467")
    assert diag.data_path == path and diag.span is not None


def test_a_message_quoting_a_lone_surrogate_is_still_utf8(tmp_path):
    # `!!null "\ud800"` is refused for its tag, and that message quotes the value: the
    # surrogate is written as its escape, so the message can be printed (hypothesis found it)
    diag = only(refused(tmp_path, "t.yaml", '!!null "\\ud800"\n'), "R466")
    text = render_all([diag], "en", {})
    assert "\\ud800" in text
    text.encode("utf-8")


def test_a_json_surrogate_pair_is_one_character(tmp_path):
    record, _ = load(tmp_path, "pair.json", '{"id": "\\ud83d\\ude00", ' + REST_JSON + "}")
    assert record["id"] == "\U0001F600"


# ------------------------------------------------------------------ 8. number limits
@pytest.mark.parametrize("ty, written, code", [
    (INT, "１２", "R425"), (INT, "١٢", "R425"), (INT, "১২", "R425"), (MONEY, "１２.５０", "R422"),
    (DECIMAL, "١.٥", "R429"), (DATE, "２０２５-01-01", "R420"), (PERCENT, "１２%", "R430"),
    (DURATION, "３ months", "R431")])
def test_only_ascii_digits_are_digits(ty, written, code):
    with pytest.raises(Mismatch) as err:
        convert_scalar(written, ty)
    assert err.value.code == code
    assert [h.key for h in err.value.hints] == ["hint.record.ascii_digits"]


def test_the_ascii_digits_hint_spells_the_number():
    with pytest.raises(Mismatch) as err:
        convert_scalar("１２", INT)
    assert dict(err.value.hints[0].args) == {"text": "12"}


@pytest.mark.parametrize("raw, value", [
    ("9223372036854775807", INT_MAX), ("-9223372036854775808", INT_MIN), (INT_MAX, INT_MAX),
    ("0000000000000000012", 12)])
def test_ints_up_to_the_limits_convert(raw, value):
    assert convert_scalar(raw, INT) == value


@pytest.mark.parametrize("raw", [
    "9223372036854775808", "-9223372036854775809", "1" * 20, "1" * 5000, INT_MAX + 1, INT_MIN - 1,
    NumberText("1" * 5000), Decimal("1e30")])
def test_ints_beyond_the_limits_are_refused_before_conversion(raw):
    with pytest.raises(Mismatch) as err:
        convert_scalar(raw, INT)
    assert err.value.code == "R468"
    assert err.value.hints[0].key == "hint.record.int_limits"


@pytest.mark.parametrize("raw, value", [
    ("123456789012345678", Decimal("123456789012345678")), ("0.123456789012345678", Decimal("0.123456789012345678")),
    (Decimal("1E+17"), Decimal("1E+17")), ("-0.000000000000000001", Decimal("-1E-18"))])
def test_decimals_up_to_the_limits_convert(raw, value):
    assert convert_scalar(raw, DECIMAL) == value


@pytest.mark.parametrize("raw", [
    "1234567890123456789", "0.1234567890123456789", "0.0000000000000000001", Decimal("1E+18"),
    Decimal("1e999999999"), Decimal("1e-999999999"), 10 ** 18, 1e300, NumberText("1e99999999999")])
def test_decimals_beyond_the_limits_are_refused(raw):
    for ty in (DECIMAL, MONEY):
        with pytest.raises(Mismatch) as err:
            convert_scalar(raw, ty)
        assert err.value.code == "R468", (raw, ty)


@pytest.mark.parametrize("written", ["1e999999999", "1e-999999999", "1" * 5000, "1e99999999999999999999"])
def test_extreme_numbers_in_a_file_are_located_messages(tmp_path, written):
    for name, text in (("x.yaml", f"id: A\n{REST}ratio: {written}\n"),
                       ("x.json", '{"id": "A", ' + REST_JSON + f',\n "ratio": {written}}}')):
        diag = only(refused(tmp_path, name, text), "R468")
        assert diag.data_path == "ratio" and diag.span.line in (2, 6)
        assert written[:20] in diag.message()


def test_a_long_number_in_a_text_field_is_quoted_back_as_written(tmp_path):
    diag = only(refused(tmp_path, "t.yaml", f"id: {'1' * 30}\n{REST}"), "R427")
    assert dict(diag.hints[0].args) == {"text": "1" * 30}


# ------------------------------------------------------------------ 9. the id
@pytest.mark.parametrize("written", ['""', '"   "', '"\u3000"', "''"])
def test_an_empty_id_is_refused(tmp_path, written):
    diag = only(refused(tmp_path, "e.yaml", f"id: {written}\n{REST}"), "R419")
    assert place(diag) == (1, 5)


def test_an_empty_id_in_json_is_refused(tmp_path):
    only(refused(tmp_path, "e.json", '{"id": " ", ' + REST_JSON + "}"), "R419")


def test_reading_yaml_needs_no_recursion_per_level(tmp_path):
    """The YAML reader keeps its own stack: nesting at the limit reads with only a few
    frames to spare (PyYAML's composer needed several per level)."""
    text = "v: " + "[" * (MAX_DATA_DEPTH - 1) + "]" * (MAX_DATA_DEPTH - 1) + "\n"
    path = write(tmp_path, "limit.yaml", text)
    depth = len(inspect.stack())
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 40)
    try:
        found = read_data_file(path)
    finally:
        sys.setrecursionlimit(old)
    value, levels = found.data, 0
    while isinstance(value, (dict, list)) and value:
        value = value["v"] if isinstance(value, dict) else value[0]
        levels += 1
    assert levels == MAX_DATA_DEPTH - 1


# ------------------------------------------------------------------ the caller's decimal context
@pytest.fixture
def hostile_context():
    """A caller's decimal context that would break naive conversion: 3 digits, and
    rounding trapped."""
    with localcontext() as context:
        context.prec = 3
        context.traps[Inexact] = True
        yield context


def test_records_convert_whatever_decimal_context_the_caller_set(tmp_path, hostile_context):
    record, _ = load(tmp_path, "c.yaml", f"id: A\n{REST}other_subsidy: 400000.50\nadjustment_share: 12.5%\n")
    assert record["other_subsidy"] == Decimal("400000.50")
    assert record["adjustment_share"] == Decimal("0.125")
    assert hostile_context.prec == 3                    # and it is left as it was


def test_an_empty_id_hint_asks_to_fill_it_in(tmp_path):
    diag = only(refused(tmp_path, "e.yaml", f"id: ''\n{REST}"), "R419")
    assert [h.key for h in diag.hints] == ["hint.record.fill_id"]


@pytest.mark.parametrize("text, code", [('"\\ud800"', "R467"), ('"\\ud83d\\ude00"', "R406"), ("3", "R406")])
def test_a_json_file_that_is_one_scalar(tmp_path, text, code):
    assert [d.code for d in refused(tmp_path, "one.json", text)] == [code]


def test_a_surrogate_deep_in_json_is_placed_by_its_path(tmp_path):
    text = '{"id": "A", ' + REST_JSON + ',\n "claims": [{"year": 2023}, {"year": 2024, "x\\udc00": 1}]}'
    diag = only(refused(tmp_path, "deep.json", text), "R467")
    assert diag.data_path == "claims[1].x\ufffd" and place(diag) == (2, 44)

"""The one file reader every input goes through: regular files only, bounded in size,
UTF-8 without a BOM, and a bad byte located by line and column."""
import os

import pytest

from yibao.interpreter.source import FileProblem, decode_utf8, file_kind, read_bytes, read_text


def problem(path, limit=100):
    with pytest.raises(FileProblem) as caught:
        read_bytes(path, limit)
    return caught.value


def test_directories_devices_and_fifos_are_refused_without_reading(tmp_path):
    assert problem(tmp_path).args_ == {"kind": file_kind("directory")}
    assert problem("/dev/zero").args_ == {"kind": file_kind("device")}   # never ends if read
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert problem(fifo).args_ == {"kind": file_kind("fifo")}    # would block with no writer


def test_missing_and_too_large_files(tmp_path):
    assert problem(tmp_path / "absent").reason == "missing"
    big = tmp_path / "big.policy"
    big.write_bytes(b"x" * 101)
    found = problem(big)
    assert (found.reason, found.args_) == ("too_large", {"size": 101, "limit": 100})
    big.write_bytes(b"x" * 100)
    assert read_bytes(big, 100) == b"x" * 100


def test_a_leading_bom_is_dropped(tmp_path):
    path = tmp_path / "bom.policy"
    path.write_bytes("\ufeffpolicy a-b { }".encode("utf-8"))
    assert read_text(path) == "policy a-b { }"


def test_a_bad_byte_is_located_and_gbk_recognised():
    # line 1 "ab\n", line 2 "c" then 保 in GBK (0xB1 0xA3, not UTF-8): line 2, column 2
    with pytest.raises(FileProblem) as caught:
        decode_utf8(b"ab\nc" + "保".encode("gbk"), "x.policy")
    assert caught.value.args_ == {"offset": 4, "line": 2, "column": 2, "gbk": True}
    with pytest.raises(FileProblem) as caught:
        decode_utf8(b"ab\xff\xfe\xfd", "x.policy")       # not GBK either
    assert caught.value.args_["gbk"] is False and caught.value.args_["column"] == 3

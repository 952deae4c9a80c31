"""Decoding as pip does (BOMs, UTF-16, coding comments), size limits and binary refusal."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest

from advisor.deps.decoding import decode_bytes, read_limited, read_path
from advisor.deps.detect import read_bytes, read_text
from advisor.deps.reading import MAX_INPUT_BYTES, DependencyFileError

FREEZE = "aiohttp==3.9.5\r\nhttpx==0.27.0\r\n"


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + FREEZE.encode(),
        codecs.BOM_UTF16_LE + FREEZE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + FREEZE.encode("utf-16-be"),
        codecs.BOM_UTF32_LE + FREEZE.encode("utf-32-le"),
        FREEZE.encode("utf-16"),
    ],
    ids=["utf-8-bom", "utf-16-le", "utf-16-be", "utf-32-le", "utf-16-native"],
)
def test_byte_order_marks_decode_like_pip(data: bytes) -> None:
    """A BOM picks the codec (PowerShell's `pip freeze > file` is UTF-16 LE): nothing is lost."""
    found = read_bytes(data)
    assert found.names == ("aiohttp", "httpx")
    assert found.problems == ()


def test_a_pasted_utf8_bom_does_not_spoil_the_first_line() -> None:
    """Text that still starts with U+FEFF reads its first requirement."""
    assert read_text("\ufeffhttpx\ntrio\n").names == ("httpx", "trio")


def test_a_coding_comment_is_honoured() -> None:
    """A PEP 263 `# coding:` comment on the first two lines picks the codec, as in pip."""
    data = "# -*- coding: latin-1 -*-\n# caf\xe9\nhttpx\n".encode("latin-1")
    decoded = decode_bytes(data)
    assert decoded.encoding == "iso8859-1"
    assert "café" in decoded.text


def test_invalid_utf8_keeps_the_good_lines_and_says_so() -> None:
    """Undecodable bytes are replaced; only their line is unreadable, and a notice says why."""
    found = read_bytes(b"httpx\nbad\xff\xfename\ntrio\n")
    assert found.names == ("httpx", "trio")
    assert [p.line for p in found.problems] == [2]
    assert any("not valid utf-8" in n for n in found.notices)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        b"h\x00\x00\x00\x00\x00",
        bytes(range(1, 32)) * 20,
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
    ],
    ids=["png", "nul-bytes", "control-chars", "zip"],
)
def test_binary_files_are_refused_with_a_clear_message(data: bytes) -> None:
    """Issue 12 item 5: a binary upload is refused, never read as a package named `h`."""
    with pytest.raises(DependencyFileError, match="binary file"):
        read_bytes(data)


def test_inputs_over_the_limit_are_refused_before_decoding() -> None:
    """More than 1 MB is refused, whether bytes or pasted text (counted in UTF-8 bytes)."""
    assert MAX_INPUT_BYTES == 1_000_000
    with pytest.raises(DependencyFileError, match="larger than 1 MB"):
        read_bytes(b"httpx\n" + b"#" * MAX_INPUT_BYTES)
    with pytest.raises(DependencyFileError, match="larger than 1 MB"):
        read_text("# " + "é" * (MAX_INPUT_BYTES // 2 + 1))
    just_under = "httpx\n#" + "#" * (MAX_INPUT_BYTES - 8)
    assert len(just_under) == MAX_INPUT_BYTES - 1
    assert read_text(just_under).names == ("httpx",)


def test_a_stream_is_read_to_the_limit_plus_one_byte_only() -> None:
    """An endless stream (`/dev/zero`) costs at most the limit plus one byte."""

    class Endless(io.RawIOBase):
        """An endless stream that counts what is read from it."""

        def __init__(self) -> None:
            self.served = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
            size = len(buffer)
            buffer[:size] = b"a" * size
            self.served += size
            return size

    stream = Endless()
    with pytest.raises(DependencyFileError, match="larger than 1 MB"):
        read_limited(io.BufferedReader(stream, buffer_size=4096))
    assert stream.served <= MAX_INPUT_BYTES + 1 + 4096


def test_dev_zero_is_refused(tmp_path: Path) -> None:
    """Reading /dev/zero stops at the limit and names the path."""
    with pytest.raises(DependencyFileError, match="/dev/zero: The input is larger"):
        read_path(Path("/dev/zero"))
    with pytest.raises(DependencyFileError, match="cannot be read"):
        read_path(tmp_path / "missing.txt")

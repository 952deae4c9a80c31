"""Bytes to text as pip decodes a requirements file, within the size limit, refusing binaries.

pip (`pip._internal.utils.encoding.auto_decode`) honours a byte-order mark (UTF-8, UTF-16,
UTF-32: what `pip freeze > file` writes in Windows PowerShell is UTF-16 LE with a BOM), then a
PEP 263 `# coding:` comment on one of the first two lines, then falls back to UTF-8. Where pip
would stop on undecodable bytes we keep reading (each bad byte becomes U+FFFD, so only the lines
holding one are reported as unreadable) and say so; a file that is binary (NUL bytes, or mostly
control characters) is refused with a clear message instead of being read as junk names.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from advisor.deps.reading import MAX_INPUT_BYTES, DependencyFileError

_BOMS: tuple[tuple[bytes, str], ...] = (
    # Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CODING = re.compile(rb"coding[:=]\s*([-\w.]+)")
"""pip's ENCODING_RE (a literal prefix, so a search is linear)."""

_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D}


@dataclass(frozen=True, slots=True, kw_only=True)
class Decoded:
    """Text decoded from bytes, and what was noticed on the way."""

    text: str
    """The decoded text, without a byte-order mark."""
    encoding: str
    """The codec used."""
    notices: tuple[str, ...] = ()
    """E.g. that undecodable bytes were replaced."""


def _too_large() -> DependencyFileError:
    return DependencyFileError(
        f"The input is larger than {MAX_INPUT_BYTES // 1_000_000} MB and was not read; "
        "give only the dependency file."
    )


def _binary(why: str) -> DependencyFileError:
    return DependencyFileError(
        f"This looks like a binary file ({why}), not a dependency file, and was not read. "
        "Give requirements.txt, pyproject.toml, Pipfile, or a uv/poetry/pdm/Pipfile lock file."
    )


def check_text_size(text: str) -> None:
    """Refuse text whose UTF-8 encoding is over the limit (pasted text arrives as `str`)."""
    # Every character takes at least one byte: only long texts need encoding to be measured.
    if len(text) > MAX_INPUT_BYTES or (
        len(text) * 4 > MAX_INPUT_BYTES
        and len(text.encode("utf-8", errors="surrogatepass")) > MAX_INPUT_BYTES
    ):
        raise _too_large()


def _declared_coding(data: bytes) -> str | None:
    for line in data.split(b"\n", 2)[:2]:
        if line[:1] == b"#":
            match = _CODING.search(line)
            if match:
                name = match.group(1).decode("ascii", errors="replace")
                try:
                    return codecs.lookup(name).name
                except LookupError:
                    return None
    return None


def decode_bytes(data: bytes) -> Decoded:
    """Decode a dependency file as pip does; raises `DependencyFileError` if too large or binary."""
    if len(data) > MAX_INPUT_BYTES:
        raise _too_large()
    encoding = "utf-8"
    body = data
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding, body = name, data[len(bom) :]
            break
    else:
        declared = _declared_coding(data)
        if declared is not None:
            encoding = declared
        elif b"\x00" in data:
            raise _binary("it contains NUL bytes")
    notices: list[str] = []
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        text = body.decode(encoding, errors="replace")
        notices.append(
            f"The input is not valid {encoding} (first bad byte at offset {error.start}); "
            "undecodable bytes were replaced and the lines holding them are listed as unreadable."
        )
    except LookupError:  # a codec named by a coding comment that cannot decode (e.g. 'rot13')
        text = body.decode("utf-8", errors="replace")
        encoding = "utf-8"
    if "\x00" in text:
        raise _binary("it contains NUL characters")
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) in _CONTROL) + sample.count("\ufffd")
    if sample and controls * 10 > len(sample):
        raise _binary("most of its first characters are control or undecodable bytes")
    return Decoded(text=text, encoding=encoding, notices=tuple(notices))


def read_limited(stream: BinaryIO) -> bytes:
    """At most the limit plus one byte from a stream, so `/dev/zero` cannot exhaust memory."""
    data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise _too_large()
    return data


def read_path(path: Path) -> Decoded:
    """Read and decode a file (or device, or pipe) within the limit.

    Raises `DependencyFileError` naming the path when it cannot be read, is too large or is
    binary.
    """
    try:
        with path.open("rb") as stream:
            data = read_limited(stream)
    except OSError as error:
        raise DependencyFileError(f"{path}: cannot be read: {error.strerror or error}") from None
    except DependencyFileError as error:
        raise DependencyFileError(f"{path}: {error}") from None
    try:
        return decode_bytes(data)
    except DependencyFileError as error:
        raise DependencyFileError(f"{path}: {error}") from None

"""Reading a `.zip` or `.tar.gz` of a project's sources in memory, member by member.

Nothing is extracted to disk and nothing is executed: each `*.py` member is read into memory
(at most `max_file_bytes`) and handed to the scanner. The whole archive is refused, with a
message naming the member, when it holds:

- a member whose name is absolute, has a drive letter, or climbs out with `..`;
- a symbolic or hard link, a device, a FIFO or a socket;
- more than `max_files` members, or more than `max_total_bytes` once uncompressed (sizes are
  checked from the headers before any data is decompressed; a tar stream is also cut off once
  that much has been decompressed, whatever its headers claim);
- a zip member over 1 MiB compressed more than `max_ratio` times (a zip bomb), a ZIP64 archive,
  or a central directory too large for `max_files` entries (checked before zipfile parses it).

A member that is merely unreadable (bad CRC, encrypted) or too large on its own is skipped and
reported, like a bad file in a folder.
"""

from __future__ import annotations

import gzip
import io
import stat
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import IO

from advisor.scan.model import FileProblem
from advisor.scan.sources import (
    MiB,
    ScanInputError,
    ScanLimits,
    SourceFile,
    module_name,
    too_large,
)

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
GZIP_MAGIC = b"\x1f\x8b"
ZIP64_LOCATOR_MAGIC = b"PK\x06\x07"
_ZIP64_LOCATOR_SIZE = 20
_EOCD = struct.Struct("<4s4H2LH")
_CENTRAL_ENTRY_BUDGET = 512
"""Bytes of central directory allowed per permitted member (a real entry is 46 + name + extra)."""
_RATIO_FLOOR = MiB
"""Members smaller than this are not ratio-checked (small sources compress well legitimately)."""


def archive_kind(head: bytes) -> str | None:
    """'zip' or 'tar.gz' from an archive's first bytes, or None."""
    if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return "zip"
    if head.startswith(GZIP_MAGIC):
        return "tar.gz"
    return None


def _safe_parts(name: str, archive: str) -> list[str]:
    """The member's path parts; refuses absolute, drive-letter and `..` names."""
    normal = name.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        raise ScanInputError(f"{archive}: refused: member {name!r} has an absolute path")
    parts = [p for p in PurePosixPath(normal).parts if p not in ("", ".")]
    if ".." in parts:
        raise ScanInputError(f"{archive}: refused: member {name!r} climbs out of the archive (..)")
    if "\x00" in normal:
        raise ScanInputError(f"{archive}: refused: member {name!r} has a NUL byte in its name")
    return parts


def read_archive(
    handle: IO[bytes], archive: str, limits: ScanLimits
) -> Iterator[SourceFile | FileProblem]:
    """The Python members of a zip or tar.gz archive read from a seekable binary `handle`.

    `archive` names it in messages. Raises `ScanInputError` when the archive is refused.
    """
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    if size > limits.max_archive_bytes:
        raise ScanInputError(
            f"{archive}: refused: {size / MiB:.1f} MiB is over the "
            f"{limits.max_archive_bytes / MiB:g} MiB limit for an archive"
        )
    kind = archive_kind(handle.read(4))
    handle.seek(0)
    if kind == "zip":
        yield from _read_zip(handle, size, archive, limits)
    elif kind == "tar.gz":
        yield from _read_tar_gz(handle, archive, limits)
    else:
        raise ScanInputError(f"{archive}: not a .zip or .tar.gz archive (unknown file signature)")


def _check_zip_directory(handle: IO[bytes], size: int, archive: str, limits: ScanLimits) -> None:
    tail_size = min(size, _EOCD.size + 65_535)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    handle.seek(0)
    at = tail.rfind(EMPTY_ZIP_MAGIC)
    if at < 0 or len(tail) - at < _EOCD.size:
        raise ScanInputError(f"{archive}: not a valid zip archive (no end of central directory)")
    _, _, _, _, entries, cd_size, cd_offset, _ = _EOCD.unpack_from(tail, at)
    # zipfile trusts a ZIP64 locator just before the end record over the record's own counts,
    # so its presence alone refuses the archive (the counts checked below would not bind).
    zip64_locator = at >= _ZIP64_LOCATOR_SIZE and tail.startswith(
        ZIP64_LOCATOR_MAGIC, at - _ZIP64_LOCATOR_SIZE
    )
    too_many = ScanInputError(
        f"{archive}: refused: more than {limits.max_files:,} members (--max-files)"
    )
    if entries > limits.max_files:  # 0xFFFF ("see the ZIP64 record") included, below 65,535
        raise too_many
    if zip64_locator or entries == 0xFFFF or 0xFFFFFFFF in (cd_size, cd_offset):
        raise ScanInputError(f"{archive}: refused: ZIP64 archives are not accepted")
    if cd_size > limits.max_files * _CENTRAL_ENTRY_BUDGET:
        raise too_many


def _read_zip(
    handle: IO[bytes], size: int, archive: str, limits: ScanLimits
) -> Iterator[SourceFile | FileProblem]:
    _check_zip_directory(handle, size, archive, limits)
    try:
        zf = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise ScanInputError(f"{archive}: not a valid zip archive: {error}") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_files:
            raise ScanInputError(
                f"{archive}: refused: more than {limits.max_files:,} members (--max-files)"
            )
        total = 0
        wanted: list[tuple[zipfile.ZipInfo, list[str]]] = []
        for info in infos:
            parts = _safe_parts(info.filename, archive)
            mode = info.external_attr >> 16
            if info.create_system == 3 and stat.S_IFMT(mode):
                if stat.S_ISLNK(mode):
                    raise ScanInputError(
                        f"{archive}: refused: member {info.filename!r} is a symbolic link"
                    )
                if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                    raise ScanInputError(
                        f"{archive}: refused: member {info.filename!r} is not a regular file"
                    )
            if info.is_dir():
                continue
            total += info.file_size
            if total > limits.max_total_bytes:
                raise ScanInputError(
                    f"{archive}: refused: more than {limits.max_total_bytes // MiB} MiB "
                    "uncompressed (--max-bytes)"
                )
            if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_ratio * max(
                info.compress_size, 1
            ):
                raise ScanInputError(
                    f"{archive}: refused: member {info.filename!r} expands "
                    f"{info.file_size // max(info.compress_size, 1):,} times (a zip bomb?)"
                )
            if parts and parts[-1].endswith(".py"):
                wanted.append((info, parts))
        for info, parts in wanted:
            path = "/".join(parts)
            if info.file_size > limits.max_file_bytes:
                yield FileProblem(path=path, problem=too_large(info.file_size, limits))
                continue
            try:
                with zf.open(info) as member:
                    data = member.read(limits.max_file_bytes + 1)
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, OSError,
                    EOFError) as error:  # fmt: skip
                yield FileProblem(path=path, problem=f"cannot be read from the archive: {error}")
                continue
            module, is_package = module_name(parts)
            yield SourceFile(path=path, module=module, is_package=is_package, data=data)


class _BoundedReader(io.RawIOBase):
    """Reads through `inner`, refusing the archive once `limit` bytes have come out of it."""

    def __init__(self, inner: IO[bytes] | gzip.GzipFile, limit: int, archive: str) -> None:
        self._inner = inner
        self._left = limit
        self._limit = limit
        self._archive = archive

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._left <= 0:
            raise ScanInputError(
                f"{self._archive}: refused: more than {self._limit // MiB} MiB once "
                "decompressed (--max-bytes)"
            )
        view = memoryview(buffer)
        chunk = self._inner.read(min(len(view), self._left + 1))
        self._left -= len(chunk)
        view[: len(chunk)] = chunk
        return len(chunk)


def _named(error: ScanInputError, archive: str) -> ScanInputError:
    message = str(error)
    return error if message.startswith(f"{archive}: ") else ScanInputError(f"{archive}: {message}")


_META_TYPES = (
    tarfile.GNUTYPE_LONGNAME,
    tarfile.GNUTYPE_LONGLINK,
    tarfile.XHDTYPE,
    tarfile.XGLTYPE,
    tarfile.SOLARIS_XHDTYPE,
)
_META_MAX_BYTES = 64 * 1024
"""Largest PAX or GNU long-name header read (tarfile reads such a header whole into memory)."""


class _GuardedTarInfo(tarfile.TarInfo):
    """A TarInfo that refuses oversized PAX / long-name headers before tarfile reads them.

    tarfile's `tarinfo=` parameter is its documented hook for a TarInfo subclass; the check
    sits in `_proc_member`, the one place every header passes through before its data is read.
    """

    def _proc_member(self, tarfile_: tarfile.TarFile) -> tarfile.TarInfo:
        if self.type in _META_TYPES and self.size > _META_MAX_BYTES:
            raise ScanInputError(
                f"refused: a tar metadata header of {self.size:,} bytes (over "
                f"{_META_MAX_BYTES // 1024} KiB)"
            )
        return super()._proc_member(tarfile_)  # type: ignore[misc, no-any-return]


def _read_tar_gz(
    handle: IO[bytes], archive: str, limits: ScanLimits
) -> Iterator[SourceFile | FileProblem]:
    # Headers, padding and PAX records add to the members' sizes: allow 1 KiB per member.
    budget = limits.max_total_bytes + 1024 * limits.max_files + MiB
    unzipped = gzip.GzipFile(fileobj=handle, mode="rb")
    stream = io.BufferedReader(_BoundedReader(unzipped, budget, archive))
    try:
        tf = tarfile.open(fileobj=stream, mode="r|", tarinfo=_GuardedTarInfo)  # noqa: SIM115
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise ScanInputError(f"{archive}: not a valid .tar.gz archive: {error}") from None
    except ScanInputError as error:
        raise _named(error, archive) from None
    count = 0
    total = 0
    with tf:
        while True:
            try:
                member = tf.next()
            except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
                raise ScanInputError(f"{archive}: not a valid .tar.gz archive: {error}") from None
            except ScanInputError as error:
                raise _named(error, archive) from None
            if member is None:
                break
            tf.members.clear()  # type: ignore[attr-defined]  # memory stays flat over members
            parts = _safe_parts(member.name, archive)
            count += 1  # every member counts, folders included (as in a zip's directory)
            if count > limits.max_files:
                raise ScanInputError(
                    f"{archive}: refused: more than {limits.max_files:,} members (--max-files)"
                )
            if member.issym() or member.islnk():
                raise ScanInputError(f"{archive}: refused: member {member.name!r} is a link")
            if member.isdir():
                continue
            if not member.isreg():
                raise ScanInputError(
                    f"{archive}: refused: member {member.name!r} is not a regular file "
                    "(device, FIFO or other special file)"
                )
            total += member.size
            if total > limits.max_total_bytes:
                raise ScanInputError(
                    f"{archive}: refused: member {member.name!r} takes the archive over "
                    f"{limits.max_total_bytes // MiB} MiB uncompressed (--max-bytes)"
                )
            if not (parts and parts[-1].endswith(".py")):
                continue
            path = "/".join(parts)
            if member.size > limits.max_file_bytes:
                yield FileProblem(path=path, problem=too_large(member.size, limits))
                continue
            try:
                extracted = tf.extractfile(member)
                data = extracted.read(member.size) if extracted else b""
            except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
                raise ScanInputError(f"{archive}: not a valid .tar.gz archive: {error}") from None
            module, is_package = module_name(parts)
            yield SourceFile(path=path, module=module, is_package=is_package, data=data)

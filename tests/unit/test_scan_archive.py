"""Archives: zip and tar.gz read in memory; hostile ones refused without exhausting memory/disk."""

from __future__ import annotations

import gzip
import io
import os
import stat
import subprocess
import sys
import tarfile
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from advisor.scan import CodeStyle, ScanInputError, ScanLimits, scan
from advisor.scan.scanner import scan_archive_bytes

MiB = 1024 * 1024
ASYNCIO_MODULE = b"import asyncio\n\nasync def main():\n    await asyncio.gather(a(), b())\n"
TRIO_MODULE = b"import trio\n\nasync def main():\n    async with trio.open_nursery() as n: ...\n"
PEAK_LIMIT = 64 * MiB
"""Most memory a refusal may allocate (the defaults allow 200 MiB of sources)."""
RSS_LIMIT = 160 * MiB
"""Most resident memory a separate scanning process may reach (Python and imports included)."""
ROOT = Path(__file__).resolve().parents[2]
_CHILD = (
    "import sys\n"
    "from advisor.scan import ScanInputError, scan\n"
    "try:\n"
    "    report = scan(sys.argv[1])\n"
    "except ScanInputError as error:\n"
    "    print('refused:', error)\n"
    "else:\n"
    "    print('scanned:', report.files, [p.path for p in report.problems])\n"
    "with open('/proc/self/status') as status:\n"
    "    print(next(line for line in status if line.startswith('VmHWM:')).split()[1])\n"
)


def scan_in_child(path: Path) -> tuple[str, int]:
    """Scan `path` in a fresh process; what it printed, and its peak resident memory in bytes.

    A separate process gives the true peak (Linux's VmHWM, reset at exec) without
    tracemalloc's slowdown.
    """
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    outcome, peak_kib = done.stdout.strip().rsplit("\n", 1)
    return outcome, int(peak_kib) * 1024


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def tar_gz_bytes(members: list[tuple[tarfile.TarInfo, bytes | None]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tf:
        for info, data in members:
            tf.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def regular(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def special(name: str, kind: bytes, linkname: str = "") -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info, None


def refused_within_memory(call: Callable[[], object]) -> str:
    """Run `call`, expect ScanInputError, check the peak allocation; return the message."""
    tracemalloc.start()
    try:
        with pytest.raises(ScanInputError) as caught:
            call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < PEAK_LIMIT, f"peak {peak / MiB:.0f} MiB"
    return str(caught.value)


def test_zip_is_read_like_a_folder() -> None:
    """A zip of a project gives the same classification and paths as the folder would."""
    data = zip_bytes({"proj/a.py": ASYNCIO_MODULE, "proj/b.py": ASYNCIO_MODULE, "README": b"x"})
    report = scan_archive_bytes(data, "proj.zip")
    assert report.style is CodeStyle.ASYNCIO
    assert report.files == 2
    assert report.kinds[0].locations[0].path == "proj/a.py"


def test_tar_gz_is_read_like_a_folder(tmp_path: Path) -> None:
    """A .tar.gz on disk scans through `scan(path)`, directories and all."""
    folder = tarfile.TarInfo("proj")
    folder.type = tarfile.DIRTYPE
    path = tmp_path / "proj.tar.gz"
    path.write_bytes(
        tar_gz_bytes([(folder, None), regular("proj/t.py", TRIO_MODULE), regular("proj/x", b"")])
    )
    report = scan(path)
    assert (report.style, report.files, report.source) == (CodeStyle.TRIO, 1, "proj.tar.gz")


def test_zip_bomb_is_refused_before_decompressing(tmp_path: Path) -> None:
    """A 150 MiB member of zeros (compressed about 1000 times) is refused from its headers."""
    path = tmp_path / "bomb.zip"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf,
        zf.open("bomb.py", "w") as member,
    ):
        chunk = bytes(MiB)
        for _ in range(150):
            member.write(chunk)
    assert path.stat().st_size < 2 * MiB
    output, peak = scan_in_child(path)
    assert output.startswith("refused: bomb.zip: refused: member 'bomb.py' expands")
    assert "zip bomb" in output
    assert peak < RSS_LIMIT


@pytest.mark.parametrize("name", ["../evil.py", "proj/../../evil.py", "/etc/evil.py", "C:/x.py"])
def test_zip_member_escaping_the_archive_is_refused(name: str) -> None:
    """`..`, absolute and drive-letter member names refuse the whole archive, naming the member."""
    data = zip_bytes({"ok.py": ASYNCIO_MODULE, name: TRIO_MODULE})
    message = refused_within_memory(lambda: scan_archive_bytes(data, "x.zip"))
    assert repr(name) in message


@pytest.mark.parametrize("name", ["../evil.py", "/abs/evil.py"])
def test_tar_member_escaping_the_archive_is_refused(name: str) -> None:
    """The same names in a tar.gz refuse it too."""
    data = tar_gz_bytes([regular(name, TRIO_MODULE)])
    assert repr(name) in refused_within_memory(lambda: scan_archive_bytes(data, "x.tar.gz"))


@pytest.mark.parametrize(
    ("mode", "says"),
    [
        (stat.S_IFLNK | 0o777, "'link.py' is a symbolic link"),
        (stat.S_IFCHR | 0o600, "'link.py' is not a regular file"),
        (stat.S_IFIFO | 0o600, "'link.py' is not a regular file"),
    ],
    ids=["symlink", "char-device", "fifo"],
)
def test_zip_link_and_special_members_are_refused(mode: int, says: str) -> None:
    """A zip member whose Unix mode is a link, a device or a FIFO is refused."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        info = zipfile.ZipInfo("link.py")
        info.create_system = 3
        info.external_attr = mode << 16
        zf.writestr(info, "/etc/passwd")
    message = refused_within_memory(lambda: scan_archive_bytes(buffer.getvalue(), "l.zip"))
    assert says in message


@pytest.mark.parametrize(
    ("member", "says"),
    [
        (special("link.py", tarfile.SYMTYPE, "/etc/passwd"), "is a link"),
        (special("hard.py", tarfile.LNKTYPE, "a.py"), "is a link"),
        (special("dev", tarfile.CHRTYPE), "not a regular file"),
        (special("blk", tarfile.BLKTYPE), "not a regular file"),
        (special("fifo", tarfile.FIFOTYPE), "not a regular file"),
    ],
    ids=["symlink", "hardlink", "char-device", "block-device", "fifo"],
)
def test_tar_links_and_special_files_are_refused(
    member: tuple[tarfile.TarInfo, None], says: str
) -> None:
    """Symbolic and hard links, devices and FIFOs in a tar.gz refuse it."""
    data = tar_gz_bytes([regular("a.py", ASYNCIO_MODULE), member])
    assert says in refused_within_memory(lambda: scan_archive_bytes(data, "x.tar.gz"))


def test_zip_with_100000_tiny_files_is_refused_from_its_directory(tmp_path: Path) -> None:
    """100,000 one-byte members: refused from the end record, before zipfile parses them."""
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(100_000):
            zf.writestr(f"{i}.py", b"\n")
    output, peak = scan_in_child(path)
    assert output == "refused: many.zip: refused: more than 20,000 members (--max-files)"
    assert peak < RSS_LIMIT


def many_tiny_tar_gz(count: int) -> bytes:
    """A valid tar.gz of `count` one-byte .py members, built from one header template (fast)."""
    info = tarfile.TarInfo("x")
    info.size = 1
    template = info.tobuf(format=tarfile.USTAR_FORMAT)
    block = b"\n" + bytes(511)
    parts = []
    for i in range(count):
        header = bytearray(template)
        header[0:100] = f"{i}.py".encode().ljust(100, b"\0")
        header[148:156] = b" " * 8  # the checksum is computed with its own field as spaces
        header[148:156] = b"%06o\0 " % sum(header)
        parts += [bytes(header), block]
    parts.append(bytes(1024))
    return gzip.compress(b"".join(parts), compresslevel=1)


def test_tar_gz_with_100000_tiny_files_is_refused(tmp_path: Path) -> None:
    """100,000 one-byte members in a tar.gz: refused at member 20,001 with flat memory."""
    path = tmp_path / "many.tar.gz"
    path.write_bytes(many_tiny_tar_gz(100_000))
    assert len(gzip.decompress(path.read_bytes())) == 100_000 * 1024 + 1024  # all of them
    output, peak = scan_in_child(path)
    assert output == "refused: many.tar.gz: refused: more than 20,000 members (--max-files)"
    assert peak < RSS_LIMIT


def test_folders_count_toward_the_member_limit() -> None:
    """A tar.gz of many folder entries is refused by the member limit like files would be."""
    folders = []
    for i in range(30):
        info = tarfile.TarInfo(f"d{i}")
        info.type = tarfile.DIRTYPE
        folders.append((info, None))
    data = tar_gz_bytes(folders)
    with pytest.raises(ScanInputError, match="more than 10 members"):
        scan_archive_bytes(data, "dirs.tar.gz", limits=ScanLimits(max_files=10))


def test_one_gigabyte_tar_member_is_refused_from_its_header(tmp_path: Path) -> None:
    """A member declaring 1 GiB is refused at its header; its data is never read or stored."""
    info = tarfile.TarInfo("huge.py")
    info.size = 1024 * MiB
    # The header and a few blocks only: the archive need not (and does not) hold 1 GiB.
    path = tmp_path / "huge.tar.gz"
    path.write_bytes(gzip.compress(info.tobuf(format=tarfile.GNU_FORMAT) + bytes(4096)))
    output, peak = scan_in_child(path)
    assert "'huge.py' takes the archive over 200 MiB uncompressed" in output
    assert peak < RSS_LIMIT


def test_sparse_one_gigabyte_file_in_a_folder_is_skipped_unread(tmp_path: Path) -> None:
    """A 1 GiB sparse .py in a folder is reported as too large from its size, never read."""
    with (tmp_path / "sparse.py").open("wb") as handle:
        handle.truncate(1024 * MiB)
    (tmp_path / "a.py").write_bytes(ASYNCIO_MODULE)
    output, peak = scan_in_child(tmp_path)
    assert output == "scanned: 1 ['sparse.py']"
    assert peak < RSS_LIMIT


def test_oversized_pax_header_is_refused() -> None:
    """A PAX header declaring 100 MiB is refused before tarfile reads it into memory."""
    info = tarfile.TarInfo("././@PaxHeader")
    info.type = tarfile.XHDTYPE
    info.size = 100 * MiB
    data = gzip.compress(info.tobuf(format=tarfile.USTAR_FORMAT) + bytes(8192))
    message = refused_within_memory(lambda: scan_archive_bytes(data, "pax.tar.gz"))
    assert message.startswith("pax.tar.gz: refused: a tar metadata header")


def test_total_uncompressed_size_limit_is_enforced() -> None:
    """Members adding up past max_total_bytes refuse the archive, naming the option."""
    data = zip_bytes({f"{i}.txt": bytes(range(256)) * 16 for i in range(10)})
    message = refused_within_memory(
        lambda: scan_archive_bytes(data, "x.zip", limits=ScanLimits(max_total_bytes=20_000))
    )
    assert "--max-bytes" in message


def test_archive_over_the_size_limit_is_refused() -> None:
    """An archive larger than max_archive_bytes is refused before it is opened."""
    data = zip_bytes({"a.py": ASYNCIO_MODULE})
    with pytest.raises(ScanInputError, match="limit for an archive"):
        scan_archive_bytes(data, "x.zip", limits=ScanLimits(max_archive_bytes=10))


def test_zip64_archive_is_refused() -> None:
    """A ZIP64 end record (over 65,535 entries or 4 GiB) is refused."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf, zf.open("a.py", "w", force_zip64=True) as member:
        member.write(ASYNCIO_MODULE)
    data = bytearray(buffer.getvalue())
    end = data.rfind(b"PK\x05\x06")
    data[end + 16 : end + 20] = b"\xff\xff\xff\xff"  # offset: "see the ZIP64 record"
    with pytest.raises(ScanInputError, match="ZIP64"):
        scan_archive_bytes(bytes(data), "x.zip")


def test_zip64_locator_is_refused_even_with_small_counts() -> None:
    """A ZIP64 record (which zipfile would trust over the end record's counts) refuses it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf, zf.open("a.py", "w", force_zip64=True) as member:
        member.write(ASYNCIO_MODULE)
    data = buffer.getvalue()
    # zipfile writes a ZIP64 end record and locator only for large archives: forge one in.
    end = data.rfind(b"PK\x05\x06")
    locator = b"PK\x06\x07" + bytes(16)
    forged = data[:end] + locator + data[end:]
    with pytest.raises(ScanInputError, match="ZIP64"):
        scan_archive_bytes(forged, "x.zip")


def test_corrupt_member_is_reported_and_the_rest_scanned() -> None:
    """A member whose data fails its CRC is listed as unreadable; other members still count."""
    data = bytearray(zip_bytes({"a.py": ASYNCIO_MODULE, "b.py": b"x = 1\n" * 50}))
    start = data.find(b"b.py") + len("b.py")
    data[start + 5] ^= 0xFF  # flip a byte of b.py's compressed data
    report = scan_archive_bytes(bytes(data), "x.zip")
    assert [p.path for p in report.problems] == ["b.py"]
    assert "cannot be read from the archive" in report.problems[0].problem
    assert report.style is CodeStyle.ASYNCIO


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"PK\x03\x04" + bytes(100), "not a valid zip archive"),
        (gzip.compress(b"not a tar file at all" * 30), "not a valid .tar.gz archive"),
        (b"\x1f\x8b\x08\x00garbage", "not a valid .tar.gz archive"),
        (b"hello world", "not a .zip or .tar.gz archive"),
    ],
    ids=["bad-zip", "gzip-not-tar", "bad-gzip", "plain-text"],
)
def test_broken_archives_get_a_clear_message(data: bytes, says: str) -> None:
    """Corrupt or foreign bytes raise ScanInputError with a message, never another exception."""
    with pytest.raises(ScanInputError, match=says):
        scan_archive_bytes(data, "upload")

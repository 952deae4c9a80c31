"""A rerun never destroys the served results; a killed run leaves no process, listener or file.

These run the real harness (`python -m advisor bench`) on a tiny selection (the start-up and
HTTP-service workloads on asyncio, in quick mode: a few seconds), kill it at random points with
SIGTERM or SIGKILL, and check the store each time.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from advisor.benchmarks import load_results
from advisor.benchmarks.store import (
    POINTER_FILE,
    describe_unfinished,
    lock_held,
    read_pointer,
    unfinished_runs,
)

pytestmark = [
    pytest.mark.bench,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MARKER = "ADVISOR_BENCH_TEST_MARKER"
SMALL_RUN = ("--quick", "--workloads", "startup", "http_service", "--runtimes", "asyncio")


def _start(out: Path, marker: str, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "advisor", "bench", *SMALL_RUN, "--out", str(out), *extra],
        cwd=PROJECT_ROOT,
        env={**os.environ, MARKER: marker},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _marked_processes(marker: str) -> list[int]:
    """Live processes whose environment carries the marker (the harness and all it started)."""
    needle = f"{MARKER}={marker}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if needle in environ.split(b"\0") and state != "Z":
            found.append(int(entry.name))
    return found


def _wait_gone(marker: str, limit_s: float = 2.0) -> list[int]:
    """Poll (bounded) until no marked process is left; the survivors, if any."""
    deadline = time.monotonic() + limit_s
    while (alive := _marked_processes(marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


def _served_state(out: Path) -> tuple[dict[str, str], bytes]:
    pointer = read_pointer(out)
    folder = out / "runs" / pointer["{}.{}".format(*sys.version_info[:2])]
    return pointer, (folder / "results.csv").read_bytes()


def _finished_run(out: Path) -> None:
    process = _start(out, uuid.uuid4().hex)
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr[-2000:]


def test_killing_a_run_at_random_points_keeps_the_last_finished_run_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    """SIGTERM or SIGKILL at random moments: the served run stays the last finished one,
    whole; no child process (nor its listener) survives; no temporary file is left."""
    out = tmp_path / "store"
    _finished_run(out)
    served = _served_state(out)
    shuffler = random.Random(20261129)
    for attempt in range(6):
        marker = uuid.uuid4().hex
        process = _start(out, marker)
        time.sleep(shuffler.uniform(0.1, 4.0))
        process.send_signal(signal.SIGKILL if attempt % 2 else signal.SIGTERM)
        process.communicate(timeout=120)
        assert _wait_gone(marker) == [], f"attempt {attempt}: processes survived the kill"
        now = _served_state(out)
        if now != served:  # it was served before the signal landed: it must have finished
            assert load_results(out).meta.finished, f"attempt {attempt}: served unfinished"
            served = now
        elif process.returncode == 0:
            raise AssertionError(f"attempt {attempt}: a run that exited 0 was not served")
        assert _served_state(out) == served, f"attempt {attempt}: the served run changed"
        results = load_results(out)
        assert results.meta.finished
        assert set(results.rows["status"]) == {"ok"}
        assert len(results.rows) > 0
        assert not list(out.rglob("*.tmp")), f"attempt {attempt}: temporary files left"
        assert not lock_held(out)
    _finished_run(out)
    assert unfinished_runs(out) == ()


def test_an_interrupted_run_is_listed_as_unfinished(tmp_path: Path) -> None:
    """A run killed half-way is not served, and the store says a run did not finish."""
    out = tmp_path / "store"
    _finished_run(out)
    marker = uuid.uuid4().hex
    process = _start(out, marker)
    deadline = time.monotonic() + 60
    while not lock_held(out) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert _wait_gone(marker) == []
    unfinished = unfinished_runs(out)
    assert len(unfinished) == 1
    assert not unfinished[0].running
    assert "did not finish" in describe_unfinished(unfinished)
    assert load_results(out).meta.finished


def test_a_second_run_on_the_same_store_is_refused_while_the_first_runs(tmp_path: Path) -> None:
    """The store's lock makes a concurrent run exit 2 with a message; the first finishes."""
    out = tmp_path / "store"
    marker = uuid.uuid4().hex
    first = _start(out, marker)
    deadline = time.monotonic() + 60
    while not lock_held(out) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert lock_held(out)
    assert "running" in describe_unfinished(unfinished_runs(out)) or "progress" in (
        describe_unfinished(unfinished_runs(out))
    )
    second = subprocess.run(
        [sys.executable, "-m", "advisor", "bench", *SMALL_RUN, "--out", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert second.returncode == 2
    assert "another benchmark run is writing to" in second.stderr
    assert "Traceback" not in second.stderr
    _, stderr = first.communicate(timeout=600)
    assert first.returncode == 0, stderr[-2000:]
    assert (out / POINTER_FILE).exists()
    assert load_results(out).meta.finished


@pytest.mark.parametrize("kind", ["file", "single run folder"])
def test_a_bad_out_gives_a_message_and_exit_2(tmp_path: Path, kind: str) -> None:
    """--out naming a file, or a folder holding one old-style run, is refused cleanly."""
    out = tmp_path / "out"
    if kind == "file":
        out.write_text("not a directory", encoding="utf-8")
    else:
        out.mkdir()
        (out / "meta.json").write_text("{}", encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "advisor", "bench", *SMALL_RUN, "--out", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert f"--out {out}" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_a_run_from_another_store_can_be_merged_and_compared(tmp_path: Path) -> None:
    """--merge serves another machine's finished run; --compare sets its ratios beside ours."""
    theirs, ours = tmp_path / "theirs", tmp_path / "ours"
    _finished_run(theirs)
    _finished_run(ours)
    merged = subprocess.run(
        [sys.executable, "-m", "advisor", "bench", "--merge", str(theirs), "--out", str(ours)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert merged.returncode == 0, merged.stderr
    assert _served_state(ours)[1] == _served_state(theirs)[1]
    assert len(list((ours / "runs").iterdir())) == 1
    compared = subprocess.run(
        [sys.executable, "-m", "advisor", "bench", "--compare", str(theirs), "--out", str(ours)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert compared.returncode == 0, compared.stderr
    assert "theirs/ours" in compared.stdout
    assert "Median difference between the two" in compared.stdout


def test_merging_a_run_that_did_not_finish_is_refused(tmp_path: Path) -> None:
    """An interrupted run cannot be served through --merge."""
    source = tmp_path / "source"
    marker = uuid.uuid4().hex
    process = _start(source, marker)
    deadline = time.monotonic() + 60
    while not lock_held(source) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    folder = next((source / "runs").iterdir())
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "advisor",
            "bench",
            "--merge",
            str(folder),
            "--out",
            str(tmp_path / "store"),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert "Cannot merge" in completed.stderr
    assert "Traceback" not in completed.stderr

"""Scanning a project folder: exclusions, limits, classification, the codebase answer, the CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from advisor.answers import Codebase
from advisor.cli import main
from advisor.rules.model import Runtime
from advisor.scan import CodeStyle, Effort, ScanInputError, ScanLimits, scan
from advisor.scan.render import summary

ASYNCIO_MODULE = "import asyncio\n\nasync def main():\n    await asyncio.gather(a(), b())\n"
TRIO_MODULE = "import trio\n\nasync def main():\n    async with trio.open_nursery() as n: ...\n"
ANYIO_MODULE = "import anyio\n\nasync def main():\n    async with anyio.create_task_group(): ...\n"


def project(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def scanned_paths(root: Path) -> set[str]:
    report = scan(root)
    return {loc.path for kind in report.kinds for loc in kind.locations}


def test_virtual_environments_caches_and_vendored_code_are_skipped(tmp_path: Path) -> None:
    """Uses inside a venv (found by pyvenv.cfg), node_modules, _vendor and .git are not counted."""
    project(
        tmp_path,
        {
            "app.py": ASYNCIO_MODULE,
            "env/pyvenv.cfg": "home = /usr/bin\n",
            "env/lib/x.py": TRIO_MODULE,
            "node_modules/pkg/y.py": TRIO_MODULE,
            "pkg/_vendor/z.py": TRIO_MODULE,
            ".git/hooks/h.py": TRIO_MODULE,
            "pkg.egg-info/e.py": TRIO_MODULE,
        },
    )
    assert scanned_paths(tmp_path) == {"app.py"}


def test_build_and_dist_are_skipped_only_at_the_top(tmp_path: Path) -> None:
    """Top-level build/ and dist/ are skipped; a package's own `build` subpackage is read."""
    project(
        tmp_path,
        {
            "build/lib/x.py": TRIO_MODULE,
            "dist/y.py": TRIO_MODULE,
            "pkg/build/z.py": ASYNCIO_MODULE,
        },
    )
    assert scanned_paths(tmp_path) == {"pkg/build/z.py"}


def test_gitignore_patterns_apply_with_git_semantics(tmp_path: Path) -> None:
    """Root and nested .gitignore files exclude paths below them; a `!` pattern re-includes."""
    project(
        tmp_path,
        {
            ".gitignore": "generated/\n*_pb2.py\n",
            "generated/g.py": TRIO_MODULE,
            "api_pb2.py": TRIO_MODULE,
            "src/.gitignore": "local_*.py\n!local_keep.py\n",
            "src/local_tmp.py": TRIO_MODULE,
            "src/local_keep.py": ASYNCIO_MODULE,
            "src/main.py": ASYNCIO_MODULE,
        },
    )
    assert scanned_paths(tmp_path) == {"src/local_keep.py", "src/main.py"}


def test_symbolic_links_are_not_followed(tmp_path: Path) -> None:
    """A linked file and a linked folder pointing outside the project are not read."""
    outside = project(tmp_path / "outside", {"secret.py": TRIO_MODULE})
    root = project(tmp_path / "proj", {"app.py": ASYNCIO_MODULE})
    os.symlink(outside / "secret.py", root / "link.py")
    os.symlink(outside, root / "linked_dir")
    report = scan(root)
    assert {loc.path for k in report.kinds for loc in k.locations} == {"app.py"}
    assert [str(p) for p in report.problems] == ["link.py: symbolic link: not followed"]


def test_too_many_files_is_refused_with_the_limit_named(tmp_path: Path) -> None:
    """More Python files than max_files stops the scan with a message naming the option."""
    project(tmp_path, {f"m{i}.py": "x = 1\n" for i in range(4)})
    with pytest.raises(ScanInputError, match=r"more than 3 Python files .*--max-files"):
        scan(tmp_path, limits=ScanLimits(max_files=3))


def test_too_much_source_is_refused(tmp_path: Path) -> None:
    """More source bytes than max_total_bytes stops the scan with a message."""
    project(tmp_path, {"a.py": "x = 1\n" * 100, "b.py": "y = 2\n" * 100})
    with pytest.raises(ScanInputError, match="--max-bytes"):
        scan(tmp_path, limits=ScanLimits(max_total_bytes=1000))


def test_an_oversized_file_is_skipped_and_reported(tmp_path: Path) -> None:
    """A file over max_file_bytes is reported and the rest of the project is still scanned."""
    project(tmp_path, {"big.py": "#" * 2000 + "\n", "app.py": ASYNCIO_MODULE})
    report = scan(tmp_path, limits=ScanLimits(max_file_bytes=1000))
    assert report.style is CodeStyle.ASYNCIO
    assert [p.path for p in report.problems] == ["big.py"]
    assert "--max-file-size" in report.problems[0].problem


def test_bad_files_are_reported_and_good_ones_still_count(tmp_path: Path) -> None:
    """A syntax error and an undecodable file are listed; the valid file's uses are kept."""
    project(
        tmp_path,
        {
            "ok.py": ASYNCIO_MODULE,
            "broken.py": "import asyncio\nasync def f(:\n",
            "latin.py": "import asyncio\nx = 'café'\n".encode("latin-1"),
        },
    )
    report = scan(tmp_path)
    assert report.files == 3
    assert {p.path for p in report.problems} == {"broken.py", "latin.py"}
    assert "line 2" in next(p.problem for p in report.problems if p.path == "broken.py")
    assert report.kinds[0].locations[0].path == "ok.py"


@pytest.mark.parametrize(
    ("files", "style", "codebase"),
    [
        ({"a.py": ASYNCIO_MODULE, "b.py": ASYNCIO_MODULE}, CodeStyle.ASYNCIO, Codebase.ASYNCIO),
        ({"a.py": TRIO_MODULE}, CodeStyle.TRIO, Codebase.TRIO),
        ({"a.py": ANYIO_MODULE}, CodeStyle.ANYIO, Codebase.NEW),
        ({"a.py": "import os\nprint(os.sep)\n"}, CodeStyle.SYNC, Codebase.SYNC),
        ({"README.md": "no code"}, CodeStyle.EMPTY, Codebase.NEW),
        (
            {"a.py": ASYNCIO_MODULE, "b.py": ASYNCIO_MODULE, "c.py": TRIO_MODULE},
            CodeStyle.MIXED,
            Codebase.ASYNCIO,
        ),
        (
            {"a.py": TRIO_MODULE, "b.py": TRIO_MODULE, "c.py": ASYNCIO_MODULE},
            CodeStyle.MIXED,
            Codebase.TRIO,
        ),
    ],
    ids=["asyncio", "trio", "anyio", "sync", "empty", "mixed-asyncio", "mixed-trio"],
)
def test_classification_and_codebase_answer(
    tmp_path: Path, files: dict[str, str], style: CodeStyle, codebase: Codebase
) -> None:
    """Each code style gives its classification and the questionnaire answer DESIGN.md allows."""
    report = scan(project(tmp_path, files))
    assert (report.style, report.codebase) == (style, codebase)


def test_anyio_code_base_names_its_native_backends(tmp_path: Path) -> None:
    """AnyIO in most files, with one asyncio and one Trio backend module: AnyIO with both."""
    files = {f"m{i}.py": ANYIO_MODULE for i in range(4)}
    files |= {"_backends/_asyncio.py": ASYNCIO_MODULE, "_backends/_trio.py": TRIO_MODULE}
    report = scan(project(tmp_path, files))
    assert report.style is CodeStyle.ANYIO
    assert report.backends == (Runtime.ASYNCIO, Runtime.TRIO)
    shares = {s.family.value: round(s.share, 2) for s in report.families if s.share}
    assert shares == {"anyio": 0.67, "asyncio": 0.17, "trio": 0.17}


def test_thread_pools_alone_are_a_sync_code_base(tmp_path: Path) -> None:
    """Thread and process pools are reported but do not make code asyncio, Trio or AnyIO."""
    report = scan(
        project(
            tmp_path,
            {"a.py": "from concurrent.futures import ThreadPoolExecutor\nThreadPoolExecutor()\n"},
        )
    )
    assert report.style is CodeStyle.SYNC
    assert [k.kind for k in report.kinds] == ["threads.pools"]
    assert all(plan.items == () for plan in report.plans)


def test_porting_plan_counts_sites_and_files(tmp_path: Path) -> None:
    """asyncio code to Trio: gather is mechanical, a protocol and add_reader are redesigns."""
    source = (
        "import asyncio\n"
        "class P(asyncio.Protocol):\n    pass\n"
        "async def f(loop):\n"
        "    await asyncio.gather(a(), b())\n"
        "    loop.add_reader(0, cb)\n"
        "    await asyncio.shield(g())\n"
    )
    report = scan(project(tmp_path, {"a.py": source, "b.py": ASYNCIO_MODULE}))
    plan = report.plan(Runtime.TRIO)
    assert (plan.mechanical_count, plan.redesign_count) == (2, 3)
    assert plan.files == ("a.py", "b.py")
    efforts = {api: item.effort for item in plan.items for api, _ in item.apis}
    assert efforts == {
        "asyncio.gather": Effort.MECHANICAL,
        "asyncio.Protocol": Effort.REDESIGN,
        "asyncio.loop.add_reader": Effort.REDESIGN,
        "asyncio.shield": Effort.REDESIGN,
    }
    assert report.plan(Runtime.ASYNCIO).items == ()
    assert report.redesign_counts == {Runtime.ASYNCIO: 0, Runtime.ANYIO: 3, Runtime.TRIO: 3}
    assert report.mechanical_counts[Runtime.ANYIO] == 2


def test_anyio_code_runs_unchanged_on_either_loop(tmp_path: Path) -> None:
    """An AnyIO project's plans to asyncio and Trio have no changes, only unchanged uses."""
    report = scan(project(tmp_path, {"a.py": ANYIO_MODULE}))
    for target in (Runtime.ASYNCIO, Runtime.TRIO):
        plan = report.plan(target)
        assert (plan.mechanical_count, plan.redesign_count, plan.unchanged_count) == (0, 0, 1)


def test_report_to_dict_is_json_ready(tmp_path: Path) -> None:
    """to_dict() gives plain JSON with every location."""
    report = scan(project(tmp_path, {"a.py": ASYNCIO_MODULE}))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["codebase"] == "asyncio"
    assert data["kinds"][0]["locations"] == [{"path": "a.py", "line": 4, "api": "asyncio.gather"}]
    assert {p["target"] for p in data["porting"]} == {"asyncio", "anyio", "trio"}


def test_cli_scan_prints_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m advisor scan PATH --format json` prints the report and exits 0."""
    project(tmp_path, {"a.py": TRIO_MODULE})
    assert main(["scan", str(tmp_path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["style"] == "trio"


def test_cli_scan_text_lists_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The text report names the code base, each use as path:line, and the porting counts."""
    project(tmp_path, {"pkg/a.py": ASYNCIO_MODULE})
    assert main(["scan", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "an asyncio code base" in out
    assert "pkg/a.py:4 asyncio.gather" in out
    assert "to Trio: 1 mechanical and 0 redesign changes in 1 file" in out


def test_cli_markdown_escapes_project_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file named like a Markdown link shows as a code span, not a link."""
    project(tmp_path, {"[x](http:evil).py": ASYNCIO_MODULE})
    assert main(["scan", str(tmp_path), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "`[x](http:evil).py:4 asyncio.gather`" in out
    assert "](http:evil)" not in out.replace("`[x](http:evil).py:4 asyncio.gather`", "")


def test_cli_missing_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A path that does not exist: exit 2, one-line message, no traceback."""
    assert main(["scan", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "no such file or folder" in err
    assert "Traceback" not in err


def test_cli_plain_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that is not a zip or tar.gz: exit 2 with a message saying what is accepted."""
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    assert main(["scan", str(tmp_path / "notes.txt")]) == 2
    assert "not a folder, .zip or .tar.gz" in capsys.readouterr().err


def test_cli_rejects_a_non_positive_limit(capsys: pytest.CaptureFixture[str]) -> None:
    """`--max-files 0` is refused by the argument parser (exit 2)."""
    with pytest.raises(SystemExit) as caught:
        main(["scan", ".", "--max-files", "0"])
    assert caught.value.code == 2
    assert "not a positive whole number" in capsys.readouterr().err


def test_a_mixed_code_base_says_why_it_maps_to_its_answer(tmp_path: Path) -> None:
    """One asyncio, one Trio and one AnyIO file: AnyIO leads (ties go to it), so the answer
    is `new`, and the summary says why instead of calling AnyIO 'the runtime most files are
    written against' (which read as a contradiction beside codebase=new)."""
    for name, module in (("a", "asyncio"), ("b", "trio"), ("c", "anyio")):
        (tmp_path / f"{name}.py").write_text(
            f"import {module}\n\nasync def f():\n    await {module}.sleep(1)\n"
        )
    report = scan(tmp_path)
    assert report.style is CodeStyle.MIXED
    assert report.codebase is Codebase.NEW
    line = summary(report)
    assert "codebase=new (AnyIO leads" in line
    assert "ties the project to neither" in line
    assert "most async files" not in line

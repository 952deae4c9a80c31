"""Fuzzing every dependency format: nothing escapes, nothing valid is lost, cost grows linearly.

Three properties, each over every format (requirements lines, pyproject tables, Pipfile, the
four lock files, and raw bytes through the decoder):
- no exception but `DependencyFileError` escapes, whatever the input;
- an oracle: files built from known names, with the decorations real files carry (comments,
  blank lines, continuations, hashes, markers, extras, CRLF, BOMs, UTF-16), give back every name
  with its role;
- linear time: an input ten times larger costs at most `RATIO_BOUND` times as much (linear is
  about 10, quadratic about 100), measured as a ratio in the same run, never as an absolute time.
"""

from __future__ import annotations

import codecs
import json
import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.deps.detect import read_bytes, read_text
from advisor.deps.reading import MAX_INPUT_BYTES, DependencyFileError, FileFormat, Reading

FUZZ = settings(max_examples=150, deadline=None, database=None)
"""Enough examples to find parser mistakes, few enough to keep the suite to seconds."""

RATIO_BOUND = 30.0
"""Cost(10 n) / cost(n) above this means worse than linear: linear is about 10, quadratic about
100. Costs are CPU time of this process (`time.process_time`), so other processes sharing the
machine do not inflate the longer measurement."""

names = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,5})?", fullmatch=True)
name_lists = st.lists(names, min_size=1, max_size=25, unique=True)


def read_any(data: bytes | str) -> Reading | None:
    """Read text or bytes; None when refused with the one allowed error."""
    try:
        return read_bytes(data) if isinstance(data, bytes) else read_text(data)
    except DependencyFileError:
        return None


# --- no exception escapes ---------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        "httpx",
        "-e .",
        "-r x.txt",
        "\\",
        "# c \\",
        "--hash=sha256:a",
        "[project]",
        "[tool.poetry.dependencies]",
        "[[package]]",
        "[metadata]",
        'lock-version = "2.0"',
        "lock_version = '4'",
        "version = 1",
        'name = "a"',
        'version = "1.0"',
        "dependencies = [",
        '"x"]',
        '{ name = "b", extra = ["c"] }',
        "[package.optional-dependencies]",
        "[packages]",
        '"a b" = "1"',
        'foo = "^1.2 || ~3"',
        'foo = {version = "==1", extras = [1]}',
        "name @ https://[::1/x",
        "./local/path",
        "a==1.0 \\",
        "x; (((python_version>'3')))",
        '{"default": {"a": {"version": "==1"}}}',
        '{"_meta": 1}',
        "\ufeff",
        "\x00",
        "=",
        "#",
        "[",
        "{",
    ]
) | st.text(max_size=40)


@FUZZ
@given(st.lists(_FRAGMENTS, max_size=14).map("\n".join))
def test_no_text_raises_anything_but_the_input_error(text: str) -> None:
    """Any text, shaped like any format, is read or refused with `DependencyFileError`."""
    found = read_any(text)
    if found is not None:
        assert all(p.line >= 0 for p in (*found.problems, *found.not_followed))
        assert found.names == tuple(sorted(set(found.names)))


@FUZZ
@given(st.binary(max_size=600))
def test_no_bytes_raise_anything_but_the_input_error(data: bytes) -> None:
    """Any bytes (binary, invalid UTF-8, stray BOMs) are read or refused, never a crash."""
    read_any(data)


@FUZZ
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=12),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(["default", "develop", "_meta", "version", "x", "a"]),
                inner,
                max_size=4,
            )
        ),
        max_leaves=20,
    )
)
def test_no_json_shape_raises(document: object) -> None:
    """Any JSON document, Pipfile.lock-shaped or not, is read or refused."""
    read_any(json.dumps({"default": document, "develop": document, "_meta": {}}))
    read_any(json.dumps(document))


_TOML_VALUES = st.sampled_from(
    ['"x"', "1", "true", "[]", '["a", 1]', "{}", '{version = "1"}', '[{name = "a"}]', '"^1"']
)
_TOML_KEYS = st.sampled_from(
    [
        "project.dependencies",
        "project.optional-dependencies.x",
        "project.name",
        "dependency-groups.g",
        "tool.poetry.dependencies.a",
        "tool.poetry.group.t.dependencies.b",
        "tool.poetry.extras.e",
        "tool.pdm.dev-dependencies.t",
        "tool.uv.dev-dependencies",
        "tool.hatch.envs.d.dependencies",
        "packages.a",
        "dev-packages.b",
        "metadata.lock-version",
        "version",
        "package",
    ]
)


@FUZZ
@given(st.dictionaries(_TOML_KEYS, _TOML_VALUES, max_size=8))
def test_no_toml_shape_raises(entries: dict[str, str]) -> None:
    """Every dependency table holding a value of the wrong type is read or refused."""
    text = "\n".join(f"{key} = {value}" for key, value in entries.items())
    read_any(text)
    read_any("[[package]]\n" + text)


@settings(max_examples=20, deadline=None, database=None)
@given(st.binary(min_size=1, max_size=64), st.integers(0, 1000))
def test_every_input_over_the_limit_is_refused(chunk: bytes, extra: int) -> None:
    """Whatever its content, an input over 1 MB is refused, as bytes and as pasted text."""
    data = (chunk * (MAX_INPUT_BYTES // len(chunk) + 1))[: MAX_INPUT_BYTES + 1 + extra]
    with pytest.raises(DependencyFileError, match="larger than 1 MB"):
        read_bytes(data)
    text = data.decode("latin-1")
    with pytest.raises(DependencyFileError, match="larger than 1 MB"):
        read_text(text)


def test_deep_nesting_and_huge_numbers_are_refused_in_every_syntax() -> None:
    """1,000-level nesting and 5,000-digit integers are input errors in TOML and JSON."""
    for text in (
        "a = " + "[" * 1000 + "]" * 1000,
        "a = " + "{b = " * 1000 + "1" + "}" * 1000,
        "a = " + "1" * 5000,
        '{"default": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"default": ' + "1" * 5000 + "}",
    ):
        with pytest.raises(DependencyFileError):
            read_text(text)


# --- the oracle: nothing valid is lost ---------------------------------------------------


def as_requirements(deps: list[str], decorate: st.DataObject) -> str:
    """A requirements file with the decorations pip accepts."""
    lines: list[str] = ["# generated"]
    for name in deps:
        style = decorate.draw(st.integers(0, 7))
        if style == 0:
            lines.append(name)
        elif style == 1:
            lines.append(f"{name.upper().replace('-', '_')}==1.0  # pinned")
        elif style == 2:
            lines.append(f"{name}[extra]>=1,<3 ; python_version >= '3.8'")
        elif style == 3:
            lines.append(
                f"{name}==2.0 \\\n    --hash=sha256:{'a' * 64} \\\n    --hash=sha256:{'b' * 8}"
            )
        elif style == 4:
            lines.append(f"# a comment that ends in a backslash \\\n{name}")
        elif style == 5:
            lines.append(f"\n   \n{name} @ https://example.com/{name}.tar.gz")
        elif style == 6:
            lines.append(f"{name}~=1.4\n    # via -r requirements.in")
        else:
            lines.append(f"-e git+https://example.com/{name}.git#egg={name}")
    return "\n".join(lines) + "\n"


def as_pyproject(deps: list[str]) -> str:
    """PEP 621 runtime dependencies."""
    return (
        "[project]\nname = 'the-oracle-project'\ndependencies = [\n"
        + "".join(f'  "{n}>=1",\n' for n in deps)
        + "]\n"
    )


def as_poetry(deps: list[str]) -> str:
    """Poetry's main table, in string and table form."""
    rows = [
        f'{n} = {{version = "^1.0", extras = ["x"]}}' if i % 2 else f'{n} = "~2.1"'
        for i, n in enumerate(deps)
    ]
    return '[tool.poetry.dependencies]\npython = "^3.11"\n' + "\n".join(rows) + "\n"


def as_pipfile(deps: list[str]) -> str:
    """Pipfile packages."""
    return "[packages]\n" + "".join(f'{n} = "*"\n' for n in deps)


def as_uv_lock(deps: list[str]) -> str:
    """A uv.lock whose project depends on every name."""
    root = (
        'version = 1\nrequires-python = ">=3.11"\n\n'
        '[[package]]\nname = "the-oracle-project"\nversion = "0.1"\n'
        'source = { editable = "." }\ndependencies = ['
        + ", ".join(f'{{ name = "{n}" }}' for n in deps)
        + "]\n"
    )
    return root + "".join(
        f'\n[[package]]\nname = "{n}"\nversion = "1.0"\nsource = {{ registry = "x" }}\n'
        for n in deps
    )


def as_poetry_lock(deps: list[str]) -> str:
    """A poetry.lock of unrelated packages (each one a root)."""
    return (
        "".join(
            f'[[package]]\nname = "{n}"\nversion = "1.0"\noptional = false\ngroups = ["main"]\n\n'
            for n in deps
        )
        + '[metadata]\nlock-version = "2.1"\ncontent-hash = "x"\n'
    )


def as_pdm_lock(deps: list[str]) -> str:
    """A pdm.lock of unrelated packages (each one a root)."""
    return '[metadata]\ngroups = ["default"]\nlock_version = "4.5.0"\n\n' + "".join(
        f'[[package]]\nname = "{n}"\nversion = "1.0"\ngroups = ["default"]\n\n' for n in deps
    )


def as_pipfile_lock(deps: list[str]) -> str:
    """A Pipfile.lock."""
    return json.dumps(
        {"_meta": {}, "default": {n: {"version": "==1.0"} for n in deps}, "develop": {}}, indent=4
    )


BUILDERS: dict[FileFormat, Callable[[list[str]], str]] = {
    FileFormat.PYPROJECT: as_pyproject,
    FileFormat.PIPFILE: as_pipfile,
    FileFormat.UV_LOCK: as_uv_lock,
    FileFormat.POETRY_LOCK: as_poetry_lock,
    FileFormat.PDM_LOCK: as_pdm_lock,
    FileFormat.PIPFILE_LOCK: as_pipfile_lock,
}


@FUZZ
@given(name_lists, st.data())
def test_every_requirement_line_is_kept(deps: list[str], data: st.DataObject) -> None:
    """Requirements files built from known names, however decorated, give back every name."""
    found = read_text(as_requirements(deps, data))
    assert found.format is FileFormat.REQUIREMENTS
    assert found.names == tuple(sorted(deps))
    assert found.problems == ()


ENCODINGS = [
    lambda t: t.encode(),
    lambda t: codecs.BOM_UTF8 + t.encode(),
    lambda t: t.replace("\n", "\r\n").encode("utf-16"),
    lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
]


@FUZZ
@given(name_lists, st.data(), st.sampled_from(ENCODINGS))
def test_every_requirement_survives_every_encoding(
    deps: list[str], data: st.DataObject, encode: Callable[[str], bytes]
) -> None:
    """BOMs, UTF-16 and CRLF line ends lose nothing (PowerShell's `pip freeze > file`)."""
    found = read_bytes(encode(as_requirements(deps, data)))
    assert found.names == tuple(sorted(deps))


@FUZZ
@given(name_lists, st.sampled_from(sorted(BUILDERS)))
def test_every_dependency_of_every_format_is_kept(deps: list[str], kind: FileFormat) -> None:
    """Files of each TOML/JSON format built from known names give back every name, by content."""
    found = read_text(BUILDERS[kind](deps))
    assert found.format is kind
    assert found.names == tuple(sorted(deps))
    assert found.problems == ()


# --- linear time -------------------------------------------------------------------------


def cost(text: str) -> float:
    """The least CPU time of three readings of `text` (seconds, only ever used in a ratio)."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        read_any(text)
        best = min(best, time.process_time() - start)
    return best


GROWING: dict[str, Callable[[int], str]] = {
    "blank-lines": lambda n: "\n" * (10 * n),
    "blank-runs": lambda n: (" " * 50 + "\n") * n,
    "long-blank-line": lambda n: " " * (40 * n) + "x",
    "hashes-without-space": lambda n: "a" + "#a" * (10 * n) + "\n",
    "many-tokens": lambda n: "a " * (10 * n) + "--hash=x\n",
    "continuations": lambda n: "a \\\n" * n + "b\n",
    "bad-lines": lambda n: "not a requirement !!\n" * n,
    "comments-with-backslash": lambda n: "# c \\\n" * n,
    "via-annotated": lambda n: "".join(f"p{i}==1\n    # via p{i + 1}\n" for i in range(n)),
    "bad-pyproject-entries": lambda n: (
        "[project]\ndependencies = [" + "".join(f'"bad entry {i} !!",' for i in range(n)) + "]\n"
    ),
    "bad-poetry-keys": lambda n: (
        "[tool.poetry.dependencies]\n" + "".join(f'"bad key {i}" = "1"\n' for i in range(n))
    ),
    "escaped-quotes-in-comment": lambda n: (
        '[project]\ndependencies = [3]\n# "' + '\\"' * (10 * n) + "\n"
    ),
    "uv-lock-chain": lambda n: as_uv_lock([f"p{i}" for i in range(n)]),
    "pdm-lock": lambda n: as_pdm_lock([f"p{i}" for i in range(n)]),
    "poetry-lock": lambda n: as_poetry_lock([f"p{i}" for i in range(n)]),
    "pipfile-lock": lambda n: as_pipfile_lock([f"p{i}" for i in range(n)]),
    "pipfile": lambda n: as_pipfile([f"p{i}" for i in range(n)]),
}


@pytest.mark.parametrize("shape", sorted(GROWING))
def test_cost_grows_linearly(shape: str) -> None:
    """Reading an input ten times larger costs at most about ten times as much (as a ratio)."""
    build = GROWING[shape]
    small, large = build(1000), build(10_000)
    assert len(large.encode()) < 1_000_000, "the large input must stay under the size limit"
    ratio = cost(large) / max(cost(small), 1e-6)
    assert ratio < RATIO_BOUND, f"{shape}: x{ratio:.1f} for ten times the input"

"""The questionnaire's answers, their closed vocabularies, and the v1 share-link codec.

The share link is a public contract (DESIGN.md, "share-link parameters, schema v1"): links live
in wikis and scripts, so reading one never raises, keeps every good answer, and explains every
value it had to drop. Writing one is canonical: equal answers give the same string.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from enum import IntEnum, StrEnum
from urllib.parse import parse_qsl, urlencode


class Workload(StrEnum):
    """What the program mostly does; a project may do several."""

    SERVER = "server"
    CLIENT = "client"
    STREAMING = "streaming"
    PIPELINE = "pipeline"
    CLI = "cli"
    GUI = "gui"
    CPU = "cpu"


class Scale(StrEnum):
    """Concurrent tasks or connections at peak (ordered smallest first)."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class Perf(StrEnum):
    """Whether raw throughput or latency is a top requirement."""

    NORMAL = "normal"
    CRITICAL = "critical"


class Experience(IntEnum):
    """A team's experience with one runtime."""

    NONE = 0
    BASIC = 1
    EXPERIENCED = 2
    EXPERT = 3


class Team(StrEnum):
    """Team size (ordered smallest first)."""

    SOLO = "solo"
    SMALL = "small"
    LARGE = "large"


class Codebase(StrEnum):
    """What exists today."""

    NEW = "new"
    ASYNCIO = "asyncio"
    TRIO = "trio"
    SYNC = "sync"


class Cancel(StrEnum):
    """Whether strict timeouts, cancellation and clean shutdown are a top requirement."""

    NORMAL = "normal"
    CRITICAL = "critical"


class Kind(StrEnum):
    """What is being built: an application, or a library others will import."""

    APP = "app"
    LIBRARY = "library"


class PythonVersion(StrEnum):
    """The oldest Python version the project must support (ordered oldest first)."""

    PY39 = "3.9"
    PY310 = "3.10"
    PY311 = "3.11"
    PY312 = "3.12"
    PY313 = "3.13"
    PY314 = "3.14"


_CHOICES: tuple[tuple[str, type[StrEnum] | type[IntEnum]], ...] = (
    ("scale", Scale),
    ("perf", Perf),
    ("exp_asyncio", Experience),
    ("exp_trio", Experience),
    ("team", Team),
    ("codebase", Codebase),
    ("kind", Kind),
    ("python", PythonVersion),
    ("cancel", Cancel),
)
"""The single-choice answers and their types, for checking values given to `Answers`."""

SCHEMA_VERSION = 1
"""The share-link schema this code writes."""

MAX_DEPENDENCIES = 500
"""More names than any real project lists; a longer list is cut with a notice, not an error.
The same limit applies to every entry point (links, pasted and uploaded files, the CLI)."""

MAX_NAME_LENGTH = 200
"""The longest dependency name read, from a link or any dependency file. PyPI sets no limit of
its own; the longest name in a listing of its ~886,000 projects (2025) has 188 characters and
none of the 15,000 most downloaded has more than 55, so every real name fits with room to
spare, while a hostile 900,000-character "name" is refused before it is repeated into reports,
links and notices."""

MAX_NOTICES_PER_PARAM = 20
"""Bad names beyond this many are not listed one by one (the page would drown in them)."""

_PYPI_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE | re.ASCII)


@functools.lru_cache(maxsize=8192)
def normalize_name(name: str) -> str:
    """PEP 503 normalisation: `Foo_Bar.baz` and `foo-bar-baz` are the same project."""
    return re.sub(r"[-_.]+", "-", name).lower()


def is_valid_name(name: str) -> bool:
    """Whether `name` is a syntactically valid PyPI project name (PEP 508)."""
    return bool(_PYPI_NAME.fullmatch(name))


@dataclass(frozen=True, slots=True, kw_only=True)
class Answers:
    """One team's answers to the questionnaire; the input of `recommend()`."""

    deps: tuple[str, ...] = ()
    """Dependencies as PEP 503-normalised PyPI names, sorted and unique."""
    workload: frozenset[Workload] = frozenset()
    """What the program mostly does."""
    scale: Scale = Scale.MEDIUM
    """Concurrent tasks or connections at peak."""
    perf: Perf = Perf.NORMAL
    """Whether raw throughput or latency is a top requirement."""
    exp_asyncio: Experience = Experience.BASIC
    """The team's asyncio experience."""
    exp_trio: Experience = Experience.NONE
    """The team's Trio experience."""
    team: Team = Team.SMALL
    """Team size."""
    codebase: Codebase = Codebase.NEW
    """What exists today."""
    kind: Kind = Kind.APP
    """An application or a library."""
    python: PythonVersion = PythonVersion.PY312
    """The oldest Python version to support."""
    cancel: Cancel = Cancel.NORMAL
    """Whether strict timeouts, cancellation and clean shutdown are a top requirement (or hangs
    and orphaned tasks have hurt the team)."""

    def __post_init__(self) -> None:
        # Canonical form is enforced here so every way of building Answers compares equal.
        # Type hints do not stop a caller at run time; a string here is a classic slip.
        deps_given: object = self.deps
        workload_given: object = self.workload
        if isinstance(deps_given, (str, bytes)):
            raise TypeError(
                "Answers(deps=...) takes a sequence of names, such as ('fastapi',), not a "
                "string (a string would be read letter by letter)"
            )
        if isinstance(workload_given, (str, bytes)):
            raise TypeError(
                "Answers(workload=...) takes a set of workloads, such as {'server'}, not a string"
            )
        deps = sorted({normalize_name(d) for d in self.deps})
        object.__setattr__(self, "deps", tuple(deps))
        object.__setattr__(self, "workload", frozenset(Workload(w) for w in self.workload))
        for name, choices in _CHOICES:
            value = getattr(self, name)
            if not isinstance(value, choices):  # 'large' -> Scale.LARGE; 'huge' -> ValueError
                object.__setattr__(self, name, choices(value))

    @staticmethod
    def from_query(query: str | Mapping[str, str | Sequence[str] | None]) -> Answers:
        """Read a share link's query; bad values fall back to defaults (see `read_query`)."""
        return read_query(query).answers

    def with_value(self, param: str, value: object) -> Answers:
        """A copy with one answer changed, validated like the constructor would.

        Only the changed answer is converted; the others are already canonical, which keeps
        the flip search (dozens of copies per page) cheap.
        """
        probe = Answers(**{param: value})  # type: ignore[arg-type]  # validates just that one
        copy = object.__new__(Answers)
        for name in _FIELD_NAMES:
            object.__setattr__(copy, name, getattr(probe if name == param else self, name))
        return copy

    def as_kwargs(self) -> dict[str, object]:
        """The fields as keyword arguments, for `dataclasses.replace`-style rebuilding."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_query(self) -> str:
        """The canonical v1 query string: `v` first, fixed key order, defaults omitted."""
        return "&".join(self.query_parts().values())

    def query_parts(self) -> dict[str, str]:
        """The canonical query's `key=value` parts by key, in order (`to_query` joins them)."""
        parts = {"v": _part("v", str(SCHEMA_VERSION))}
        for param in V1_PARAMS:
            value = getattr(self, param.name)
            if value != param.default:
                parts[param.name] = _part(param.name, param.write(value))
        return parts

    @staticmethod
    def query_with(parts: Mapping[str, str], param: str, value: object) -> str:
        """The canonical query of answers whose `query_parts()` are `parts`, with the answer
        `param` changed to `value` (already canonical, such as a member of its enum): what
        `with_value(param, value).to_query()` gives, without building the answers (the flip
        search writes a link per flip)."""
        spec = _BY_NAME[param]
        changed = dict(parts)
        if value == spec.default:
            changed.pop(param, None)
        else:
            changed[param] = _part(param, spec.write(value))
        return "&".join(changed[key] for key in _QUERY_ORDER if key in changed)


@dataclass(frozen=True, slots=True, kw_only=True)
class Notice:
    """Something in a share link that could not be used as given."""

    param: str
    """The query parameter concerned."""
    value: str
    """The value as it arrived (shortened if very long)."""
    message: str
    """One plain sentence for the user: what was wrong and what was done instead."""
    unknown_param: bool = False
    """True when the parameter itself is not part of the schema (ignored)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class QueryReading:
    """The answers read from a share link and the notices about what was dropped."""

    answers: Answers
    """Every good answer, with defaults where a value was missing or bad."""
    notices: tuple[Notice, ...] = ()
    """One notice per dropped value or ignored parameter, in the order met."""
    schema_version: int = SCHEMA_VERSION
    """The schema the link was read with."""


class _BadValue(ValueError):
    """A single query value that does not fit its parameter."""


@dataclass(frozen=True, slots=True)
class _Param:
    """How one schema parameter is read from and written to a query."""

    name: str
    default: object
    allowed: str
    read: Callable[[list[str]], tuple[object, list[tuple[str, str]]]]
    write: Callable[[object], str]


def _enum_param(
    name: str, enum: type[StrEnum] | type[IntEnum], default: object, allowed: str | None = None
) -> _Param:
    values = [str(m.value) for m in enum]
    by_text = {str(m.value): m for m in enum}
    allowed_text = allowed or ", ".join(values)

    def read(raw: list[str]) -> tuple[object, list[tuple[str, str]]]:
        text = raw[-1].strip()
        if text not in by_text:
            raise _BadValue(text)
        bad = [
            (
                r,
                f"was ignored: '{name}' was given more than once and the last value ('{text}') "
                "was used",
            )
            for r in raw[:-1]
            if r.strip() != text  # repeating the same value loses nothing: no notice
        ]
        return by_text[text], bad

    return _Param(name, default, allowed_text, read, lambda v: str(v.value))  # type: ignore[attr-defined]


def _split_list(raw: list[str]) -> list[str]:
    return [item.strip() for value in raw for item in value.split(",") if item.strip()]


def _read_deps(raw: list[str]) -> tuple[object, list[tuple[str, str]]]:
    good: list[str] = []
    seen: set[str] = set()
    bad: list[tuple[str, str]] = []
    beyond: list[str] = []
    for item in _split_list(raw):
        if not is_valid_name(item):
            if len(bad) < MAX_NOTICES_PER_PARAM:
                bad.append((item, "is not a valid PyPI project name and was left out"))
        elif normalize_name(item) in seen:
            continue  # the same project again, perhaps spelt differently: not another name
        elif len(good) >= MAX_DEPENDENCIES:
            beyond.append(item)
        else:
            good.append(item)
            seen.add(normalize_name(item))
    if beyond:
        why = (
            f"and {len(beyond) - 1:,} more names are beyond the first {MAX_DEPENDENCIES} and "
            "were left out"
            if len(beyond) > 1
            else f"is beyond the first {MAX_DEPENDENCIES} names and was left out"
        )
        bad.append((beyond[0], why))
    return tuple(good), bad


def _read_workload(raw: list[str]) -> tuple[object, list[tuple[str, str]]]:
    good: set[Workload] = set()
    bad: list[tuple[str, str]] = []
    for item in _split_list(raw):
        try:
            good.add(Workload(item))
        except ValueError:
            bad.append((item, "is not a known workload and was left out"))
    return frozenset(good), bad


def _write_workload(value: object) -> str:
    chosen = value if isinstance(value, frozenset) else frozenset()
    return ",".join(w.value for w in Workload if w in chosen)


def _write_deps(value: object) -> str:
    return ",".join(value) if isinstance(value, tuple) else ""


_EXPERIENCE = "0 (none), 1 (basic), 2 (experienced), 3 (expert)"

V1_PARAMS: tuple[_Param, ...] = (
    _Param("deps", (), "PyPI project names, comma-separated", _read_deps, _write_deps),
    _Param(
        "workload",
        frozenset(),
        ", ".join(w.value for w in Workload),
        _read_workload,
        _write_workload,
    ),
    _enum_param("scale", Scale, Scale.MEDIUM),
    _enum_param("perf", Perf, Perf.NORMAL),
    _enum_param("exp_asyncio", Experience, Experience.BASIC, _EXPERIENCE),
    _enum_param("exp_trio", Experience, Experience.NONE, _EXPERIENCE),
    _enum_param("team", Team, Team.SMALL),
    _enum_param("codebase", Codebase, Codebase.NEW),
    _enum_param("kind", Kind, Kind.APP),
    _enum_param("python", PythonVersion, PythonVersion.PY312),
    _enum_param("cancel", Cancel, Cancel.NORMAL),
)
"""The v1 parameters in their canonical order (the order of DESIGN.md's table)."""

SCHEMAS: Mapping[int, tuple[_Param, ...]] = {1: V1_PARAMS}

_BY_NAME = {p.name: p for p in V1_PARAMS}
_QUERY_ORDER = ("v", *(p.name for p in V1_PARAMS))


@functools.lru_cache(maxsize=4096)
def _part(key: str, value: str) -> str:
    """One `key=value` part of a query, encoded as `urlencode(..., safe=",")` encodes it
    (remembered: most parts are one of a few choices)."""
    return urlencode([(key, value)], safe=",")


"""Every schema this code can read; a v2 adds an entry and keeps reading v1 links as v1."""

PARAM_ALLOWED: Mapping[str, str] = {p.name: p.allowed for p in V1_PARAMS}
"""Human description of the values each parameter takes, for help texts and notices."""

IGNORED_PARAMS = frozenset({"embed", "embed_options"})
"""Streamlit's own parameters: present in embedded links, not answers, and not worth a notice."""

MAX_VALUE_LENGTH = 50_000
"""A longer single value is cut (with a notice naming its parameter; `deps` and `workload` only
between items, naming the first item left out): 500 names of 100 characters fit in it. Other
parameters are never affected by a cut."""


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _collect(query: object) -> list[tuple[str, str]]:
    """Every (parameter, value) pair, in order; linear in the length of the query.

    A string (or UTF-8 bytes) is parsed as a query string. A mapping may hold a string, a
    sequence of values or None (no value) per key; anything else is read as its `str()`. Any
    other type is a programming mistake: TypeError.
    """
    if isinstance(query, (bytes, bytearray)):
        query = bytes(query).decode("utf-8", errors="replace")
    if isinstance(query, str):
        return parse_qsl(query.removeprefix("?"), keep_blank_values=True)
    if not isinstance(query, Mapping):
        raise TypeError(
            f"a share link's query is a string (or bytes, or a mapping), not {type(query).__name__}"
        )
    pairs: list[tuple[str, str]] = []
    for key, value in query.items():
        if value is None:
            continue
        values: Iterable[object] = [value] if isinstance(value, (str, bytes, int, float)) else value
        try:
            pairs.extend((str(key), str(v)) for v in values)
        except TypeError:  # not iterable: one value
            pairs.append((str(key), str(value)))
    return pairs


_LIST_ITEM = {"deps": "name", "workload": "workload"}
"""The comma-separated parameters, and what one of their items is called in notices."""


def _read_list_value(key: str, value: str) -> tuple[str, list[Notice]]:
    """A `deps` or `workload` value with each item over `MAX_NAME_LENGTH` left out (named in a
    notice), and the rest cut at an item boundary once `MAX_VALUE_LENGTH` is reached (the first
    item left out named). One pass; no item is ever cut in the middle."""
    noun = _LIST_ITEM[key]
    kept: list[str] = []
    kept_length = 0
    notices: list[Notice] = []
    too_long = 0
    position = 0
    while position <= len(value):
        end = value.find(",", position)
        end = len(value) if end < 0 else end
        item = value[position:end]
        if len(item) > MAX_NAME_LENGTH and len(item.strip()) > MAX_NAME_LENGTH:
            too_long += 1
            if too_long <= MAX_NOTICES_PER_PARAM:
                shown = _shorten(item.strip()[:61])
                notices.append(
                    Notice(
                        param=key,
                        value=shown,
                        message=(
                            f"'{key}': '{shown}' is {len(item.strip()):,} characters long, over "
                            f"the {MAX_NAME_LENGTH} a {noun} may have, and was left out; the "
                            f"other {noun}s were read."
                        ),
                    )
                )
        elif kept_length + len(item) + 1 > MAX_VALUE_LENGTH:
            rest = value.count(",", end) + 1
            shown = _shorten(item.strip()[:61])
            notices.append(
                Notice(
                    param=key,
                    value=_shorten(value[:61]),
                    message=(
                        f"'{key}' was {len(value):,} characters long and was cut to its first "
                        f"{max(kept_length - 1, 0):,}: the {noun}s from '{shown}' on "
                        f"({rest:,} in all) were left out; the other parameters were read in full."
                    ),
                )
            )
            break
        else:
            kept.append(item)
            kept_length += len(item) + 1
        position = end + 1
    if too_long > MAX_NOTICES_PER_PARAM:
        more = too_long - MAX_NOTICES_PER_PARAM
        notices.append(
            Notice(
                param=key,
                value="",
                message=(
                    f"'{key}': {more:,} more {noun}s over {MAX_NAME_LENGTH} characters were "
                    "left out."
                ),
            )
        )
    return ",".join(kept), notices


def _cut_long_values(pairs: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[Notice]]:
    kept: list[tuple[str, str]] = []
    notices: list[Notice] = []
    for key, value in pairs:
        if key in _LIST_ITEM and len(value) > MAX_NAME_LENGTH:
            value, dropped = _read_list_value(key, value)
            notices += dropped
        elif len(value) > MAX_VALUE_LENGTH:
            cut = value[:MAX_VALUE_LENGTH]
            shown_key = _shorten(key, 40)
            notices.append(
                Notice(
                    param=shown_key,
                    value=_shorten(value),
                    message=(
                        f"'{shown_key}' was {len(value):,} characters long and was cut to its "
                        f"first {len(cut):,}; the other parameters were read in full."
                    ),
                )
            )
            value = cut
        kept.append((key, value))
    return kept, notices


def read_query(query: str | Mapping[str, str | Sequence[str] | None]) -> QueryReading:
    """Read a share link's query string (or a mapping of parameter to values).

    Never raises. A bad value drops only itself: a bad dependency name drops that name, a bad
    `scale` drops to the default scale; each drop gives a `Notice` naming the parameter and
    the values it allows. Unknown parameters are ignored with a notice.
    """
    pairs, notices = _cut_long_values(_collect(query))
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)

    version = SCHEMA_VERSION
    raw_version = grouped.pop("v", None)
    if raw_version is not None:
        text = raw_version[-1].strip()
        if text.isascii() and text.isdigit() and int(text) in SCHEMAS:
            version = int(text)
        else:
            notices.append(
                Notice(
                    param="v",
                    value=_shorten(text),
                    message=(
                        f"Schema version '{_shorten(text)}' is not known; the link was read as "
                        f"version {SCHEMA_VERSION}. Allowed: "
                        + ", ".join(str(v) for v in SCHEMAS)
                        + "."
                    ),
                )
            )

    values: dict[str, object] = {}
    for param in SCHEMAS[version]:
        raw = grouped.pop(param.name, None)
        if raw is None:
            continue
        try:
            parsed, bad = param.read(raw)
        except _BadValue as error:
            bad_text = _shorten(str(error))
            notices.append(
                Notice(
                    param=param.name,
                    value=bad_text,
                    message=(
                        f"'{param.name}={bad_text}' is not allowed, so the default "
                        f"({param.write(param.default) or 'none'}) was used. "
                        f"Allowed: {param.allowed}."
                    ),
                )
            )
            continue
        values[param.name] = parsed
        for item, why in bad:
            shown = _shorten(item)
            notices.append(
                Notice(
                    param=param.name,
                    value=shown,
                    message=f"'{param.name}': '{shown}' {why}. Allowed: {param.allowed}.",
                )
            )

    for key, raw in grouped.items():
        if key in IGNORED_PARAMS:
            continue
        shown_key = _shorten(key, 40)
        notices.append(
            Notice(
                param=shown_key,
                value=_shorten(raw[-1]),
                message=f"Unknown parameter '{shown_key}' was ignored.",
                unknown_param=True,
            )
        )

    answers = Answers(**values)  # type: ignore[arg-type]
    return QueryReading(answers=answers, notices=tuple(notices), schema_version=version)


_FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Answers))

ANSWER_FIELDS: tuple[str, ...] = tuple(p.name for p in V1_PARAMS)
"""The answer parameters in canonical order."""

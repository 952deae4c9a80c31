"""requirements.txt, `pip freeze`, `pip-compile` and `uv export` output, read by pip's line rules.

The line rules are pip's own (`pip._internal.req.req_file`: `join_lines`, `ignore_comments`,
`break_args_options`), rewritten to be linear in the input: pip's comment pattern
`(^|\\s+)#.*$` backtracks quadratically over long runs of blanks, and its option splitting pops
from the front of a list. So, as in pip: a line ending in `\\` continues on the next, except a
comment line, which never continues (a comment inside a continuation ends it); `#` starts a
comment at the start of a line or after white space (`#egg=` in a URL survives); the requirement
is every word before the first word starting with `-`, the rest are options.

Nothing is executed or followed: `-r`/`-c` includes are reported, not read (the file they name
is not what was given), and a local path is a project whose name cannot be told. `# via`
annotations (pip-compile, uv export) give the tree: a package pulled in only by other packages
of the file is transitive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from advisor.deps.model import DependencyRole
from advisor.deps.reading import (
    MAX_DECLARED,
    MAX_LOCKED,
    Declared,
    FileFormat,
    LineProblem,
    LockedPackage,
    Reading,
    first_line,
    shorten,
)

_INCLUDE = re.compile(r"(-r|-c|--requirement|--constraint)(?:\s*=\s*|\s+|(?=\S))(\S+)")
_EDITABLE = re.compile(r"(-e|--editable)(?:\s*=\s*|\s+|(?=\S))(\S+)")
_SIMPLE = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\s*==\s*([0-9][0-9A-Za-z.+!_-]{0,60}))?")
"""`name` or `name==version`, the bulk of `pip freeze` output: read without the full parser."""
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_VCS = ("git+", "hg+", "svn+", "bzr+")
_URL_SCHEMES = frozenset({"http", "https", "file", "ftp"})
_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar", ".zip")
_KNOWN_OPTIONS = (
    "-i",
    "--index-url",
    "--extra-index-url",
    "--no-index",
    "-f",
    "--find-links",
    "--pre",
    "--trusted-host",
    "--prefer-binary",
    "--require-hashes",
    "--only-binary",
    "--no-binary",
    "--use-feature",
    "--hash",
    "--config-settings",
    "--global-option",
    "--install-option",
)


def _is_comment_line(line: str) -> bool:
    """pip's `COMMENT_RE.match(line)`: optional white space, then `#`."""
    return line.lstrip().startswith("#")


def _strip_comment(line: str) -> str:
    """pip's `COMMENT_RE.sub("", line).strip()`, in linear time."""
    start = 0
    while True:
        hash_at = line.find("#", start)
        if hash_at < 0:
            return line.strip()
        if hash_at == 0 or line[hash_at - 1].isspace():
            return line[:hash_at].strip()
        start = hash_at + 1


def _joined_lines(text: str) -> Iterator[tuple[int, str]]:
    """pip's `join_lines`: (first line number, joined line); comment lines come through whole."""
    parts: list[str] = []
    primary = 0
    for number, line in enumerate(text.splitlines(), 1):
        comment = _is_comment_line(line)
        if not line.endswith("\\") or comment:
            if parts:
                parts.append(" " + line if comment else line)
                yield primary, "".join(parts)
                parts = []
            else:
                yield number, line
        else:
            if not parts:
                primary = number
            parts.append(line.strip("\\"))
    if parts:
        yield primary, "".join(parts)


def _break_args_options(line: str) -> tuple[str, str]:
    """pip's `break_args_options`: the words before the first `-word`, and the rest."""
    tokens = line.split(" ")
    for index, token in enumerate(tokens):
        if token.startswith("-"):
            return " ".join(tokens[:index]), " ".join(tokens[index:])
    return line, ""


def _name_from_archive(filename: str) -> str | None:
    lowered = filename.lower()
    if lowered.endswith(".whl"):
        name = filename.split("-", 1)[0]
        return name or None
    if not lowered.endswith(_ARCHIVES):
        return None
    start = 0
    while True:
        dash = filename.find("-", start)
        if dash < 0 or dash + 1 >= len(filename):
            return None
        if filename[dash + 1].isdigit():
            return filename[:dash] or None
        start = dash + 1


def _name_from_url(url: str) -> str | None:
    egg = _EGG.search(url)
    if egg:
        return egg.group(1)
    try:
        path = unquote(urlsplit(url).path).rstrip("/")
    except ValueError:  # urllib refuses some malformed URLs, e.g. "http://[::1/x"
        return None
    return _name_from_archive(path.rsplit("/", 1)[-1])


def _is_url(text: str) -> bool:
    scheme = text.split(":", 1)[0].lower()
    return ":" in text and (scheme in _URL_SCHEMES or scheme.startswith(_VCS))


def _looks_like_path(text: str) -> bool:
    """pip's `_looks_like_path` (either separator, or a leading dot), before any ` @ `."""
    head = text.split("@", 1)[0]
    return "/" in head or "\\" in head or text.startswith((".", "~"))


@dataclass(slots=True)
class _State:
    declared: dict[str, Declared] = field(default_factory=dict)
    problems: list[LineProblem] = field(default_factory=list)
    not_followed: list[LineProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    via: dict[str, list[str]] = field(default_factory=dict)
    pins: dict[str, Version] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)


def checked_specifier(requirement: Requirement) -> str | None:
    """Why the requirement's version specifier is unusable (e.g. 5,000 digits), or None."""
    for spec in requirement.specifier:
        if spec.operator == "===":
            continue
        try:
            Version(spec.version.removesuffix(".*"))
        except ValueError as error:  # InvalidVersion, or an integer over 4,300 digits
            return f"version {shorten(spec.version, 40)!r} is not usable: {first_line(error)}"
    return None


def parse_requirement(text: str) -> tuple[Requirement | None, str | None]:
    """A PEP 508 string parsed by `packaging`, or the reason it could not be (never raises)."""
    try:
        requirement = Requirement(text)
    except InvalidRequirement as error:
        return None, f"not a requirement: {first_line(error)}"
    except RecursionError:
        return None, "not a requirement: nested too deeply"
    problem = checked_specifier(requirement)
    if problem:
        return None, problem
    return requirement, None


def exact_pin(specifier: SpecifierSet | None) -> Version | None:
    """The version of a single `==x` / `===x` specifier (no wildcard), else None."""
    specs = list(specifier) if specifier is not None else []
    if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
        try:
            return Version(specs[0].version)
        except ValueError:
            return None
    return None


def add_declared(store: dict[str, Declared], item: Declared) -> None:
    """Record a declaration; a repeated one narrows the range and adds extras."""
    key = f"{item.name}\0{item.role}\0{item.group}"
    previous = store.get(key)
    if previous is None:
        store[key] = item
        return
    if previous.specifier is None or item.specifier is None:
        specifier = previous.specifier or item.specifier
    else:
        specifier = previous.specifier & item.specifier
    store[key] = Declared(
        name=item.name,
        role=item.role,
        group=item.group,
        specifier=specifier,
        extras=tuple(sorted({*previous.extras, *item.extras})),
        line=previous.line,
    )


def _read_option_line(state: _State, number: int, shown: str, options: str) -> str | None:
    include = _INCLUDE.match(options)
    if include:
        state.not_followed.append(
            LineProblem(
                line=number,
                text=shown,
                problem=f"includes {include.group(2)}, which was not read; give that file too",
            )
        )
        return None
    editable = _EDITABLE.match(options)
    if editable:
        target = editable.group(2)
        name = _name_from_url(target) if _is_url(target) or "#egg=" in target else None
        if name is None:
            state.not_followed.append(
                LineProblem(
                    line=number,
                    text=shown,
                    problem="an editable local project (no '#egg=NAME'); its name cannot be told",
                )
            )
        return name
    if not options.startswith(_KNOWN_OPTIONS):
        state.problems.append(
            LineProblem(line=number, text=shown, problem="not an option pip knows")
        )
    return None


def _read_requirement_line(
    state: _State, number: int, shown: str, args: str
) -> tuple[str, SpecifierSet | None, tuple[str, ...]] | None:
    marker_sep = "; " if _is_url(args) else ";"
    target = args.split(marker_sep, 1)[0].strip()
    if _is_url(target):
        name = _name_from_url(target)
        if name is None:
            state.not_followed.append(
                LineProblem(
                    line=number,
                    text=shown,
                    problem="a URL whose project name cannot be told; write 'name @ URL'",
                )
            )
        return None if name is None else (canonicalize_name(name), None, ())
    simple = _SIMPLE.fullmatch(args)
    if simple and simple.group(1)[-1].isalnum():
        version = simple.group(2)
        if version is None:
            return canonicalize_name(simple.group(1)), None, ()
        try:
            Version(version)
        except ValueError:
            pass  # the full parser reports it
        else:
            return canonicalize_name(simple.group(1)), SpecifierSet(f"=={version}"), ()
    if _looks_like_path(target) and not any(c.isspace() for c in target):
        bare = target.split("[", 1)[0]
        name = _name_from_archive(bare.replace("\\", "/").rsplit("/", 1)[-1])
        if name is not None:
            return canonicalize_name(name), None, ()
        requirement, _ = parse_requirement(args) if "@" in target else (None, None)
        if requirement is None:
            state.not_followed.append(
                LineProblem(
                    line=number,
                    text=shown,
                    problem="a local project (a path); its name cannot be told",
                )
            )
            return None
    requirement, problem = parse_requirement(args)
    if requirement is None:
        state.problems.append(LineProblem(line=number, text=shown, problem=problem or ""))
        return None
    extras = tuple(sorted(canonicalize_name(e) for e in requirement.extras))
    return canonicalize_name(requirement.name), requirement.specifier or None, extras


def _read_via(comment: str, current: str | None, state: _State, in_list: bool) -> bool:
    """Read one `# via` comment line for the requirement just read; True while in a list."""
    if current is None:
        return False
    body = comment.lstrip().lstrip("#").strip()
    if body == "via":
        state.via.setdefault(current, [])
        return True
    if body.startswith("via "):
        parents = [p.strip() for p in body[4:].split(",")]
        state.via.setdefault(current, []).extend(p for p in parents if p)
        return False
    if in_list and body:
        state.via[current].append(body)
        return True
    return False


def parse_requirements_txt(text: str) -> Reading:
    """Read requirements.txt, `pip freeze`, `pip-compile` or `uv export` output (never raises).

    The text must already be within the size limit (`advisor.deps.decoding`).
    """
    state = _State()
    current: str | None = None
    in_via = False
    for number, raw in _joined_lines(text):
        if _is_comment_line(raw):
            in_via = _read_via(raw, current, state, in_via)
            continue
        in_via = False
        line = _strip_comment(raw)
        if not line:
            continue
        current = None
        shown = shorten(raw.strip())
        args, options = _break_args_options(line)
        found: tuple[str, SpecifierSet | None, tuple[str, ...]] | None
        if not args:
            name = _read_option_line(state, number, shown, options)
            found = None if name is None else (canonicalize_name(name), None, ())
        else:
            found = _read_requirement_line(state, number, shown, args)
        if found is None:
            continue
        # Without `# via` annotations every entry is direct: stop past the one limit. Annotated
        # output lists the whole tree, so read on to the lock-file limit.
        limit = MAX_LOCKED if state.via else MAX_DECLARED
        if found[0] not in state.names:
            if len(state.names) >= limit:
                state.notices.append(
                    f"The file lists more than {limit:,} dependencies: only the first {limit:,} "
                    f"were read; line {number} and those after it were not."
                )
                break
            state.names.add(found[0])
        name, specifier, extras = found
        current = name
        pin = exact_pin(specifier)
        if pin is not None:
            state.pins[name] = pin
        add_declared(
            state.declared,
            Declared(
                name=name,
                role=DependencyRole.RUNTIME,
                specifier=specifier,
                extras=extras,
                line=number,
            ),
        )
    return _finish(state)


def _finish(state: _State) -> Reading:
    declared = list(state.declared.values())
    locked: dict[str, LockedPackage] = {}
    if state.via:
        # Annotated output lists the whole tree: a package whose every `via` is another
        # package of the file is transitive; one via the input file or the project is direct.
        names = {d.name for d in declared}
        children: dict[str, list[str]] = {name: [] for name in names}
        direct: set[str] = set()
        for child in names:
            vias = state.via.get(child)
            packages = [
                canonicalize_name(v.split("[", 1)[0].split(" ", 1)[0])
                for v in vias or ()
                if v[:1] != "-"
            ]
            inside = [p for p in packages if p in names and p != child]
            for parent in inside:
                children[parent].append(child)
            if not inside or len(inside) < len(packages) or any(v[:2] == "-r" for v in vias or ()):
                direct.add(child)
        locked = {
            name: LockedPackage(
                name=name, version=state.pins.get(name), requires=tuple(sorted(children[name]))
            )
            for name in sorted(names)
        }
        declared = [d for d in declared if d.name in direct]
    if len(declared) > MAX_DECLARED:
        state.notices.append(
            f"The file lists {len(declared):,} dependencies; only the first {MAX_DECLARED} "
            f"were read (the rest, from {declared[MAX_DECLARED].name!r} on, were left out)."
        )
        declared = declared[:MAX_DECLARED]
    return Reading(
        format=FileFormat.REQUIREMENTS,
        declared=tuple(declared),
        locked=locked,
        problems=tuple(state.problems),
        not_followed=tuple(state.not_followed),
        notices=tuple(state.notices),
    )

"""Finding concurrency API uses in one module's source with `ast` (nothing is imported or run).

Names are resolved through the module's own imports: `import asyncio as aio` makes `aio.gather`
a use of `asyncio.gather`; `from trio import open_nursery as on` makes `on` one of
`trio.open_nursery`; relative imports are resolved against the module's package. Limits, kept
on purpose for speed and predictability: the import table is one per module (an import inside a
function counts for the whole module, and a local variable that shadows an imported name is
not tracked); dynamic imports (`importlib.import_module`) are not followed; loop methods
(`loop.run_in_executor`) are recognised by their name on any object, only in modules that
import asyncio.

Decoding follows Python's own rules (PEP 263 coding cookie, UTF-8 BOM, UTF-8 by default);
a file that cannot be decoded or parsed is reported with the line Python names, never raised.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from advisor.scan.catalog import Catalog, Family


@dataclass(frozen=True, slots=True, kw_only=True)
class Use:
    """One use of a catalogued API in a module."""

    api: str
    """The public name (`asyncio.gather`, `asyncio.loop.run_in_executor`)."""
    kind: str
    """The id of the catalog kind it belongs to."""
    line: int
    """1-based line number."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ModuleScan:
    """What one module's source gave."""

    lines: int
    """Number of lines in the file."""
    uses: tuple[Use, ...] = ()
    """Every use found, in source order."""
    problem: str | None = None
    """Why the file could not be read (decoding or syntax error, with its line), or None."""
    parsed: bool = False
    """Whether the file was parsed (files naming none of the catalog's packages are not)."""


def decode_source(data: bytes) -> str:
    """The text of a Python source file, decoded as the interpreter would.

    Honours a UTF-8 BOM and a PEP 263 coding cookie on line 1 or 2, defaulting to UTF-8.
    Raises `SyntaxError` (unknown or conflicting encoding) or `UnicodeDecodeError`.
    """
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(encoding)
    return text.removeprefix("\ufeff")


def module_package(module: str, is_package: bool) -> str:
    """The package relative imports resolve against: the module itself for `__init__`."""
    return module if is_package else module.rpartition(".")[0]


def _resolve_from(node: ast.ImportFrom, package: str) -> str | None:
    if not node.level:
        return node.module
    parts = package.split(".") if package else []
    if node.level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (node.level - 1)]
    if node.module:
        base.append(node.module)
    return ".".join(base) or None


def _line_count(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") or not text else 1)


def scan_module(data: bytes, *, module: str, is_package: bool, catalog: Catalog) -> ModuleScan:
    """Uses of catalogued APIs in one module's source bytes.

    `module` is the dotted module name (`pkg.sub.mod`) used to resolve relative imports;
    `is_package` says the file is a package's `__init__`. Never raises on bad input: a file
    that cannot be decoded or parsed comes back with `problem` set.
    """
    try:
        text = decode_source(data)
    except (SyntaxError, UnicodeDecodeError, LookupError) as error:
        return ModuleScan(lines=data.count(b"\n"), problem=f"cannot be decoded: {error}")
    lines = _line_count(text)
    own_root = module.split(".", 1)[0]
    roots = catalog.roots
    if own_root not in roots and not any(root in text for root in roots):
        return ModuleScan(lines=lines)
    try:
        tree = ast.parse(text)
    except SyntaxError as error:
        where = f"line {error.lineno}: " if error.lineno else ""
        return ModuleScan(lines=lines, problem=f"{where}{error.msg}", parsed=True)
    except (ValueError, RecursionError, MemoryError) as error:
        return ModuleScan(lines=lines, problem=f"cannot be parsed: {error}", parsed=True)
    uses = tuple(_find_uses(tree, text, module_package(module, is_package), catalog))
    return ModuleScan(lines=lines, uses=uses, parsed=True)


_CONTAINERS = (ast.stmt, ast.excepthandler, ast.match_case)


def _statements(tree: ast.Module) -> list[ast.AST]:
    """Every statement, except handler and match case (the nodes that hold statements)."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        found.append(node)
        children: list[ast.AST] = []
        for field in node._fields:
            value = getattr(node, field, None)
            if type(value) is list and value and isinstance(value[0], _CONTAINERS):
                children.extend(value)
        stack.extend(reversed(children))
    return found


def _collect_imports(statements: list[ast.AST], package: str) -> tuple[dict[str, str], list[str]]:
    aliases: dict[str, str] = {}
    star: list[str] = []
    for node in statements:
        node_type = type(node)
        if node_type is ast.Import:
            for alias in node.names:  # type: ignore[attr-defined]
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".", 1)[0]
                    aliases[top] = top
        elif node_type is ast.ImportFrom:
            base = _resolve_from(node, package)  # type: ignore[arg-type]
            if base is None:
                continue
            for alias in node.names:  # type: ignore[attr-defined]
                if alias.name == "*":
                    star.append(base)
                else:
                    aliases[alias.asname or alias.name] = f"{base}.{alias.name}"
    return aliases, star


@lru_cache(maxsize=256)
def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b")


def _hit_lines(text: str, words: set[str]) -> list[int]:
    """Sorted line numbers where any of `words` occurs as a whole identifier."""
    pattern = _word_pattern(tuple(sorted(words, key=lambda w: (-len(w), w))))
    lines: list[int] = []
    line = 1
    last = 0
    for match in pattern.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def _has_hit(hits: list[int], start: int, end: int) -> bool:
    index = bisect_left(hits, start)
    return index < len(hits) and hits[index] <= end


def _candidate_expressions(statements: list[ast.AST], hits: list[int]) -> Iterator[ast.AST]:
    """The expression parts of statements on hit lines (bodies are statements of their own)."""
    for node in statements:
        start = getattr(node, "lineno", None)
        if start is not None:
            decorators = getattr(node, "decorator_list", None)
            if decorators:
                start = min(start, decorators[0].lineno)
            if not _has_hit(hits, start, node.end_lineno or start):  # type: ignore[attr-defined]
                continue
        for field in node._fields:
            value = getattr(node, field, None)
            if type(value) is list:
                if value and isinstance(value[0], _CONTAINERS):
                    continue
                children = value
            elif isinstance(value, ast.AST):
                children = [value]
            else:
                continue
            for child in children:
                if not isinstance(child, ast.AST):
                    continue
                line = getattr(child, "lineno", None)
                if line is None or _has_hit(hits, line, child.end_lineno or line):  # type: ignore[attr-defined]
                    yield child


def _find_uses(tree: ast.Module, text: str, package: str, catalog: Catalog) -> Iterator[Use]:
    roots = catalog.roots
    statements = _statements(tree)
    aliases, star = _collect_imports(statements, package)
    relevant = {local: full for local, full in aliases.items() if full.split(".", 1)[0] in roots}
    star = [module for module in star if module.split(".", 1)[0] in roots]
    if not relevant and not star:
        return
    loop_methods = any(full.split(".", 1)[0] == "asyncio" for full in relevant.values())
    if star:
        expressions: Iterable[ast.AST] = [tree]
    else:
        words = set(relevant)
        if loop_methods:
            words.update(catalog.method_names)
        expressions = _candidate_expressions(statements, _hit_lines(text, words))
    attribute, name_type, load = ast.Attribute, ast.Name, ast.Load
    attributes: list[ast.Attribute] = []
    names: list[ast.Name] = []
    for expression in expressions:
        for node in ast.walk(expression):
            node_type = type(node)
            if node_type is attribute:
                attributes.append(node)  # type: ignore[arg-type]
            elif node_type is name_type and type(node.ctx) is load:  # type: ignore[attr-defined]
                names.append(node)  # type: ignore[arg-type]
    consumed: set[int] = set()
    for node in attributes:
        if id(node) in consumed:
            continue
        parts = [node.attr]
        inner: ast.expr = node.value
        while type(inner) is attribute:
            consumed.add(id(inner))
            parts.append(inner.attr)
            inner = inner.value
        base = relevant.get(inner.id) if isinstance(inner, name_type) else None
        if base is not None:
            consumed.add(id(inner))
            parts.reverse()
            for end in range(len(parts), -1, -1):
                found = catalog.lookup(".".join((base, *parts[:end])))
                if found is not None:
                    yield Use(api=found[0], kind=found[1].id, line=node.lineno)
                    break
            continue
        if loop_methods:
            kind = catalog.method_kind(node.attr)
            if kind is not None and kind.family is Family.ASYNCIO:
                yield Use(api=f"asyncio.loop.{node.attr}", kind=kind.id, line=node.lineno)
    for name in names:
        if id(name) in consumed:
            continue
        full = relevant.get(name.id)
        if full is not None:
            found = catalog.lookup(full)
        elif star:
            found = next(
                (f for m in star if (f := catalog.lookup(f"{m}.{name.id}")) is not None), None
            )
        else:
            continue
        if found is not None:
            yield Use(api=found[0], kind=found[1].id, line=name.lineno)

"""The rule condition language: a small, closed, type-checked subset of Python expressions.

A condition such as `scale == 'large' and 'server' in workload` is parsed once, at load time,
with `ast.parse(mode="eval")`; only a whitelist of node kinds is accepted and turned into our
own frozen tree, every name is checked against a declared vocabulary (with a "did you mean"
suggestion), every literal against the values its name can take, and the tree is compiled into
plain closures. Nothing is ever passed to `eval` or `exec`.

Grammar (informally):
    cond    := cond 'and' cond | cond 'or' cond | 'not' cond | '(' cond ')' | compare | boolname
    compare := operand (op operand)+           # chains such as `1 <= n_deps < 10` are allowed
    op      := '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in'
    operand := name | 'string' | integer | True | False | ('lit', 'lit', ...)
"""

from __future__ import annotations

import ast
import difflib
import operator
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from enum import IntEnum, StrEnum
from typing import Literal

Kind = Literal["int", "bool", "enum", "set", "str"]

MAX_CONDITION_LENGTH = 2_000
"""Conditions are one line of logic; a longer text is a mistake, refused before parsing."""


class ConditionError(ValueError):
    """A condition does not parse or does not type-check; carries the details as data."""

    def __init__(
        self, problem: str, *, name: str | None = None, suggestion: str | None = None
    ) -> None:
        self.problem = problem
        """What is wrong, in one sentence."""
        self.name = name
        """The offending name or literal, when there is one."""
        self.suggestion = suggestion
        """The closest known name or value, when one is close."""
        super().__init__(problem)


@dataclass(frozen=True, slots=True, kw_only=True)
class NameType:
    """What one vocabulary name holds, so conditions using it can be checked at load."""

    name: str
    """The name as written in conditions."""
    kind: Kind
    """int, bool, enum (one of `values`), set (a set of strings) or str (free text)."""
    values: tuple[str, ...] | None
    """Allowed literal values (enum values, or the elements a set may hold), if closed."""
    ordered: bool
    """Whether <, <=, >, >= make sense (ints, and enums with an order such as scale)."""
    doc: str
    """One line for the methodology page."""


Vocabulary = Mapping[str, NameType]


def vocabulary_of(
    cls: type, domains: Mapping[str, tuple[str, ...]] | None = None
) -> dict[str, NameType]:
    """The vocabulary declared by a dataclass's fields (types plus `doc`/`ordered` metadata).

    `domains` closes a free-text set or string field over values known only at load time
    (for example the catalog's categories).
    """
    if not is_dataclass(cls):
        raise TypeError(f"{cls!r} is not a dataclass")
    hints = typing.get_type_hints(cls)
    result: dict[str, NameType] = {}
    for f in fields(cls):
        hint = hints[f.name]
        values: tuple[str, ...] | None = None
        kind: Kind
        if hint is bool:
            kind = "bool"
        elif (isinstance(hint, type) and issubclass(hint, IntEnum)) or hint is int:
            kind = "int"
        elif isinstance(hint, type) and issubclass(hint, StrEnum):
            kind, values = "enum", tuple(m.value for m in hint)
        elif hint is str:
            kind = "str"
        elif typing.get_origin(hint) is frozenset:
            (element,) = typing.get_args(hint)
            kind = "set"
            if isinstance(element, type) and issubclass(element, StrEnum):
                values = tuple(m.value for m in element)
        else:
            continue  # not usable in conditions (e.g. a catalog entry)
        if domains and f.name in domains:
            values = domains[f.name]
        result[f.name] = NameType(
            name=f.name,
            kind=kind,
            values=values,
            ordered=kind == "int" or bool(f.metadata.get("ordered")),
            doc=str(f.metadata.get("doc", "")),
        )
    return result


# --- the frozen tree ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ref:
    """A vocabulary name."""

    name: str


@dataclass(frozen=True, slots=True)
class Const:
    """A literal string, integer or boolean."""

    value: str | int | bool


@dataclass(frozen=True, slots=True)
class ConstSet:
    """A literal collection, used on the right of `in`."""

    values: tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Compare:
    """`left op right`, with op one of == != < <= > >= in, not in."""

    left: Ref | Const
    op: str
    right: Ref | Const | ConstSet


@dataclass(frozen=True, slots=True)
class AllOf:
    """`a and b and ...`."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """`a or b or ...`."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Negation:
    """`not a`."""

    item: Node


@dataclass(frozen=True, slots=True)
class Truth:
    """A bare boolean: a bool name, or the constants True / False."""

    operand: Ref | Const


Node = Compare | AllOf | AnyOf | Negation | Truth

Predicate = Callable[[object], bool]


@dataclass(frozen=True, slots=True, kw_only=True)
class Condition:
    """A parsed, checked and compiled condition."""

    text: str
    """The source text, shown on the page under "why"."""
    tree: Node
    """The frozen tree the text parsed to."""
    names: frozenset[str]
    """Every vocabulary name the condition reads (lets the engine skip unaffected rules)."""
    reads: frozenset[str]
    """What it reads, finer: a set it only tests for quoted members appears as
    `set[member]` per member (`'cli' in workload` reads `workload[cli]`), so a change to one
    member of a set skips the conditions that test only others (see `reads_any`); every other
    name appears as itself."""
    test: Predicate
    """The compiled predicate over a facts object."""

    def __call__(self, facts: object) -> bool:
        return self.test(facts)


_OPS: Mapping[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
}
_MIRROR = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_ORDER_FUNCS: Mapping[str, Callable[[typing.Any, typing.Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _did_you_mean(word: str, options: typing.Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return close[0] if close else None


class _Builder:
    """Turns an `ast` expression into the frozen tree, checking names and literal values."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.names: set[str] = set()

    def condition(self, node: ast.expr) -> Node:
        if isinstance(node, ast.BoolOp):
            items = tuple(self.condition(v) for v in node.values)
            return AllOf(items) if isinstance(node.op, ast.And) else AnyOf(items)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return Negation(self.condition(node.operand))
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return Truth(Const(node.value))
        if isinstance(node, ast.Name):
            ref = self.ref(node)
            kind = self.vocabulary[ref.name].kind
            if kind != "bool":
                raise ConditionError(
                    f"'{ref.name}' is {_article(kind)}, not a condition; compare it "
                    f"(for example {_example(self.vocabulary[ref.name])})",
                    name=ref.name,
                )
            return Truth(ref)
        raise ConditionError(f"'{_source(node)}' is not allowed in a condition")

    def ref(self, node: ast.Name) -> Ref:
        if node.id not in self.vocabulary:
            suggestion = _did_you_mean(node.id, self.vocabulary)
            hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
            raise ConditionError(
                f"unknown name '{node.id}'{hint}", name=node.id, suggestion=suggestion
            )
        self.names.add(node.id)
        return Ref(node.id)

    def operand(self, node: ast.expr) -> Ref | Const | ConstSet:
        if isinstance(node, ast.Name):
            return self.ref(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, int)):
            return Const(node.value)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            values: list[str | int] = []
            for element in node.elts:
                if not (
                    isinstance(element, ast.Constant)
                    and isinstance(element.value, (str, int))
                    and not isinstance(element.value, bool)
                ):
                    raise ConditionError(
                        f"a literal list may hold only strings or integers, not "
                        f"'{_source(element)}'"
                    )
                values.append(element.value)
            return ConstSet(tuple(values))
        raise ConditionError(f"'{_source(node)}' is not allowed in a condition")

    def compare(self, node: ast.Compare) -> Node:
        left = self.operand(node.left)
        pairs: list[Node] = []
        for op_node, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.operand(right_node)
            op = _OPS.get(type(op_node))
            if op is None:
                raise ConditionError(f"operator '{type(op_node).__name__}' is not allowed")
            pairs.append(self.pair(left, op, right))
            left = right  # a literal list here is refused by the next pair, if there is one
        return pairs[0] if len(pairs) == 1 else AllOf(tuple(pairs))

    def pair(self, left: Ref | Const | ConstSet, op: str, right: Ref | Const | ConstSet) -> Compare:
        if isinstance(left, ConstSet):
            raise ConditionError("a literal list may appear only on the right of 'in'")
        if op in ("in", "not in"):
            return self.membership(left, op, right)
        if isinstance(right, ConstSet):
            raise ConditionError(f"a literal list cannot be compared with '{op}'; use 'in'")
        if isinstance(left, Const) and isinstance(right, Ref):
            left, op, right = right, _MIRROR[op], left
        if not isinstance(left, Ref):
            raise ConditionError("a comparison needs a name on one side")
        spec = self.vocabulary[left.name]
        if spec.kind == "set":
            raise ConditionError(
                f"'{left.name}' is a set; test membership with 'in' (for example {_example(spec)})",
                name=left.name,
            )
        if op not in ("==", "!=") and not spec.ordered:
            raise ConditionError(
                f"'{left.name}' has no order, so '{op}' does not apply; use == or !=",
                name=left.name,
            )
        if isinstance(right, Ref):
            other = self.vocabulary[right.name]
            if (other.kind, other.values) != (spec.kind, spec.values):
                raise ConditionError(
                    f"'{left.name}' and '{right.name}' hold different kinds of value",
                    name=right.name,
                )
        else:
            self.check_value(spec, right.value)
        return Compare(left, op, right)

    def membership(self, left: Ref | Const, op: str, right: Ref | Const | ConstSet) -> Compare:
        if isinstance(right, Ref):
            spec = self.vocabulary[right.name]
            if spec.kind != "set":
                raise ConditionError(
                    f"'{right.name}' is {_article(spec.kind)}; 'in' needs a set on its right "
                    f"or a literal list such as ('a', 'b')",
                    name=right.name,
                )
            if not isinstance(left, Const) or not isinstance(left.value, str):
                raise ConditionError(f"the left of 'in {right.name}' must be a quoted string")
            self.check_value(spec, left.value)
            return Compare(left, op, right)
        if isinstance(right, ConstSet) and isinstance(left, Ref):
            spec = self.vocabulary[left.name]
            if spec.kind == "set":
                raise ConditionError(f"'{left.name}' is a set; write `'value' in {left.name}`")
            for value in right.values:
                self.check_value(spec, value)
            return Compare(left, op, right)
        raise ConditionError("'in' needs a quoted string and a set name, or a name and a list")

    def check_value(self, spec: NameType, value: str | int | bool) -> None:
        if spec.kind == "int":
            if not isinstance(value, int) or isinstance(value, bool):
                raise ConditionError(f"'{spec.name}' is a number; {value!r} is not", name=spec.name)
            return
        if spec.kind == "bool":
            if not isinstance(value, bool):
                raise ConditionError(f"'{spec.name}' is True or False; {value!r} is not")
            return
        if not isinstance(value, str):
            raise ConditionError(f"'{spec.name}' holds text; {value!r} is not a quoted string")
        if spec.values is not None and value not in spec.values:
            suggestion = _did_you_mean(value, spec.values)
            hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
            raise ConditionError(
                f"'{value}' is not a value of '{spec.name}'{hint}; allowed: "
                + ", ".join(spec.values),
                name=value,
                suggestion=suggestion,
            )


def _article(kind: Kind) -> str:
    return {"int": "a number", "enum": "a choice", "set": "a set", "str": "text", "bool": "a bool"}[
        kind
    ]


def _example(spec: NameType) -> str:
    if spec.kind == "set":
        first = spec.values[0] if spec.values else "name"
        return f"'{first}' in {spec.name}"
    if spec.kind == "int":
        return f"{spec.name} > 0"
    first = spec.values[0] if spec.values else "value"
    return f"{spec.name} == '{first}'"


def _source(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # pragma: no cover - unparse handles every node ast.parse makes
        return type(node).__name__


# --- compiling the tree into closures ----------------------------------------------------------


def _order_key(spec: NameType) -> Callable[[typing.Any], typing.Any]:
    if spec.kind == "enum" and spec.values is not None:
        index = {v: i for i, v in enumerate(spec.values)}
        return index.__getitem__
    return lambda value: value


def _both(first: Predicate, second: Predicate) -> Predicate:
    return lambda facts: first(facts) and second(facts)


def _either(first: Predicate, second: Predicate) -> Predicate:
    return lambda facts: first(facts) or second(facts)


def _compile(node: Node, vocabulary: Vocabulary) -> Predicate:
    if isinstance(node, (AllOf, AnyOf)):
        # Folded into nested two-way closures: no generator per call (rules are tested
        # thousands of times per page by the flip search).
        parts = [_compile(i, vocabulary) for i in node.items]
        combined = parts[-1]
        for part in reversed(parts[:-1]):
            combined = _both(part, combined) if isinstance(node, AllOf) else _either(part, combined)
        return combined
    if isinstance(node, Negation):
        inner = _compile(node.item, vocabulary)
        return lambda facts: not inner(facts)
    if isinstance(node, Truth):
        if isinstance(node.operand, Const):
            constant = bool(node.operand.value)
            return lambda facts: constant
        name = node.operand.name
        return lambda facts: bool(getattr(facts, name))
    left, op, right = node.left, node.op, node.right
    negate = op == "not in"
    if op in ("in", "not in"):
        if isinstance(right, Ref):
            value, set_name = left.value if isinstance(left, Const) else None, right.name
            return lambda facts: (value in getattr(facts, set_name)) != negate
        if not (isinstance(left, Ref) and isinstance(right, ConstSet)):  # the builder forbids it
            raise TypeError(f"unexpected membership test {node!r}")
        members, name = frozenset(right.values), left.name
        return lambda facts: (getattr(facts, name) in members) != negate
    if not isinstance(left, Ref) or isinstance(right, ConstSet):  # the builder forbids it
        raise TypeError(f"unexpected comparison {node!r}")
    func = _ORDER_FUNCS[op]
    name = left.name
    if op in ("==", "!="):
        if isinstance(right, Const):
            literal = right.value
            return lambda facts: func(getattr(facts, name), literal)
        other = right.name
        return lambda facts: func(getattr(facts, name), getattr(facts, other))
    key = _order_key(vocabulary[name])
    if isinstance(right, Const):
        bound = key(right.value)
        return lambda facts: func(key(getattr(facts, name)), bound)
    other = right.name
    return lambda facts: func(key(getattr(facts, name)), key(getattr(facts, other)))


def parse_condition(text: str, vocabulary: Vocabulary) -> Condition:
    """Parse, check and compile a condition; raises `ConditionError` with the problem."""
    if not isinstance(text, str) or not text.strip():
        raise ConditionError("a condition must be a non-empty string")
    if len(text) > MAX_CONDITION_LENGTH:
        raise ConditionError(f"a condition may be at most {MAX_CONDITION_LENGTH} characters")
    try:
        expression = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise ConditionError(f"syntax error at column {error.offset}: {error.msg}") from None
    builder = _Builder(vocabulary)
    tree = builder.condition(expression.body)
    return Condition(
        text=text.strip(),
        tree=tree,
        names=frozenset(builder.names),
        reads=frozenset(_reads(tree)),
        test=_compile(tree, vocabulary),
    )


def _reads(node: Node) -> set[str]:
    """See `Condition.reads`."""
    if isinstance(node, (AllOf, AnyOf)):
        return set().union(*(_reads(item) for item in node.items))
    if isinstance(node, Negation):
        return _reads(node.item)
    if isinstance(node, Truth):
        return {node.operand.name} if isinstance(node.operand, Ref) else set()
    left, right = node.left, node.right
    if node.op in ("in", "not in") and isinstance(left, Const) and isinstance(right, Ref):
        return {f"{right.name}[{left.value}]"}
    return {side.name for side in (left, right) if isinstance(side, Ref)}


def reads_any(condition: Condition, changed: frozenset[str]) -> bool:
    """Whether `condition` may change when the facts `changed` change: plain names, or
    `set[member]` for one member of a set added or removed (see `Condition.reads`)."""
    for name in changed:
        head, bracket, _ = name.partition("[")
        if bracket:
            if name in condition.reads or head in condition.reads:
                return True
        elif name in condition.names:
            return True
    return False

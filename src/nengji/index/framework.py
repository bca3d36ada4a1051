"""The indicator framework: a validated tree of indicators and aggregates.

COINr keeps the tree in a loosely typed ``iMeta`` table; here it is a :class:`Framework` object that
is checked once, on construction, so that every later step can trust it. Errors name the code at
fault (cycle, unknown parent, duplicate code, negative or all-zero sibling weights, bad direction).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from nengji.index.errors import FrameworkError

#: Columns of nengji's own framework format (only ``code`` is required).
FRAMEWORK_COLUMNS = (
    "code",
    "name_zh",
    "name_en",
    "parent",
    "level",
    "weight",
    "direction",
    "unit",
    "target",
    "denominator",
)


@dataclass(frozen=True)
class Node:
    """One indicator (a leaf) or aggregate (an inner node) of the framework."""

    code: str
    parent: str | None = None
    level: int = 1
    weight: float = 1.0
    direction: int = 1
    name_zh: str = ""
    name_en: str = ""
    unit: str = ""
    target: float | None = None
    denominator: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _text(value: Any) -> str:
    return "" if _blank(value) else str(value)


def _direction(value: float | None) -> int:
    """1 when missing; ±1 as int; anything else is kept so that validation names it."""
    if value is None:
        return 1
    return int(value) if value in (1.0, -1.0) else value  # type: ignore[return-value]


def _number(value: Any, code: str, what: str) -> float | None:
    if _blank(value):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise FrameworkError(f"node {code!r}: {what} must be a number, got {value!r}") from None


class Framework:
    """A validated indicator tree of any depth.

    Parameters
    ----------
    nodes : iterable of Node
        Indicators (leaves) and aggregates. ``level`` may be left at 0 to be computed as the height
        of the node (indicators 1, their parents 2, ...).
    groups : sequence of str
        Names of unit group columns (COINr ``Type == "Group"``); they are not tree nodes.
    denominators : sequence of str
        Names of denominator columns (COINr ``Type == "Denominator"``); not tree nodes either.
    others : sequence of str
        Extra data columns kept aside (COINr ``Type == "Other"``).

    Examples
    --------
    >>> fw = Framework.from_records([
    ...     {"code": "Index"},
    ...     {"code": "D1", "parent": "Index", "weight": 2},
    ...     {"code": "D2", "parent": "Index"},
    ...     {"code": "a", "parent": "D1"}, {"code": "b", "parent": "D1"},
    ...     {"code": "c", "parent": "D2", "direction": -1},
    ... ])
    >>> fw.indicators
    ['a', 'b', 'c']
    >>> float(fw.effective_weights()["a"])
    0.3333333333333333
    """

    def __init__(
        self,
        nodes: Iterable[Node],
        *,
        groups: Iterable[str] = (),
        denominators: Iterable[str] = (),
        others: Iterable[str] = (),
    ) -> None:
        nodes = list(nodes)
        self.groups: list[str] = list(groups)
        self.denominators: list[str] = list(denominators)
        self.others: list[str] = list(others)
        self._nodes = self._validate(nodes)

    # -- validation -------------------------------------------------------------------------
    @staticmethod
    def _validate(nodes: list[Node]) -> dict[str, Node]:
        if not nodes:
            raise FrameworkError("the framework has no nodes")
        by_code: dict[str, Node] = {}
        for node in nodes:
            if _blank(node.code):
                raise FrameworkError("a framework row has an empty code")
            if node.code in by_code:
                raise FrameworkError(f"duplicate code {node.code!r}")
            if node.direction not in (1, -1):
                raise FrameworkError(
                    f"node {node.code!r}: direction must be 1 or -1, got {node.direction!r}"
                )
            if not math.isfinite(node.weight) or node.weight < 0:
                raise FrameworkError(
                    f"node {node.code!r}: weight must be a finite number >= 0, got {node.weight!r}"
                )
            by_code[node.code] = node
        children: dict[str, list[str]] = {c: [] for c in by_code}
        for node in nodes:
            if node.parent is not None:
                if node.parent not in by_code:
                    raise FrameworkError(f"node {node.code!r} has unknown parent {node.parent!r}")
                children[node.parent].append(node.code)
        for node in nodes:  # cycles: walk up from every node
            seen = {node.code}
            cur = node.parent
            while cur is not None:
                if cur in seen:
                    raise FrameworkError(f"the framework has a cycle through {node.code!r}")
                seen.add(cur)
                cur = by_code[cur].parent
        for code, kids in children.items():
            if kids and sum(by_code[k].weight for k in kids) <= 0:
                raise FrameworkError(
                    f"children of {code!r} all have zero weight ({', '.join(kids)})"
                )
        # levels: computed as the height of each node unless given
        height: dict[str, int] = {}

        def h(code: str) -> int:
            if code not in height:
                kids = children[code]
                height[code] = 1 if not kids else 1 + max(h(k) for k in kids)
            return height[code]

        out: dict[str, Node] = {}
        for node in nodes:
            level = node.level if node.level else h(node.code)
            if not children[node.code] and level != 1:
                raise FrameworkError(
                    f"indicator {node.code!r} (a leaf) must be at level 1, got level {level}"
                )
            out[node.code] = replace(node, level=level)
        for node in out.values():
            if node.parent is not None and out[node.parent].level <= node.level:
                raise FrameworkError(
                    f"node {node.code!r} (level {node.level}) must sit below its parent "
                    f"{node.parent!r} (level {out[node.parent].level})"
                )
        return out

    # -- readers ----------------------------------------------------------------------------
    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], **kwargs: Any) -> Framework:
        """Build from dicts with nengji's framework keys (see :data:`FRAMEWORK_COLUMNS`)."""
        nodes = []
        for rec in records:
            code = _text(rec.get("code"))
            weight = _number(rec.get("weight"), code, "weight")
            direction = _number(rec.get("direction"), code, "direction")
            level = _number(rec.get("level"), code, "level")
            extra = {k: v for k, v in rec.items() if k not in FRAMEWORK_COLUMNS}
            nodes.append(
                Node(
                    code=code,
                    parent=_text(rec.get("parent")) or None,
                    level=int(level) if level is not None else 0,
                    weight=1.0 if weight is None else weight,
                    direction=_direction(direction),
                    name_zh=_text(rec.get("name_zh")),
                    name_en=_text(rec.get("name_en")),
                    unit=_text(rec.get("unit")),
                    target=_number(rec.get("target"), code, "target"),
                    denominator=_text(rec.get("denominator")) or None,
                    extra=extra,
                )
            )
        return cls(nodes, **kwargs)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Framework:
        """Build from a DataFrame in nengji's format, or COINr's iMeta (detected by ``iCode``)."""
        if "iCode" in frame.columns:
            return cls.from_coinr(frame)
        if "code" not in frame.columns:
            raise FrameworkError("a framework table needs a 'code' column (or COINr's 'iCode')")
        records = frame.astype(object).to_dict("records")
        return cls.from_records([{str(k): v for k, v in r.items()} for r in records])

    @classmethod
    def from_coinr(cls, imeta: pd.DataFrame) -> Framework:
        """Build from COINr's ``iMeta`` table, unchanged.

        Rows of ``Type`` Group, Denominator and Other become :attr:`groups`,
        :attr:`denominators` and :attr:`others` (data columns kept aside); Indicator and Aggregate
        rows are tree nodes.
        """
        missing = {"iCode", "Type"} - set(imeta.columns)
        if missing:
            raise FrameworkError(f"COINr iMeta lacks column(s) {sorted(missing)}")
        records: list[dict[str, Any]] = []
        groups: list[str] = []
        denoms: list[str] = []
        others: list[str] = []
        for row in imeta.astype(object).to_dict("records"):
            kind = _text(row.get("Type"))
            code = _text(row.get("iCode"))
            if kind == "Group":
                groups.append(code)
            elif kind == "Denominator":
                denoms.append(code)
            elif kind in ("Indicator", "Aggregate"):
                records.append(
                    {
                        "code": code,
                        "name_en": row.get("iName"),
                        "parent": row.get("Parent"),
                        "level": row.get("Level"),
                        "weight": row.get("Weight"),
                        "direction": row.get("Direction"),
                        "unit": row.get("Unit"),
                        "target": row.get("Target"),
                        "denominator": row.get("Denominator"),
                        "type": kind,
                    }
                )
            elif kind == "Other":
                others.append(code)
            else:
                raise FrameworkError(f"iMeta row {code!r} has unknown Type {kind!r}")
        fw = cls.from_records(records, groups=groups, denominators=denoms, others=others)
        for rec in records:  # COINr: Type says what a row is; check the tree agrees
            is_leaf = not fw.children(rec["code"])
            if (rec["type"] == "Indicator") != is_leaf:
                raise FrameworkError(
                    f"iMeta row {rec['code']!r} has Type {rec['type']!r} but is "
                    f"{'a leaf' if is_leaf else 'a parent'} in the tree"
                )
        return fw

    # -- queries ----------------------------------------------------------------------------
    @property
    def nodes(self) -> dict[str, Node]:
        """All nodes by code, in input order."""
        return dict(self._nodes)

    def __getitem__(self, code: str) -> Node:
        try:
            return self._nodes[code]
        except KeyError:
            raise FrameworkError(f"unknown code {code!r}") from None

    def __contains__(self, code: object) -> bool:
        return code in self._nodes

    def __len__(self) -> int:
        return len(self._nodes)

    def children(self, code: str) -> list[str]:
        """Codes of the direct children of ``code``, in input order."""
        return [n.code for n in self._nodes.values() if n.parent == code]

    @property
    def indicators(self) -> list[str]:
        """Leaf codes (level 1), in input order."""
        return [c for c, n in self._nodes.items() if n.level == 1]

    @property
    def aggregates(self) -> list[str]:
        """Inner-node codes, ordered by level then input order."""
        inner = [n for n in self._nodes.values() if n.level > 1]
        return [n.code for n in sorted(inner, key=lambda n: n.level)]

    @property
    def levels(self) -> list[int]:
        """Distinct levels, ascending (1 = indicators)."""
        return sorted({n.level for n in self._nodes.values()})

    @property
    def roots(self) -> list[str]:
        """Codes without a parent (usually just the index)."""
        return [c for c, n in self._nodes.items() if n.parent is None]

    def codes_at(self, level: int) -> list[str]:
        """Codes at one level, in input order."""
        return [c for c, n in self._nodes.items() if n.level == level]

    def direction(self) -> pd.Series:
        """Direction (+1/-1) of each indicator."""
        return pd.Series({c: self._nodes[c].direction for c in self.indicators}, dtype=float)

    def weights(self) -> pd.Series:
        """Raw weight of every node (relative among siblings)."""
        return pd.Series({c: n.weight for c, n in self._nodes.items()}, dtype=float)

    def effective_weights(self) -> pd.Series:
        """Weight of each node in the index: the product of sibling-normalised weights on its path.

        With arithmetic aggregation and no missing data, ``Index = Σ effective_weight × score``
        over the indicators; the same holds at every level.
        """
        out: dict[str, float] = {}

        def eff(code: str) -> float:
            if code not in out:
                node = self._nodes[code]
                if node.parent is None:
                    out[code] = 1.0
                else:
                    sibs = self.children(node.parent)
                    total = sum(self._nodes[s].weight for s in sibs)
                    out[code] = eff(node.parent) * node.weight / total
            return out[code]

        return pd.Series({c: eff(c) for c in self._nodes}, dtype=float)

    def ancestors(self, code: str) -> list[str]:
        """Parent, grandparent, ... of ``code``."""
        out = []
        cur = self[code].parent
        while cur is not None:
            out.append(cur)
            cur = self._nodes[cur].parent
        return out

    def with_weights(self, weights: Mapping[str, float]) -> Framework:
        """A new framework with some node weights replaced (validated again)."""
        for code in weights:
            self[code]  # unknown codes raise
        nodes = [
            replace(n, weight=float(weights[c])) if c in weights else n
            for c, n in self._nodes.items()
        ]
        return Framework(
            nodes, groups=self.groups, denominators=self.denominators, others=self.others
        )

    def to_frame(self) -> pd.DataFrame:
        """The framework in nengji's own table format."""
        rows = [
            {
                "code": n.code,
                "name_zh": n.name_zh,
                "name_en": n.name_en,
                "parent": n.parent,
                "level": n.level,
                "weight": n.weight,
                "direction": n.direction,
                "unit": n.unit,
                "target": n.target,
                "denominator": n.denominator,
            }
            for n in self._nodes.values()
        ]
        return pd.DataFrame(rows, columns=list(FRAMEWORK_COLUMNS))

    def __repr__(self) -> str:
        return (
            f"Framework({len(self.indicators)} indicators, {len(self.aggregates)} aggregates, "
            f"levels {self.levels})"
        )


def read_framework(source: str | Path | pd.DataFrame | Iterable[Mapping[str, Any]]) -> Framework:
    """Read a framework from a CSV path, a DataFrame or a list of dicts (either format)."""
    if isinstance(source, Framework):
        return source
    if isinstance(source, str | Path):
        frame = pd.read_csv(source, keep_default_na=False, na_values=[""], dtype={"code": str})
        return Framework.from_frame(frame)
    if isinstance(source, pd.DataFrame):
        return Framework.from_frame(source)
    return Framework.from_records(source)

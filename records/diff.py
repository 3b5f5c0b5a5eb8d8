"""Two answers about one subject compared field by field: what was added, removed or changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from records.answer import flatten


@dataclass(frozen=True)
class Change:
    path: str
    kind: str  # "added", "removed" or "changed" ("" in a side-by-side row that did not change)
    old: str | None
    new: str | None

    def as_dict(self) -> dict:
        return {"path": self.path, "kind": self.kind, "old": self.old, "new": self.new}


def side_by_side(old: Any, new: Any) -> list[Change]:
    """Every leaf of both answers, in the newer answer's order, then what only the older one had;
    `kind` is "" where nothing changed. An element that comes once in one answer and repeated in
    the other (XML says no more) is compared as a list of one."""
    old, new = _align(old, new)
    before, after = dict(flatten(old)), dict(flatten(new))
    rows = []
    for path, value in after.items():
        if path not in before:
            rows.append(Change(path, "added", None, value))
        else:
            rows.append(Change(path, "changed" if before[path] != value else "", before[path], value))
    rows.extend(Change(p, "removed", v, None) for p, v in before.items() if p not in after)
    return rows


def diff(old: Any, new: Any) -> list[Change]:
    """What was added, removed or changed, leaf by leaf (nested fields and list items by position)."""
    return [c for c in side_by_side(old, new) if c.kind]


def _align(a: Any, b: Any) -> tuple[Any, Any]:
    if isinstance(a, list) and not isinstance(b, list):
        b = [b]
    elif isinstance(b, list) and not isinstance(a, list):
        a = [a]
    if isinstance(a, dict) and isinstance(b, dict):
        pairs = {k: _align(a[k], b[k]) if k in a and k in b else (a.get(k), b.get(k)) for k in {*a, *b}}
        return (
            {k: pairs[k][0] for k in a},
            {k: pairs[k][1] for k in b},
        )
    if isinstance(a, list) and isinstance(b, list):
        n = min(len(a), len(b))
        head = [_align(x, y) for x, y in zip(a[:n], b[:n], strict=True)]
        return [x for x, _ in head] + a[n:], [y for _, y in head] + b[n:]
    return a, b

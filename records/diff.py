"""Two answers about one subject compared field by field: what was added, removed or changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from records.answer import flatten


@dataclass(frozen=True)
class Change:
    path: str
    kind: str  # "added", "removed" or "changed"
    old: str | None
    new: str | None

    def as_dict(self) -> dict:
        return {"path": self.path, "kind": self.kind, "old": self.old, "new": self.new}


def diff(old: Any, new: Any) -> list[Change]:
    """Leaf by leaf (nested fields and list items by position), in the newer answer's order, then
    what only the older one had. An element that comes once in one answer and repeated in the other
    (XML says no more) is compared as a list of one."""
    old, new = _align(old, new)
    before, after = dict(flatten(old)), dict(flatten(new))
    changes = []
    for path, value in after.items():
        if path not in before:
            changes.append(Change(path, "added", None, value))
        elif before[path] != value:
            changes.append(Change(path, "changed", before[path], value))
    changes.extend(Change(p, "removed", v, None) for p, v in before.items() if p not in after)
    return changes


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

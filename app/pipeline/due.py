"""What a dossier still lacks, and which of its parts are due for a step: one answer for the command
line and the window.

The rule for signing, decided here and nowhere else:
- a citizen signs the parts whose PDF is made and not yet signed (processed);
- an official certifies the parts whose PDF is made, signed by the citizen or already queued, as long
  as no official has certified that file yet (the certification fills the place reserved beside the
  citizen's signature, so the citizen's stays valid);
- a data record is signed by the official who asked for it (role `record`), and by no one else;
- nothing captured (its PDF is still to be made), sent or purged is ever due for signing.
"""

from __future__ import annotations

from dataclasses import dataclass

from app import i18n
from app.catalog import CatalogError, Requirement, find_procedure, load_catalog, missing_parts
from app.workspace import ArtifactKind, Component, Status, Workspace

STEPS = ("process", "sign")
ROLES = ("citizen", "official", "record")


@dataclass(frozen=True)
class Checklist:
    """The parts the dossier's procedure asks for that it does not hold yet (parts with pages)."""

    procedure_known: bool
    missing: tuple[Requirement, ...]
    problem: str | None = None  # the catalogue could not be read: why, in the user's language


def checklist(ws: Workspace, code: str, *, strict: bool = False) -> Checklist:
    """A catalogue that cannot be read raises when `strict`, else comes back as `problem`."""
    dossier = ws.dossier(code)
    try:
        procedure = find_procedure(load_catalog(ws.root), dossier.procedure)
    except CatalogError as exc:
        if strict:
            raise
        return Checklist(False, (), i18n.message(exc))
    present = [c.name for c in ws.components(code) if c.status != Status.EMPTY]
    return Checklist(procedure is not None, tuple(missing_parts(procedure, present)))


def due_for(ws: Workspace, code: str, step: str, *, role: str = "citizen") -> list[Component]:
    """The dossier's parts waiting for `step` ("process" or "sign", the latter as `role`), in order."""
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}")
    parts = ws.components(code)
    if step == "process":
        return [c for c in parts if c.status == Status.CAPTURED]
    if role == "record":
        return [c for c in parts if c.kind == "record" and c.status == Status.PROCESSED]
    parts = [c for c in parts if c.kind != "record"]
    if role == "citizen":
        return [c for c in parts if c.status == Status.PROCESSED]
    if role != "official":
        raise ValueError(f"unknown role {role!r}")
    return [
        c
        for c in parts
        if c.status in (Status.PROCESSED, Status.SIGNED, Status.QUEUED) and not _certified(ws, c)
    ]


def _certified(ws: Workspace, part: Component) -> bool:
    """Whether the part's newest file already carries an official's certification."""
    latest = ws.latest_artifact(part.id, ArtifactKind.SIGNED_PDF, *ArtifactKind.made())
    return (
        latest is not None
        and latest.kind == ArtifactKind.SIGNED_PDF
        and latest.meta_dict.get("role") == "official"
    )

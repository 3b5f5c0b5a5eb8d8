"""The workspace's records as the rest of SoHoa sees them (frozen), and its errors."""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from app.workspace.status import ArtifactKind, DossierStatus, Status
from common.errors import QT_TRANSLATE_NOOP, UserError


class WorkspaceError(UserError):
    context = "workspace"
    template = QT_TRANSLATE_NOOP("workspace", "Workspace error: {detail}")
    exit_code = 7


class DossierNotFound(WorkspaceError):
    template = QT_TRANSLATE_NOOP("workspace", "There is no dossier with code {code}.")


class DossierExists(WorkspaceError):
    template = QT_TRANSLATE_NOOP("workspace", "A dossier with code {code} already exists.")


class ComponentNotFound(WorkspaceError):
    template = QT_TRANSLATE_NOOP("workspace", "Dossier {code} has no component named {name}.")


class WorkspaceNewer(WorkspaceError):
    template = QT_TRANSLATE_NOOP(
        "workspace", "This workspace was written by a newer SoHoa (schema {found} > {known}): update SoHoa."
    )


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def current_user() -> str:
    """Who is at the counter: the operating system's login name."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass(frozen=True)
class Dossier:
    id: int
    code: str
    procedure: str
    applicant_name: str
    applicant_id: str
    status: DossierStatus
    created_at: str
    updated_at: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", DossierStatus(self.status))


@dataclass(frozen=True)
class Component:
    id: int
    dossier_id: int
    name: str
    kind: str
    status: Status
    position: int
    created_at: str
    updated_at: str
    meta: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status(self.status))

    @property
    def meta_dict(self) -> dict:
        return json.loads(self.meta) if self.meta else {}


@dataclass(frozen=True)
class Page:
    id: int
    component_id: int
    blob: str
    fmt: str
    position: int
    rotation: int
    dpi: float
    width: int
    height: int
    source: str
    created_at: str
    purged_at: str | None = None
    cleanup: str | None = None

    @property
    def cleanup_dict(self) -> dict | None:
        return json.loads(self.cleanup) if self.cleanup else None


@dataclass(frozen=True)
class Artifact:
    id: int
    component_id: int
    kind: ArtifactKind
    blob: str
    size: int
    meta: str
    created_at: str
    purged_at: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ArtifactKind(self.kind))

    @property
    def meta_dict(self) -> dict:
        return json.loads(self.meta or "{}")

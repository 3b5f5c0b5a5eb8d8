"""The workspace's records as the rest of SoHoa sees them (frozen), and its errors."""

from __future__ import annotations

import getpass
import json
from dataclasses import asdict, dataclass
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
class PageCleanup:
    """What cleanup decided for a page (or a clerk instead), kept beside the untouched original:
    the paper's box once straightened, the quarter turn that makes it upright, the tilt, and the
    blank and colour flags. `base_rotation`: the page's recorded turn when it was measured (None in
    records older than that: the crop is then in the stored image's own coordinates)."""

    crop: tuple[int, int, int, int] | None = None  # left, top, right, bottom
    rotation_deg: int = 0  # clockwise: 0, 90, 180, 270
    skew_deg: float = 0.0
    blank: bool = False
    colour: bool = False
    orientation_confidence: float = 1.0
    orientation_source: str = "ink"  # "ink", "osd" or "clerk"
    base_rotation: int | None = None

    def __post_init__(self) -> None:
        if self.crop is not None:
            object.__setattr__(self, "crop", tuple(int(v) for v in self.crop))

    @classmethod
    def from_dict(cls, facts: dict) -> PageCleanup:
        known = {k: v for k, v in facts.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["crop"] = list(self.crop) if self.crop is not None else None
        return d


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

    @property
    def cleanup_facts(self) -> PageCleanup | None:
        """The cleanup recorded for the page, None when none was decided yet."""
        return PageCleanup.from_dict(json.loads(self.cleanup)) if self.cleanup else None


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

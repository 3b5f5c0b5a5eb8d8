"""The workspace: a counter's dossiers, their parts, pages and files (SQLite + blob store).

`status` holds the parts' lifecycle; `records` the frozen rows the rest of SoHoa reads; `store`
(`Workspace`) is the only code that speaks SQL; `schema` the tables and their migrations; `audit`
the hash-chained trail; `blobs` the content-addressed files. Nothing here imports a library or Qt.
"""

from app.workspace.audit import GENESIS, AuditCheck, event_hash
from app.workspace.blobs import BlobStore
from app.workspace.records import (
    Artifact,
    Component,
    ComponentNotFound,
    Dossier,
    DossierExists,
    DossierNotFound,
    Page,
    PageCleanup,
    WorkspaceError,
    WorkspaceNewer,
    current_user,
    now_iso,
)
from app.workspace.schema import SCHEMA_VERSION
from app.workspace.status import KINDS, LOCKED, ArtifactKind, DossierStatus, Status
from app.workspace.store import Workspace

__all__ = [
    "GENESIS",
    "KINDS",
    "LOCKED",
    "SCHEMA_VERSION",
    "Artifact",
    "ArtifactKind",
    "AuditCheck",
    "BlobStore",
    "Component",
    "ComponentNotFound",
    "Dossier",
    "DossierExists",
    "DossierNotFound",
    "DossierStatus",
    "Page",
    "PageCleanup",
    "Status",
    "Workspace",
    "WorkspaceError",
    "WorkspaceNewer",
    "current_user",
    "event_hash",
    "now_iso",
]

"""The procedure catalog: which dossier parts (thành phần hồ sơ) each procedure requires
(`Requirement`: a name, document or drawing, required or only in some cases), so the window can show
what is still missing. app/resources/procedures.json ships with SoHoa; an office's own
procedures.json in the workspace folder replaces it."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from app.paths import resources_dir
from common.errors import QT_TRANSLATE_NOOP, UserError


class CatalogError(UserError):
    template = QT_TRANSLATE_NOOP("catalog", "The procedure catalog {path} cannot be read: {detail}")


@dataclass(frozen=True)
class Requirement:
    name: str
    kind: str  # "document" or "drawing"
    required: bool


@dataclass(frozen=True)
class Procedure:
    name: str
    parts: tuple[Requirement, ...]


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def catalog_path(workspace: Path | None = None) -> Path:
    own = workspace / "procedures.json" if workspace is not None else None
    return own if own is not None and own.exists() else resources_dir() / "procedures.json"


def load_catalog(workspace: Path | None = None) -> list[Procedure]:
    path = catalog_path(workspace)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        procedures = []
        for p in data["procedures"]:
            parts = tuple(
                Requirement(str(c["name"]).strip(), c.get("kind", "document"), bool(c.get("required", True)))
                for c in p["components"]
            )
            for part in parts:
                if part.kind not in ("document", "drawing"):
                    raise ValueError(f"{part.name}: kind must be document or drawing")
            procedures.append(Procedure(str(p["name"]).strip(), parts))
        return procedures
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogError(path=str(path), detail=str(exc)) from exc


def find_procedure(catalog: list[Procedure], name: str) -> Procedure | None:
    key = _key(name)
    return next((p for p in catalog if _key(p.name) == key), None) if key else None


def missing_parts(procedure: Procedure | None, present: list[str]) -> list[Requirement]:
    """The procedure's required parts that no component of the dossier (by name) holds yet."""
    if procedure is None:
        return []
    have = {_key(n) for n in present}
    return [p for p in procedure.parts if p.required and _key(p.name) not in have]

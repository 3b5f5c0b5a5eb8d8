"""Token drivers, trusted roots and signing options from the settings.

Kept apart from the pipeline so that `sohoa sign` and `sohoa verify` load no OCR or imaging code.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from app.config import Settings
from app.paths import resources_dir
from signing.modules import discover_modules
from signing.pades import SignOptions


def trust_folders(workspace_root: Path, settings: Settings, extra: Sequence[str] = ()) -> list[Path]:
    """Trust roots: bundled ones, the workspace's own folder, the admin's folders, and `extra`."""
    dirs = [
        resources_dir() / "trust",
        workspace_root / "trust",
        *map(Path, settings.trust_dirs),
        *map(Path, extra),
    ]
    return [d for d in dirs if d.exists()]


def module_catalog() -> dict:
    path = resources_dir() / "pkcs11_modules.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def known_modules(settings: Settings) -> list:
    """The PKCS#11 drivers of Vietnamese CAs (and the admin's) installed on this machine."""
    return discover_modules(module_catalog(), settings.pkcs11_modules)


def sign_options(settings: Settings, *, role: str = "citizen", **overrides) -> SignOptions:
    """Signing options from the settings; `overrides` (level, tsa_url, stamp, ...) win when not None."""
    values = {
        "level": settings.sign_level,
        "tsa_url": settings.tsa_url or None,
        "stamp": settings.stamp,
        "location": settings.sign_location,
        "agency": settings.agency,
        "role": role,
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return SignOptions(**values)

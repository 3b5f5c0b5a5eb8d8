"""Token drivers, trusted roots and signing options from the settings.

Kept apart from the pipeline so that `sohoa sign` and `sohoa verify` load no OCR or imaging code.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from app.config import Settings, admin_config_paths
from app.paths import resources_dir
from signing.modules import discover_modules
from signing.pades import SignOptions


def trust_folders(workspace_root: Path, settings: Settings) -> list[Path]:
    """Where trusted roots are kept: bundled ones, the machine's (trust/ beside the admin settings
    file: /etc/sohoa/trust, %ProgramData%\\SoHoa\\trust), the workspace's own folder and the admin's
    folders (`trust_dirs`); those that exist."""
    dirs = [
        resources_dir() / "trust",
        *(p.parent / "trust" for p in admin_config_paths()),
        workspace_root / "trust",
        *map(Path, settings.trust_dirs),
    ]
    return [d for d in dirs if d.exists()]


def trust_roots(workspace_root: Path, settings: Settings, extra: Sequence[str] = ()) -> list:
    """The trusted root certificates: every trust folder's, and `extra` (files or folders the user
    named, such as `--trust ROOT.pem`: one that cannot be read is an error, not skipped). The one
    way the command line, the pipeline and the window gather them."""
    from signing.verify import load_trust_roots

    return load_trust_roots([*trust_folders(workspace_root, settings), *extra])


def registered_folders() -> list[str]:
    """Token-driver folders the Windows installer registered for this machine (HKLM\\SOFTWARE\\SoHoa,
    value Pkcs11Folders: the CAs' driver folders it found and those IT staff gave it). None elsewhere."""
    if sys.platform != "win32":
        return []
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\SoHoa") as key:
            value, kind = winreg.QueryValueEx(key, "Pkcs11Folders")
    except OSError:
        return []
    items = value if kind == winreg.REG_MULTI_SZ else str(value).split(";")
    return [v for v in items if v]


def module_catalog(extra_folders: Sequence[str] | None = None) -> dict:
    """The bundled catalogue of token drivers; `extra_folders` (default: the registered ones) are
    searched first, before every usual folder, for the drivers it names."""
    path = resources_dir() / "pkcs11_modules.json"
    try:
        catalog = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        catalog = {}
    catalog["registered"] = registered_folders() if extra_folders is None else list(extra_folders)
    return catalog


def known_modules(settings: Settings) -> list:
    """The PKCS#11 drivers of Vietnamese CAs (and the admin's) installed on this machine."""
    return discover_modules(module_catalog(), settings.pkcs11_modules)


RECORD_REASON = "Phiếu kết quả khai thác dữ liệu"


def sign_options(settings: Settings, *, role: str = "citizen", **overrides) -> SignOptions:
    """Signing options from the settings; `overrides` (level, tsa_url, stamp, ...) win when not None.
    A data record (role `record`) is signed for the long run: B-LTA unless a level is given."""
    values = {
        "level": "B-LTA" if role == "record" else settings.sign_level,
        "tsa_url": settings.tsa_url or None,
        "stamp": settings.stamp,
        "location": settings.sign_location,
        "agency": settings.agency,
        "role": role,
    }
    if role == "record":
        values.update(reason=RECORD_REASON, field_prefix="SoHoaRecord")
    values.update({k: v for k, v in overrides.items() if v is not None})
    return SignOptions(**values)

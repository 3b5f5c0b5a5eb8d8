"""Find PKCS#11 modules (token drivers) from a catalogue of known file names and folders."""

from __future__ import annotations

import glob
import os
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ModuleCandidate:
    vendor: str
    path: str

    def as_dict(self) -> dict:
        return {"vendor": self.vendor, "path": self.path}


def platform_key() -> str:
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def _expand(folder: str) -> list[Path]:
    folder = os.path.expandvars(os.path.expanduser(folder))
    return [Path(p) for p in glob.glob(folder)] if any(c in folder for c in "*?[") else [Path(folder)]


def discover_modules(catalog: dict, extra: list[str] | tuple[str, ...] = ()) -> list[ModuleCandidate]:
    """Modules present on this machine: admin-given paths first, then every known driver found in a
    folder the installer registered (catalogue "registered": [folder, ...]), then the catalogue's
    known drivers in its usual folders, in catalogue order.

    `catalog` has "folders": {platform: [folder, ...]} and "modules": [{"vendor", "files": {platform: [...]}}].
    A registered folder wins over every usual folder: a CA's driver found there comes before another
    driver (OpenSC, say) that the catalogue lists earlier.
    """
    key = platform_key()
    found: list[ModuleCandidate] = []
    seen: set[str] = set()

    def add(vendor: str, path: Path) -> None:
        real = os.path.realpath(path)
        if path.is_file() and real not in seen:
            seen.add(real)
            found.append(ModuleCandidate(vendor, str(path)))

    for item in extra:
        add("configured", Path(item))
    modules = catalog.get("modules", [])
    for folder in (p for f in catalog.get("registered", []) for p in _expand(f)):
        for module in modules:
            for name in module.get("files", {}).get(key, []):
                add(module.get("vendor", "?"), folder / Path(name).name)
    folders = [p for f in catalog.get("folders", {}).get(key, []) for p in _expand(f)]
    for module in modules:
        for name in module.get("files", {}).get(key, []):
            if os.path.isabs(name):
                add(module.get("vendor", "?"), Path(name))
                continue
            for folder in folders:
                add(module.get("vendor", "?"), folder / name)
    return found

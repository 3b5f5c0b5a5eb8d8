"""Find an OpenType/TrueType font on the system that can draw Vietnamese, for visible stamps."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

# Fonts known to carry every Vietnamese letter, best first.
CANDIDATES = (
    "NotoSans-Regular.ttf",
    "DejaVuSans.ttf",
    "LiberationSans-Regular.ttf",
    "arial.ttf",
    "Arial.ttf",
    "times.ttf",
    "Times New Roman.ttf",
    "tahoma.ttf",
)


def font_dirs() -> list[Path]:
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        return [windir / "Fonts", Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft/Windows/Fonts"]
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), Path.home() / "Library/Fonts"]
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts"]


@functools.lru_cache(maxsize=1)
def vietnamese_font(extra_dirs: tuple[str, ...] = ()) -> Path | None:
    """The first candidate font found, searching `extra_dirs` (e.g. bundled fonts) first."""
    dirs = [Path(d) for d in extra_dirs] + font_dirs()
    found: dict[str, Path] = {}
    for base in dirs:
        if not base.is_dir():
            continue
        for root, _, files in os.walk(base):
            for name in files:
                if name in CANDIDATES and name not in found:
                    found[name] = Path(root) / name
    for name in CANDIDATES:
        if name in found:
            return found[name]
    return None

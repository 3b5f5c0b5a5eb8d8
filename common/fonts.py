"""Find an OpenType/TrueType font on the system that can draw Vietnamese, for visible stamps."""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import sys
from pathlib import Path

from common.atomic import atomic_output

log = logging.getLogger(__name__)

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


# What a stamp can need: Latin with every Vietnamese letter (precomposed and combining marks),
# digits, punctuation, and the dong sign.
VIETNAMESE_REPERTOIRE = (
    *range(0x20, 0x7F),
    *range(0xA0, 0x250),
    *range(0x300, 0x370),
    *range(0x1E00, 0x1F00),
    *range(0x2000, 0x2070),
    0x20AB,
)


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("sohoa", appauthor=False)) / "fonts"


def stamp_font(cache_dir: Path | None = None) -> Path | None:
    """The system's Vietnamese-capable font cut down to the Vietnamese repertoire, cached.

    Parsing a full system font costs tens of MB and a third of a second per stamp; its Vietnamese
    subset (a few dozen KB) is made once per font version and reused. Falls back to the full font
    when the cache cannot be written.
    """
    source = vietnamese_font()
    if source is None:
        return None
    cache_dir = cache_dir or default_cache_dir()
    try:
        st = source.stat()
        key = hashlib.sha256(f"{source}|{st.st_size}|{st.st_mtime_ns}|2".encode()).hexdigest()[:16]
        cached = cache_dir / f"{source.stem}-vi-{key}.ttf"
        if cached.exists():
            return cached
        cache_dir.mkdir(parents=True, exist_ok=True)
        _subset(source, cached)
        return cached
    except OSError as exc:
        log.info("font cache not usable (%s): using %s whole", exc, source.name)
        return source


def _subset(source: Path, dest: Path) -> None:
    from fontTools import subset

    options = subset.Options()
    # Stamp text is NFC: every Vietnamese letter is one precomposed glyph, so no shaping tables are
    # needed, nor hinting (PDF viewers scale outlines). This keeps the font small and fast to embed.
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH"]
    options.hinting = False
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=VIETNAMESE_REPERTOIRE)
        subsetter.subset(font)
        with atomic_output(dest, "wb") as out:
            font.save(out)
    finally:
        font.close()

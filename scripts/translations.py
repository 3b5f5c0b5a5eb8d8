#!/usr/bin/env python3
"""Refresh app/resources/translations/*.ts from the code (pyside6-lupdate), then compile the .qm files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "common", "scanner", "ocr", "signing", "upload", "records")
LANGUAGES = ("vi",)


def tool(name: str) -> str:
    exe = Path(sys.executable).parent / name
    found = str(exe) if exe.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6 (pip install -e .)")
    return found


def main() -> int:
    sources = sorted(str(p.relative_to(ROOT)) for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))
    out_dir = ROOT / "app" / "resources" / "translations"
    out_dir.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        ts = out_dir / f"sohoa_{lang}.ts"
        if "--no-update" not in sys.argv:
            known = translations_by_source(ts) if ts.exists() else {}
            update = [tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", *sources, "-ts", str(ts)]
            subprocess.run(update, check=True, cwd=ROOT)
            if carry_over(ts, known):  # then lupdate writes the file in its own layout again
                subprocess.run(update, check=True, cwd=ROOT)
        subprocess.run(
            [tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True, cwd=ROOT
        )
        ts.with_suffix(".mo").write_bytes(mo_bytes(ts, lang))
        # Qt's own words (dialog buttons, the text fields' menu, the file dialog): Qt ships no
        # Vietnamese catalogue for them, so qtbase_<lang>.ts is kept by hand here
        qt_ts = out_dir / f"qtbase_{lang}.ts"
        if qt_ts.exists():
            subprocess.run(
                [tool("pyside6-lrelease"), str(qt_ts), "-qm", str(qt_ts.with_suffix(".qm"))],
                check=True,
                cwd=ROOT,
            )
    return 0


def translations_by_source(ts: Path) -> dict[str, str]:
    """Every finished translation of a .ts file by its English text, whatever its context."""
    import xml.etree.ElementTree as ET

    found = {}
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        if translation is not None and translation.text and translation.get("type") is None:
            found.setdefault(message.findtext("source"), translation.text)
    return found


def carry_over(ts: Path, known: dict[str, str]) -> int:
    """A string that moved to another class (another context) keeps its translation: each message
    left unfinished takes the one its English text had before the update. Returns how many."""
    import xml.etree.ElementTree as ET

    tree = ET.parse(ts)
    filled = 0
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        text = known.get(message.findtext("source"))
        if translation is not None and text and translation.get("type") == "unfinished":
            translation.text = text
            del translation.attrib["type"]
            filled += 1
    if filled:
        tree.write(ts, encoding="utf-8", xml_declaration=True)
    return filled


def mo_bytes(ts: Path, language: str) -> bytes:
    """The gettext catalogue (contexts as msgctxt) of a Qt .ts file's finished translations.

    The command line reads it with the standard library and so needs no Qt.
    """
    import datetime as dt
    import io
    import xml.etree.ElementTree as ET

    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    fixed = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # reproducible output
    catalog = Catalog(
        locale=language, project="SoHoa", creation_date=fixed, revision_date=fixed, charset="utf-8"
    )
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished"):
                continue
            if translation.text:
                catalog.add(message.findtext("source"), translation.text, context=name)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


if __name__ == "__main__":
    raise SystemExit(main())

"""Every user-facing string is in the Vietnamese catalogue, translated, and the .qm is compiled from it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.conftest import ROOT

TS = ROOT / "app" / "resources" / "translations" / "sohoa_vi.ts"
PACKAGES = ("app", "common", "scanner", "ocr", "signing", "upload")


def _messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for ctx in ET.parse(path).getroot():
        name = ctx.find("name").text or ""
        for msg in ctx.findall("message"):
            out[(name, msg.find("source").text)] = msg.find("translation")
    return out


def test_catalogue_covers_the_code_and_is_fully_translated(tmp_path):
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    lupdate = str(lupdate) if lupdate.exists() else shutil.which("pyside6-lupdate")
    fresh = tmp_path / "fresh.ts"
    sources = [str(p) for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")]
    subprocess.run(
        [lupdate, "-locations", "none", *sources, "-ts", str(fresh)], check=True, capture_output=True
    )
    in_code = set(_messages(fresh))
    committed = _messages(TS)
    missing = in_code - set(committed)
    assert not missing, f"run 'make translations' and translate: {sorted(missing)[:5]}"
    untranslated = [
        k for k, t in committed.items() if k in in_code and (t.get("type") == "unfinished" or not t.text)
    ]
    assert not untranslated, untranslated[:5]


def test_compiled_catalogue_translates(tmp_path):
    from app import i18n

    assert i18n.install("vi") == "vi"
    assert (
        i18n.translate("workspace", "There is no dossier with code {code}.")
        == "Không có hồ sơ nào có mã {code}."
    )
    i18n.install("en")
    assert i18n.translate("workspace", "There is no dossier with code {code}.").startswith("There is")
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    lrelease = str(lrelease) if lrelease.exists() else shutil.which("pyside6-lrelease")
    fresh = tmp_path / "fresh.qm"
    subprocess.run([lrelease, str(TS), "-qm", str(fresh)], check=True, capture_output=True)
    assert fresh.read_bytes() == TS.with_suffix(".qm").read_bytes(), "run 'make translations'"


def test_command_line_catalogue_is_compiled_from_the_same_source_and_needs_no_qt():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from translations import mo_bytes
    finally:
        sys.path.pop(0)
    import gettext
    import io

    fresh = gettext.GNUTranslations(io.BytesIO(mo_bytes(TS, "vi")))._catalog
    committed = gettext.GNUTranslations(io.BytesIO(TS.with_suffix(".mo").read_bytes()))._catalog
    assert len(fresh) > 100 and fresh == committed, "run 'make translations'"
    code = (
        "import sys; from app import i18n; i18n.install('vi');"
        "print(i18n.translate('workspace', 'There is no dossier with code {code}.'));"
        "print('PySide6' in ' '.join(sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.splitlines() == ["Không có hồ sơ nào có mã {code}.", "False"]

"""`sohoa doctor`: are Tesseract and its languages, token drivers, SANE and the workspace in order?"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from app import __version__
from app.config import Settings, admin_config_paths
from app.i18n import translate
from app.paths import resources_dir, workspace_dir
from ocr import OcrError, tesseract_info

REQUIRED_LANGS = ("vie", "eng")


def install_hint(what: str) -> str:
    hints = {
        "tesseract": {
            "linux": "sudo apt install tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng",
            "win32": "reinstall SoHoa (it bundles Tesseract)",
            "darwin": "brew install tesseract tesseract-lang",
        },
        "sane": {
            "linux": "sudo apt install sane-utils libsane1",
            "win32": "",
            "darwin": "brew install sane-backends",
        },
        "token": {
            "linux": "install your CA's token driver, or: sudo apt install softhsm2 opensc",
            "win32": "install your CA's token driver",
            "darwin": "install your CA's token driver",
        },
    }
    key = "linux" if sys.platform.startswith("linux") else sys.platform
    return hints[what].get(key, "")


def sane_devices(timeout: float = 15.0) -> tuple[bool, list[str], str]:
    """(SANE available, device lines, note) from `scanimage -L`."""
    exe = shutil.which("scanimage")
    if exe is None:
        return False, [], install_hint("sane")
    try:
        out = subprocess.run([exe, "-L"], capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return True, [], f"scanimage -L did not answer in {timeout:.0f} s"
    lines = [ln.strip() for ln in out.stdout.splitlines() if ln.strip().startswith("device")]
    return True, lines, ""


def run_doctor(settings: Settings, sources: dict[str, str], modules: list) -> tuple[dict, bool]:
    """Probe everything; return (report, essentials present)."""
    report: dict = {"version": __version__, "python": sys.version.split()[0]}
    ok = True
    try:
        info = tesseract_info()
        missing = [lang for lang in REQUIRED_LANGS if lang not in info.languages]
        report["tesseract"] = {
            "ok": not missing,
            "path": info.path,
            "version": info.version,
            "languages": list(info.languages),
            "missing": missing,
        }
        if missing:
            report["tesseract"]["hint"] = install_hint("tesseract")
            ok = False
    except OcrError as exc:
        report["tesseract"] = {"ok": False, "error": exc.render(), "hint": install_hint("tesseract")}
        ok = False
    report["pkcs11_modules"] = [m.as_dict() for m in modules]
    if not modules:
        report["pkcs11_hint"] = install_hint("token")
    available, devices, note = sane_devices()
    report["sane"] = {"available": available, "devices": devices, "note": note}
    ws = workspace_dir()
    writable = _writable(ws)
    report["workspace"] = {"path": str(ws), "writable": writable}
    ok = ok and writable
    report["resources"] = str(resources_dir())
    report["admin_config"] = [{"path": str(p), "found": p.exists()} for p in admin_config_paths()]
    report["settings"] = {
        k: {"value": v, "source": sources.get(k, "default")} for k, v in settings.to_dict().items()
    }
    report["ok"] = ok
    return report, ok


def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".doctor-probe"
        probe.write_bytes(b"ok")
        probe.unlink()
        return True
    except OSError:
        return False


def format_report(report: dict) -> str:
    t = report["tesseract"]
    lines = [f"SoHoa {report['version']} (Python {report['python']})"]
    if t.get("ok"):
        lines.append(
            translate("doctor", "Tesseract {version}: languages {langs}").format(
                version=t["version"], langs=", ".join(t["languages"])
            )
        )
    else:
        lines.append(
            translate("doctor", "Tesseract: PROBLEM: {detail}").format(
                detail=t.get("error") or ("missing " + "+".join(t.get("missing", [])))
            )
        )
        if t.get("hint"):
            lines.append("  -> " + t["hint"])
    mods = report["pkcs11_modules"]
    lines.append(translate("doctor", "Token drivers (PKCS#11): {n} found").format(n=len(mods)))
    lines.extend(f"  {m['vendor']}: {m['path']}" for m in mods)
    sane = report["sane"]
    if sane["available"]:
        lines.append(translate("doctor", "Scanners (SANE): {n} found").format(n=len(sane["devices"])))
        lines.extend("  " + d for d in sane["devices"])
    else:
        lines.append(
            translate("doctor", "Scanners (SANE): not installed")
            + (f" -> {sane['note']}" if sane["note"] else "")
        )
    ws = report["workspace"]
    lines.append(
        translate("doctor", "Workspace: {path}").format(path=ws["path"])
        + ("" if ws["writable"] else " " + translate("doctor", "(NOT WRITABLE)"))
    )
    lines.append(
        translate("doctor", "Everything needed is in place.")
        if report["ok"]
        else translate("doctor", "Something essential is missing (see above).")
    )
    return os.linesep.join(lines)

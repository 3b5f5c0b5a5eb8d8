"""Command-line contract: one clear line on failure, non-zero exit, JSON where asked."""

from __future__ import annotations

import json

from tests.conftest import run_json, run_sohoa


def test_doctor_reports_tesseract_languages_and_workspace(sohoa_home):
    report = run_json("doctor")
    assert report["ok"] is True
    assert {"vie", "eng"} <= set(report["tesseract"]["languages"])
    assert report["workspace"]["path"] == str(sohoa_home)
    assert report["settings"]["ocr_languages"] == {"value": "vie+eng", "source": "default"}


def test_unknown_dossier_is_one_line_and_non_zero(sohoa_home):
    proc = run_sohoa("dossier", "show", "HS-404", check=False)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "HS-404" in lines[0] and "Traceback" not in proc.stderr


def test_messages_follow_the_language(sohoa_home):
    vi = run_sohoa("dossier", "show", "HS-404", check=False, env={"SOHOA_LANG": "vi"})
    en = run_sohoa("dossier", "show", "HS-404", check=False, env={"SOHOA_LANG": "en"})
    assert "There is no dossier with code HS-404." in en.stderr
    assert "Không có hồ sơ" in vi.stderr and "HS-404" in vi.stderr


def test_json_failure_is_machine_readable(sohoa_home, tmp_path):
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    proc = run_sohoa("ocr", str(empty), "-o", str(tmp_path / "x.pdf"), "--json", check=False)
    assert proc.returncode != 0
    data = json.loads(proc.stdout)
    assert data["ok"] is False and "empty.png" in data["error"] and data["kind"] == "EmptyFile"
    assert not (tmp_path / "x.pdf").exists()


def test_sign_refuses_a_pin_on_the_command_line_and_needs_a_source(sohoa_home, token, tmp_path):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    proc = run_sohoa(
        "sign",
        str(pdf),
        "-o",
        str(tmp_path / "b.pdf"),
        "--module",
        token.module,
        "--token",
        token.label,
        check=False,
    )
    assert proc.returncode == 2 and "--pin-stdin" in proc.stderr
    proc = run_sohoa(
        "sign", str(pdf), "-o", str(tmp_path / "b.pdf"), "--module", token.module, "--pin", "1", check=False
    )
    assert proc.returncode == 2


def test_wrong_pin_from_stdin_is_not_echoed(sohoa_home, token, page_png, tmp_path):
    out = tmp_path / "a.pdf"
    run_sohoa("ocr", str(page_png), "-o", str(out), "--jobs", "1")
    proc = run_sohoa(
        "sign",
        str(out),
        "-o",
        str(tmp_path / "b.pdf"),
        "--module",
        token.module,
        "--token",
        token.label,
        "--pin-stdin",
        stdin="24680\n",
        check=False,
        env={"SOHOA_LANG": "en"},
    )
    assert proc.returncode != 0 and "PIN is wrong" in proc.stderr
    assert "24680" not in proc.stderr + proc.stdout
    assert not (tmp_path / "b.pdf").exists()


def test_stitch_refuses_an_unknown_sheet_format_and_missing_tiles(sohoa_home, tmp_path):
    proc = run_sohoa("stitch", "a.png", "b.png", "-o", str(tmp_path / "x.jpg"), check=False)
    assert proc.returncode == 2 and proc.stderr.startswith("sohoa: ")
    proc = run_sohoa(
        "stitch", str(tmp_path / "a.png"), str(tmp_path / "b.png"), "-o", str(tmp_path / "x.pdf"), check=False
    )
    assert proc.returncode not in (0, 1, 70) and len(proc.stderr.strip().splitlines()) == 1
    assert "a.png" in proc.stderr and not (tmp_path / "x.pdf").exists()


def test_gui_without_display_explains_headless_use(sohoa_home):
    proc = run_sohoa("gui", env={"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""})
    assert "sohoa doctor" in proc.stdout and proc.returncode == 0


def test_unwritable_output_is_one_line_and_logged(sohoa_home, page_png, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    proc = run_sohoa("ocr", str(page_png), "-o", str(blocker / "out.pdf"), "--jobs", "1", check=False)
    assert proc.returncode != 0
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    log = (sohoa_home / "logs" / "sohoa.log").read_text(encoding="utf-8")
    assert "Traceback" in log

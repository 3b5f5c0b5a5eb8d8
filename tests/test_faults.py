"""Faults injected into real parts: Tesseract crashing or hanging on a page, the disk refusing a
write half way. Each ends with a clear message or a flagged page, and nothing already there is lost."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess

import pytest

from tests.conftest import ROOT, SOHOA, run_json, run_sohoa
from tests.fixtures import save_png, vietnamese_page

# the fault-injection tier, with the crash harness and the bad inputs: make test, not make test-fast
pytestmark = pytest.mark.slow

TESSERACT_WRAPPER = """#!/bin/sh
# Tesseract that crashes on its 2nd page and hangs on its 3rd (as a damaged page can make it do)
case "$*" in
  *tsv*)
    n=$(cat "{count}" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "{count}"
    [ "$n" -eq 2 ] && kill -SEGV $$
    [ "$n" -eq 3 ] && exec sleep 600
    ;;
esac
exec {real} "$@"
"""


def test_tesseract_crashing_or_hanging_on_a_page_flags_it_and_the_rest_is_done(sohoa_home, tmp_path):
    real = shutil.which("tesseract")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "tesseract"
    wrapper.write_text(TESSERACT_WRAPPER.format(count=tmp_path / "count", real=real))
    wrapper.chmod(0o755)
    pages = [save_png(vietnamese_page(dpi=150), tmp_path / f"{k}.png", 150) for k in range(4)]
    sohoa_home.mkdir(parents=True, exist_ok=True)
    (sohoa_home / "settings.json").write_text(json.dumps({"ocr_page_timeout_s": 5}))
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}"}
    run_sohoa("dossier", "new", "HS-LOI")
    run_sohoa("dossier", "add", "HS-LOI", *map(str, pages), "--component", "Đơn")
    done = run_json("dossier", "process", "HS-LOI", "--jobs", "1", env=env, timeout=120)
    assert done["ok"] and len(done["processed"]) == 1
    (part,) = run_json("dossier", "show", "HS-LOI")["components"]
    assert part["status"] == "processed" and part["pages"] == 4
    assert [(r["page"], r["reasons"]) for r in part["review"]] == [(2, ["ocr_failed"]), (3, ["ocr_failed"])]
    text = subprocess.run(
        ["pdftotext", part["artifacts"]["ocr_pdf"]["path"], "-"], capture_output=True, text=True
    )
    assert text.stdout.count("Hạnh phúc") == 2  # pages 1 and 4 were read
    assert not subprocess.run(["pgrep", "-f", "sleep 600"], capture_output=True).stdout  # no hung child left


def _limited(max_bytes: int):
    """A child that may not write a file beyond `max_bytes` (the disk refusing: EFBIG, like ENOSPC)."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return apply


def test_the_disk_refusing_a_write_gives_a_clear_message_and_keeps_the_workspace(
    sohoa_home, tmp_path, page_png
):
    from app.workspace import Workspace

    run_sohoa("dossier", "new", "HS-DAY")
    run_sohoa("dossier", "add", "HS-DAY", str(page_png), "--component", "Đơn")
    before = run_json("dossier", "show", "HS-DAY")
    big = save_png(vietnamese_page(dpi=300, height_in=11.0, mode="RGB"), tmp_path / "lớn.png")
    assert big.stat().st_size > 60_000
    env = {**os.environ, "SOHOA_LANG": "vi"}
    proc = subprocess.run(
        [*SOHOA, "dossier", "add", "HS-DAY", str(big), "--component", "Bản vẽ", "--json"],
        capture_output=True, text=True, env=env, cwd=ROOT, preexec_fn=_limited(50_000), timeout=120,
    )  # fmt: skip
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    message = json.loads(proc.stdout)["error"]
    assert "ghi" in message.lower(), message  # "Không ghi được ..." in Vietnamese
    after = run_json("dossier", "show", "HS-DAY")
    assert after["components"] == before["components"]  # nothing half-added
    with Workspace(sohoa_home) as ws:
        assert ws.check_integrity() == [] and ws.verify_audit().ok
    # with room again, the same file goes in
    run_sohoa("dossier", "add", "HS-DAY", str(big), "--component", "Bản vẽ")
    assert [c["pages"] for c in run_json("dossier", "show", "HS-DAY")["components"]] == [1, 1]


@pytest.mark.parametrize("limit", [20_000, 200_000])
def test_ocr_output_refused_by_the_disk_leaves_no_half_written_pdf(sohoa_home, tmp_path, page_png, limit):
    run_sohoa("dossier", "new", "HS-PDF")
    run_sohoa("dossier", "add", "HS-PDF", str(page_png), "--component", "Đơn")
    proc = subprocess.run(
        [*SOHOA, "dossier", "process", "HS-PDF", "--jobs", "1", "--json"],
        capture_output=True, text=True, env={**os.environ, "SOHOA_LANG": "vi"}, cwd=ROOT,
        preexec_fn=_limited(limit), timeout=300,
    )  # fmt: skip
    (part,) = run_json("dossier", "show", "HS-PDF")["components"]
    if limit < 100_000:  # too small for the PDF: this one must have been refused
        assert proc.returncode != 0, proc.stdout
    if proc.returncode == 0:  # the limit was enough after all: then the file is whole
        assert part["status"] == "processed"
    else:
        assert "Traceback" not in proc.stderr and json.loads(proc.stdout)["error"]
        assert part["status"] == "captured" and "ocr_pdf" not in part["artifacts"]
    from app.workspace import Workspace

    with Workspace(sohoa_home) as ws:
        assert ws.check_integrity() == []
    if proc.returncode != 0:
        done = run_json("dossier", "process", "HS-PDF", "--jobs", "1")  # room again: it completes
        assert done["ok"]

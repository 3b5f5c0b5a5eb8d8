"""Crash consistency: the whole pipeline, killed with SIGKILL at random moments, loses nothing.

    python -m tests.crash_harness --kills 200 [--seed N]      (make stress)

A counter's day in rounds: each round a new dossier arrives (two parts dropped into watched
folders, three pages, each page carrying a QR code with its own id), then one process takes in
every folder, runs OCR, signs with a SoftHSM token and uploads to the reference portal
(tests/crash_workload.py). The harness kills that process and everything it started (OCR workers)
at a random moment of the round. After each kill it opens the workspace and checks: the database's
integrity and the audit chain; every stored file complete (its SHA-256 is its name); every PDF
opens, every signed PDF verifies; every outbox item's file is there; every file the portal holds
is complete. At the end a last round runs to completion and every page captured must be in the
portal's files exactly once (the QR ids of the pages the portal holds, read back from its PDFs).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import zxingcpp
from PIL import Image, ImageDraw

from common.hashing import sha256_file

ROOT = Path(__file__).resolve().parent.parent
DPI = 150


@dataclass
class HarnessReport:
    seed: int
    kills: int = 0
    rounds: int = 0
    checks: int = 0
    pages: int = 0
    problems: list[str] = field(default_factory=list)


def _page(page_id: str) -> Image.Image:
    """An A6 page: lines of Vietnamese text (so its orientation is plain), then its id as a QR code
    in the middle, clear of the signature stamp at the bottom."""
    from tests.fixtures import BODY, font

    img = Image.new("L", (int(4.1 * DPI), int(5.8 * DPI)), 255)
    draw = ImageDraw.Draw(img)
    y = 30
    for line in (f"Trang {page_id}", *BODY[:3]):
        draw.text((30, y), line, font=font(16), fill=0)
        y += 30
    qr = np.array(
        zxingcpp.write_barcode_to_image(
            zxingcpp.create_barcode(page_id, zxingcpp.BarcodeFormat.QRCode), scale=6
        )
    )
    img.paste(Image.fromarray(qr), ((img.width - qr.shape[1]) // 2, y + 20))
    return img


def add_dossier(inputs: Path, n: int) -> dict[str, list[str]]:
    """Dossier HS-CRASH-n: part "Đơn" (a two-page TIFF) and part "CCCD" (one PNG)."""
    code = f"HS-CRASH-{n:03d}"
    ids = {"Đơn": [f"{code}/Đơn/1", f"{code}/Đơn/2"], "CCCD": [f"{code}/CCCD/1"]}
    stage = inputs.parent / "stage"
    stage.mkdir(exist_ok=True)
    for part, pages in ids.items():
        folder = inputs / code / part
        folder.mkdir(parents=True, exist_ok=True)
        imgs = [_page(p) for p in pages]
        tmp = stage / f"{code}-{part}.{'tif' if len(imgs) > 1 else 'png'}"
        imgs[0].save(tmp, save_all=len(imgs) > 1, append_images=imgs[1:], dpi=(DPI, DPI))
        os.replace(tmp, folder / tmp.name)  # the copier's drop: whole or not at all
    return {f"{code}/{part}": pages for part, pages in ids.items()}


def _sha(path: Path) -> str:
    return sha256_file(path)[0]


def check_consistency(home: Path, portal_root: Path, trust_pem: Path) -> list[str]:
    """What must hold at any moment, however the last process ended."""
    import pikepdf

    from app.workspace import Workspace
    from signing.verify import load_trust_roots, verify_pdf
    from upload import Outbox

    problems = []
    with Workspace(home) as ws:
        problems += [f"integrity: {p}" for p in ws.check_integrity()]
        problems += [f"audit: {p}" for p in ws.verify_audit().problems]
        blobs = [p for p in (home / "blobs").rglob("*") if p.is_file() and "tmp" not in p.parts]
        for blob in blobs:
            if len(blob.name) == 64 and _sha(blob) != blob.name:
                problems.append(f"stored file {blob.name[:12]} is incomplete or altered")
        roots = load_trust_roots([trust_pem.parent])
        for kind, blob in ws.db.execute("SELECT kind, blob FROM artifacts WHERE purged_at IS NULL"):
            path = ws.blobs.path(blob)
            try:
                with pikepdf.open(path) as pdf:
                    len(pdf.pages)
            except Exception as exc:  # a damaged PDF is exactly what must never be there
                problems.append(f"{kind} {blob[:12]} does not open: {exc}")
                continue
            if kind == "signed_pdf" and not verify_pdf(path, roots).ok:
                problems.append(f"signed PDF {blob[:12]} does not verify")
        box = Outbox(ws.outbox_path)
        try:
            for item in box.items():
                if item.state in ("queued", "uploading", "uploaded") and not Path(item.path).exists():
                    problems.append(f"outbox item {item.id} lost its file")
        finally:
            box.close()
    journal = portal_root / "attached.jsonl"
    if journal.exists():
        for line in journal.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            receipt = entry["receipt"]
            stored = (
                portal_root / "dossiers" / receipt["dossier"] / receipt["component"] / receipt["filename"]
            )
            if not stored.exists() or _sha(stored) != receipt["sha256"]:
                problems.append(
                    f"the portal's copy of {receipt['dossier']}/{receipt['component']} is not the file it confirmed"
                )
    return problems


def delivered_ids(portal_root: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Per dossier part, the page ids in the file the portal holds (read from the pages' QR codes),
    and the parts confirmed more than once."""
    journal = portal_root / "attached.jsonl"
    entries = (
        [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
        if journal.exists()
        else []
    )
    confirmed: dict[str, int] = {}
    for e in entries:
        if not e["duplicate"]:
            key = f"{e['dossier']}/{e['component']}"
            confirmed[key] = confirmed.get(key, 0) + 1
    found: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for e in entries:
            if e["duplicate"]:
                continue
            r = e["receipt"]
            pdf = portal_root / "dossiers" / r["dossier"] / r["component"] / r["filename"]
            prefix = Path(tmp) / f"p{len(found)}"
            subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", str(pdf), str(prefix)], check=True)
            ids = []
            for png in sorted(Path(tmp).glob(f"{prefix.name}-*.png")):
                codes = zxingcpp.read_barcodes(np.array(Image.open(png)))
                ids += [c.text for c in codes if c.valid]
            found[f"{r['dossier']}/{r['component']}"] = ids
    return found, [k for k, n in confirmed.items() if n > 1]


def run(kills: int, seed: int, work: Path, token, *, max_delay: float = 10.0, log=print) -> HarnessReport:
    """`token`: a tests.pki.TestToken (module, label, pin, root_pem)."""
    from tests.test_portal import DevPortal

    rng = random.Random(seed)
    report = HarnessReport(seed)
    log(f"crash harness: seed {seed}, {kills} kills")
    home, inputs = work / "workspace", work / "inputs"
    inputs.mkdir(parents=True)
    (home / "trust").mkdir(parents=True)
    (home / "trust" / "root.pem").write_bytes(token.root_pem.read_bytes())
    os.environ["DEVPORTAL_SECRET"] = "bi-mat-crash"
    portal = DevPortal(
        work / "portal", extra=["--client-id", "quay-crash", "--client-secret-env", "DEVPORTAL_SECRET"]
    )
    env = {
        **os.environ,
        "SOHOA_HOME": str(home),
        "SOHOA_ADMIN_CONFIG": str(work / "no-admin.json"),
        "SOHOA_PORTAL_CLIENT_ID": "quay-crash",
        "SOHOA_PORTAL_CLIENT_SECRET": "bi-mat-crash",
        "CRASH_PIN": token.pin,
    }
    cmd = [
        sys.executable, "-m", "tests.crash_workload", str(inputs), portal.url, token.module, token.label,
        str(home / "trust" / "root.pem"),
    ]  # fmt: skip
    expected: dict[str, list[str]] = {}
    try:
        while report.kills < kills:
            report.rounds += 1
            expected.update(add_dossier(inputs, report.rounds))
            delay = rng.uniform(0.3, max_delay)
            proc = subprocess.Popen(
                cmd,
                env=env,
                cwd=ROOT,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            try:
                proc.wait(timeout=delay)
                continue  # the round finished before its kill time
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            report.kills += 1
            problems = check_consistency(home, work / "portal", home / "trust" / "root.pem")
            report.checks += 1
            report.problems += [f"after kill {report.kills} (at {delay:.2f} s): {p}" for p in problems]
            log(f"kill {report.kills}: round {report.rounds} at {delay:.2f} s, {problems or 'ok'}")
        # the end of the day: rounds without a kill until nothing is left to do
        for _ in range(3):
            done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=900)
            if done.returncode != 0:
                report.problems.append(f"the last round failed: {done.stderr[-2000:]}")
        report.problems += check_consistency(home, work / "portal", home / "trust" / "root.pem")
        found, twice = delivered_ids(work / "portal")
        report.problems += [f"{key} was confirmed more than once" for key in twice]
        for key, pages in expected.items():
            report.pages += len(pages)
            got = found.get(key)
            if got is None:
                report.problems.append(f"{key} never reached the portal")
            elif sorted(got) != sorted(pages):
                report.problems.append(f"{key}: the portal holds pages {got}, expected {pages}")
    finally:
        portal.stop()
    return report


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    args = parser.parse_args()
    from tests import pki
    from tests.conftest import TOKEN_SPECS

    work = Path(tempfile.mkdtemp(prefix="sohoa-crash-"))
    test_pki = pki.make_pki(work / "pki", TOKEN_SPECS[:1])
    report = run(args.kills, args.seed, work / "run", test_pki.tokens["citizen"])
    print(
        f"seed {report.seed}: {report.kills} kills survived over {report.rounds} rounds, "
        f"{report.checks} consistency checks, {report.pages} pages captured, "
        f"lost or duplicated: {len(report.problems)}"
    )
    for p in report.problems:
        print("  " + p)
    return 0 if not report.problems else 1


if __name__ == "__main__":
    raise SystemExit(main())

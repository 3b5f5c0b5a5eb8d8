#!/usr/bin/env python3
"""Upload benchmark: SoHoa's tus client beside one plain streaming request, same server, same run.

Starts the reference portal (python -m upload.devportal) on 127.0.0.1, makes a file of --size-mb
random bytes, and measures in child processes (peak memory by GNU time):
  - a plain streaming PUT of the file to the portal's /_dev/raw sink (the yardstick);
  - SoHoa's tus client (creation and PATCHes) with each --chunk-mb, and a whole outbox item
    (token, lookup, creation, PATCHes, attach, where the portal hashes and files the upload);
  - a resume: the client is SIGKILLed halfway, the next run's bytes on the wire beside what was
    missing on the server.
Medians of --repeat runs. Needs the devportal extra and /usr/bin/time.

    .venv/bin/python bench/upload.py --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024

PLAIN = r"""
import sys, time, json, httpx
url, path, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
def body():
    buf = bytearray(1024 * 1024); view = memoryview(buf)
    with open(path, "rb") as fh:
        while n := fh.readinto(buf):
            yield bytes(view[:n])
t0 = time.perf_counter()
with httpx.Client(timeout=120) as c:
    r = c.put(url, content=body(), headers={"Content-Length": str(size)})
    r.raise_for_status()
print(json.dumps({"seconds": time.perf_counter() - t0, "size": r.json()["size"]}))
"""

TUS_TRANSFER = r"""
import sys, time, json, httpx
sys.path.insert(0, sys.argv[4])
from upload.portal import OAuthSession
from upload.tus import TusClient
url, path, chunk = sys.argv[1], sys.argv[2], int(sys.argv[3])
import os
size = os.path.getsize(path)
with httpx.Client(timeout=120) as http:
    oauth = OAuthSession(http, url + "oauth/token", "bench", "bench")
    tus = TusClient(http, url + "files/", auth=oauth.headers, chunk_size=chunk)
    tus.server()
    t0 = time.perf_counter()
    upload = tus.create(size, {"filename": "drawing.pdf", "filetype": "application/pdf"})
    end = tus.upload(upload, path, size, 0)
    print(json.dumps({"seconds": time.perf_counter() - t0, "offset": end}))
"""

TUS = r"""
import sys, time, json
sys.path.insert(0, sys.argv[5])
from upload import Outbox
from upload.portal import PortalConfig, PortalTarget
from upload.runner import run_item_upload
url, path, chunk, db = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
box = Outbox(db)
box.enqueue(path, dossier=sys.argv[6], component="Bản vẽ")
target = PortalTarget(PortalConfig(url=url, client_id="bench", client_secret="bench", chunk_size=chunk))
t0 = time.perf_counter()
summary = run_item_upload(box, target, parallel=1)
print(json.dumps({"seconds": time.perf_counter() - t0, "sent": summary.bytes_sent,
                  "delivered": len(summary.delivered)}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(code: str, *args: str) -> tuple[dict, float]:
    """Run `code` in a child Python; its JSON line and its peak RSS in MB."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", tf.name, sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)
        peak = int(tf.read().split()[-1]) / 1024
    return json.loads(proc.stdout.strip().splitlines()[-1]), peak


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=int, default=300)
    ap.add_argument("--chunk-mb", type=int, action="append", default=None)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    chunks = args.chunk_mb or [8, 32, 64]
    work = Path(tempfile.mkdtemp(prefix="sohoa-bench-upload-"))
    port = free_port()
    portal = subprocess.Popen(
        [sys.executable, "-m", "upload.devportal", "--port", str(port), "--root", str(work / "portal")],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        time.sleep(0.5)
        size = args.size_mb * MB
        path = work / "drawing.pdf"
        with open(path, "wb") as fh:
            for _ in range(args.size_mb):
                fh.write(os.urandom(MB))
        rows: dict[str, list[tuple[float, float]]] = {}
        for r in range(args.repeat):
            print(f"run {r + 1}/{args.repeat}", flush=True)
            out, peak = timed(PLAIN, f"{url}_dev/raw/plain-{r}", str(path), str(size))
            assert out["size"] == size
            rows.setdefault("plain PUT", []).append((size / MB / out["seconds"], peak))
            for chunk in chunks:
                out, peak = timed(TUS_TRANSFER, url, str(path), str(chunk * MB), str(ROOT))
                assert out["offset"] == size, out
                rows.setdefault(f"tus {chunk} MB", []).append((size / MB / out["seconds"], peak))
            chunk = chunks[-1]
            db = str(work / f"o-{r}.sqlite")
            out, peak = timed(TUS, url, str(path), str(chunk * MB), db, str(ROOT), f"HS-{r}")
            assert out["delivered"] == 1, out
            rows.setdefault(f"item {chunk} MB", []).append((size / MB / out["seconds"], peak))
        print()
        print(
            f"{'client':<14} {'MB/s':>8} {'x plain':>8} {'peak MB':>8}   ({args.size_mb} MB file, medians of {args.repeat})"
        )
        plain = statistics.median(v for v, _ in rows["plain PUT"])
        for name, values in rows.items():
            speed = statistics.median(v for v, _ in values)
            peak = statistics.median(m for _, m in values)
            print(f"{name:<14} {speed:8.1f} {speed / plain:8.2f} {peak:8.1f}")

        # Resume: kill the client halfway, then see what the next run sends.
        chunk = 32 * MB
        db = work / "resume.sqlite"
        child = subprocess.Popen(
            [
                sys.executable,
                "-c",
                TUS.replace("parallel=1", "parallel=1"),
                url,
                str(path),
                str(chunk),
                str(db),
                str(ROOT),
                "HS-RESUME",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        uploads = work / "portal" / "uploads"
        deadline = time.monotonic() + 60
        held = 0
        while time.monotonic() < deadline and held < size // 2:
            infos = [json.loads(p.read_text()) for p in uploads.glob("*.info")]
            held = max(
                (i.get("offset", 0) for i in infos if i.get("metadata", {}).get("dossier") == "HS-RESUME"),
                default=0,
            )
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        time.sleep(1.0)
        infos = [json.loads(p.read_text()) for p in uploads.glob("*.info")]
        held = max(
            (i.get("offset", 0) for i in infos if i.get("metadata", {}).get("dossier") == "HS-RESUME"),
            default=0,
        )
        out, _ = timed(TUS, url, str(path), str(chunk), str(db), str(ROOT), "HS-RESUME")
        resent = out["sent"] - (size - held)
        print()
        print(
            f"resume after SIGKILL at {held / MB:.0f} MB: next run sent {out['sent'] / MB:.1f} MB for the "
            f"{(size - held) / MB:.1f} MB missing (re-sent {resent / MB:.1f} MB; chunk {chunk // MB} MB)"
        )
        best = max(statistics.median(v for v, _ in rows[f"tus {c} MB"]) for c in chunks)
        worst_peak = max(
            statistics.median(m for _, m in values) for name, values in rows.items() if name != "plain PUT"
        )
        print()
        print("targets:")
        print(f"  throughput: best tus {best / plain:.2f}x the plain request (target >= 0.85x)")
        print(f"  client peak memory: {worst_peak:.0f} MB at most (target < 100 MB)")
        print(f"  resume re-sends at most one chunk: {resent / MB:.1f} MB <= {chunk // MB} MB")
    finally:
        portal.terminate()
        portal.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

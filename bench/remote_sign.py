#!/usr/bin/env python3
"""Remote signing benchmark: approvals asked of the signer per dossier, and SoHoa's own time for
20 files in one request against 20 one-file requests (the anchor), the phone's wait left out.

Starts the test PKI's certomancer services, certomancer-csc-dummy (SCAL2, batch limit 20) and the
reference SmartCA service (keys on SoftHSM2, approving at once), then for each service and level:
  - one request for 20 files: prepare (placeholders, signed attributes), ask, wait, finish;
  - 20 requests of one file each, the same steps per file.
The time spent in `wait` (the phone) is measured apart and left out of "own time". Each case runs
--repeat times; medians are printed, with the ratio. Approvals per dossier are counted by the
reference service for dossiers of 5, 20 and 60 parts (its catalogue limit is 50 a request).

    .venv/bin/python bench/remote_sign.py --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests import pki, remote  # noqa: E402
from tests.conftest import TOKEN_SPECS  # noqa: E402

SP = {"sp_id": "bench", "sp_password": "bench-secret"}


def make_pdf(path: Path) -> None:
    import img2pdf
    from PIL import Image, ImageDraw

    img = Image.new("L", (1240, 1754), 255)
    ImageDraw.Draw(img).rectangle((100, 200, 1100, 260), fill=20)
    png = path.with_suffix(".png")
    img.save(png, dpi=(150, 150))
    path.write_bytes(img2pdf.convert(str(png)))


def run_once(service, cred, user, files, options, work, roots, per_request: int):
    from signing.remote import ask, discard, finish, prepare, wait

    own = waited = 0.0
    requests = 0
    for start in range(0, len(files), per_request):
        chunk = files[start : start + per_request]
        pairs = [(f, work / "out" / f.name) for f in chunk]
        t0 = time.perf_counter()
        batch = prepare(cred, user, pairs, options, work / f"prep-{start}", trust_roots=roots)
        ask(service, batch, "bench")
        t1 = time.perf_counter()
        sigs = wait(service, batch, interval=0.05)
        t2 = time.perf_counter()
        finish(batch, sigs, trust_roots=roots)
        discard(batch)
        t3 = time.perf_counter()
        own += (t1 - t0) + (t3 - t2)
        waited += t2 - t1
        requests += len(batch.transactions)
    return own, waited, requests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--files", type=int, default=20)
    args = parser.parse_args()

    from asn1crypto import pem, x509

    from app.remotesetup import provider_entry
    from signing import SignOptions
    from signing.remote import CscService, Paths, Sp769Service

    work = Path(tempfile.mkdtemp(prefix="sohoa-bench-remote-"))
    test_pki = pki.make_pki(work / "pki", TOKEN_SPECS)
    services = pki.PkiServices(test_pki).start()
    csc_proc, csc_url = remote.csc_dummy(test_pki, scal=2, multisign=20)
    citizen = test_pki.tokens["citizen"]
    users = {citizen.citizen_id: [{"token": citizen.label, "pin": citizen.pin}]}
    (work / "users.json").write_text(json.dumps({"module": citizen.module, "sp": SP, "users": users}))
    port = pki.free_port()
    ref = pki.Process(
        [sys.executable, "-m", "signing.devremote", "--users", str(work / "users.json"), "--port", str(port)],
        port,
        work / "devremote.log",
    ).start()
    ref_url = f"http://127.0.0.1:{port}"
    try:
        root = x509.Certificate.load(pem.unarmor(test_pki.root_pem.read_bytes())[2])
        files = []
        (work / "in").mkdir()
        for i in range(max(args.files, 60)):
            f = work / "in" / f"part-{i:02d}.pdf"
            make_pdf(f)
            files.append(f)
        entry = provider_entry("vnpt-smartca")
        paths = Paths(**entry["paths"], hash_encoding=entry["hash_encoding"], max_batch=entry["max_batch"])
        smartca = Sp769Service("vnpt-smartca", ref_url, paths=paths, **SP)
        csc = CscService(csc_url)
        cases = [
            ("csc", csc, csc.certificates("001190012345")[0], "001190012345"),
            ("smartca", smartca, smartca.certificates(citizen.citizen_id)[0], citizen.citizen_id),
        ]
        print(
            f"{args.files} one-page files, repeat {args.repeat}; medians; own time = prepare + ask + finish"
        )
        for level in ("B-B", "B-LTA"):
            options = SignOptions(level=level, tsa_url=test_pki.tsa_url if level != "B-B" else None)
            for name, service, cred, user in cases:
                rows = {1: [], args.files: []}
                waits = {1: [], args.files: []}
                approvals = {}
                for _ in range(args.repeat):
                    for per in (args.files, 1):  # alternate: the machine's noise falls on both
                        out = work / f"run-{name}-{per}"
                        (out / "out").mkdir(parents=True, exist_ok=True)
                        own, waited, requests = run_once(
                            service, cred, user, files[: args.files], options, out, [root], per
                        )
                        rows[per].append(own)
                        waits[per].append(waited)
                        approvals[per] = requests
                        shutil.rmtree(out)
                one, many = statistics.median(rows[args.files]), statistics.median(rows[1])
                print(
                    f"{level:5} {name:8} one request: {one:6.2f} s ({approvals[args.files]} approval)"
                    f" | {approvals[1]} one-file requests: {many:6.2f} s | x{many / one:.1f} faster"
                    f" | polling {statistics.median(waits[args.files]):.2f} s vs {statistics.median(waits[1]):.2f} s"
                )
        # the same through the command line: one `sohoa sign` of 20 files against 20 runs of one
        # file each (as a counter signs one file at a time today), phone approving at once
        env = {**os.environ, "SOHOA_HOME": str(work / "home"), "SOHOA_REMOTE_ACCOUNT": SP["sp_id"]}
        env["SOHOA_REMOTE_SECRET"] = SP["sp_password"]
        sign = [sys.executable, "-m", "app", "sign", "--remote", "vnpt-smartca", "--service-url", ref_url]
        sign += ["--user-id", citizen.citizen_id, "--json"]
        one_cmd, many_cmd = [], []
        for _ in range(args.repeat):
            out = work / "cli"
            t0 = time.perf_counter()
            subprocess.run(
                [*sign, *map(str, files[: args.files]), "--out-dir", str(out)],
                env=env,
                check=True,
                capture_output=True,
            )
            one_cmd.append(time.perf_counter() - t0)
            shutil.rmtree(out)
            t0 = time.perf_counter()
            for f in files[: args.files]:
                subprocess.run(
                    [*sign, str(f), "--out-dir", str(out)], env=env, check=True, capture_output=True
                )
            many_cmd.append(time.perf_counter() - t0)
            shutil.rmtree(out)
        one, many = statistics.median(one_cmd), statistics.median(many_cmd)
        print(
            f"B-B   commands one `sohoa sign` of {args.files} files: {one:6.2f} s | {args.files} runs of one file:"
            f" {many:6.2f} s | x{many / one:.1f} faster"
        )
        for parts in (5, 20, 60):
            before = len(httpx.get(f"{ref_url}/_control/requests").json()["requests"])
            out = work / f"dossier-{parts}"
            (out / "out").mkdir(parents=True)
            run_once(
                smartca, cases[1][2], citizen.citizen_id, files[:parts], SignOptions(), out, [root], parts
            )
            asked = len(httpx.get(f"{ref_url}/_control/requests").json()["requests"]) - before
            print(
                f"dossier of {parts:2} parts: {asked} approval(s) asked of the citizen (limit {paths.max_batch})"
            )
    finally:
        ref.stop()
        csc_proc.stop()
        services.stop()
        os.environ.pop("SOFTHSM2_CONF", None)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

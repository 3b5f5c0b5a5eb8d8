#!/usr/bin/env python3
"""Data-record benchmark: time to render, sign (PAdES B-LTA, token on SoftHSM2, the test PKI's TSA and
OCSP on this machine: no network) and verify a record, and its size; beside the pyHanko command-line
tool signing the same unsigned record at the same level (the anchor), in the same run.

Answers: the reference data service's population record (JSON) before and after it changes, its land
parcel (XML), and a household of 40 people (several pages). Each runs --repeat times; medians, with
the spread over the answers. Targets: render + sign + verify under 2 s; a one-page record under 100 KB.

    .venv/bin/python bench/record.py --repeat 5
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

from tests import pki  # noqa: E402

PIN = "246810"
LABEL = "SoHoa Record Bench"
BIN = Path(sys.executable).parent


def answers() -> dict[str, tuple[bytes, str]]:
    from records import devdata

    person = devdata.PEOPLE["001203012345"][0]
    later = devdata._next_person(person)
    big = json.loads(json.dumps(person))
    big["ThanhVienHo"] = [{"HoVaTen": f"Thành viên số {i}", "QuanHe": "Con"} for i in range(40)]
    parcel = devdata.PARCELS[("26734", "12", "345")][0]

    def wrap(p):
        return json.dumps({"MaKetQua": "0", "DuLieu": p}, ensure_ascii=False, indent=2).encode()

    return {
        "population": (wrap(person), "population"),
        "population-later": (wrap(later), "population"),
        "land-xml": (devdata.parcel_xml(parcel), "land"),
        "household-40": (wrap(big), "population"),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from app.dataservices import service_entry
    from app.pipeline.records import check_record
    from records import RequestFacts, parse_answer, render_record
    from signing import SignOptions, TokenSession, sign_pdfs
    from signing.verify import load_trust_roots

    work = Path(tempfile.mkdtemp(prefix="sohoa-bench-record-"))
    spec = pki.TokenSpec(
        "official", LABEL, PIN, "Trần Quốc Bảo", citizen_id="001080004567", cert_label="official"
    )
    test_pki = pki.make_pki(work / "pki", [spec])
    services = pki.PkiServices(test_pki).start()
    module = pki.softhsm_module()
    roots = load_trust_roots([str(test_pki.root_pem)])
    options = SignOptions(level="B-LTA", tsa_url=test_pki.tsa_url, role="record", field_prefix="SoHoaRecord")
    has_hanko = shutil.which("pyhanko", path=str(BIN)) is not None
    rows: dict[str, dict[str, list[float]]] = {}
    try:
        for name, (raw, service) in answers().items():
            entry = service_entry(service)
            times = rows.setdefault(name, {"render": [], "sign": [], "verify": [], "total": [], "hanko": []})
            for n in range(args.repeat):
                facts = RequestFacts(service, entry["name"], "https://ndxp.example.vn/api", {"q": "1"},
                                     "2026-12-03T10:00:00+07:00", official="bench", dossier="HS-BENCH")  # fmt: skip
                unsigned, signed = work / f"{name}-{n}.pdf", work / f"{name}-{n}-signed.pdf"
                t0 = time.perf_counter()
                made = render_record(parse_answer(raw, service), facts, unsigned, labels=entry["labels"])
                t1 = time.perf_counter()
                with TokenSession(module, token_label=LABEL) as session:
                    session.login(PIN)
                    sign_pdfs(session, None, [(unsigned, signed)], options, trust_roots=roots)
                t2 = time.perf_counter()
                check = check_record(signed, roots)
                t3 = time.perf_counter()
                assert check.ok, check.as_dict()
                times["render"].append(t1 - t0)
                times["sign"].append(t2 - t1)
                times["verify"].append(t3 - t2)
                times["total"].append(t3 - t0)
                times.setdefault("pages", []).append(made.pages)
                times.setdefault("kb", []).append(signed.stat().st_size / 1024)
                if has_hanko:
                    env = {**os.environ, "PYHANKO_PKCS11_PIN": PIN}
                    cmd = [str(BIN / "pyhanko"), "sign", "addsig", "--field", "Sig1", "--timestamp-url",
                           test_pki.tsa_url, "--with-validation-info", "--use-pades-lta", "--trust",
                           str(test_pki.root_pem), "pkcs11", "--lib", module, "--token-label", LABEL,
                           "--cert-label", "official", "--other-cert", "SoHoa Test Issuing CA",
                           str(unsigned), str(work / f"{name}-{n}-hanko.pdf")]  # fmt: skip
                    t4 = time.perf_counter()
                    subprocess.run(cmd, env=env, check=True, capture_output=True)
                    times["hanko"].append(time.perf_counter() - t4)
        print(f"render + sign (B-LTA) + verify a data record; medians of {args.repeat}")
        print(
            f"{'answer':18} {'pages':>5} {'KB':>6} {'render':>7} {'sign':>6} {'verify':>7} {'total':>6}  pyhanko CLI sign"
        )
        totals = []
        for name, t in rows.items():
            med = {k: statistics.median(v) for k, v in t.items() if v}
            totals.append(med["total"])
            hanko = f"{med['hanko']:6.2f} s" if "hanko" in med else "   n/a"
            print(
                f"{name:18} {med['pages']:5.0f} {med['kb']:6.1f} {med['render']:6.2f}s {med['sign']:5.2f}s "
                f"{med['verify']:6.2f}s {med['total']:5.2f}s  {hanko}"
            )
        print(
            f"total over the answers: median {statistics.median(totals):.2f} s, spread {min(totals):.2f}-{max(totals):.2f} s (target < 2 s)"
        )
    finally:
        services.stop()
        os.environ.pop("SOFTHSM2_CONF", None)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

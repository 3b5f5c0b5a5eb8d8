#!/usr/bin/env python3
"""Signing benchmark: `sohoa sign` / `sohoa verify` beside the pyHanko command-line tool, same token, same run.

Makes a SoftHSM2 token with an RSA 2048 key (certificate from the test PKI), then times and
measures the peak memory (max RSS of the process, GNU time) of:
  - signing a 1-page, a 50-page and a ~300 MB PDF, one command each;
  - signing 20 one-page files: one `sohoa sign` call against 20 `pyhanko sign addsig` calls;
  - verifying the signed ~300 MB file: `sohoa verify` against `pyhanko sign validate`.
Every case runs --repeat times, alternating tools; medians are printed, with the ratios.

Needs the bench extra (`pip install -e '.[bench]'`: pyhanko-cli, certomancer) and GNU time.

    .venv/bin/python bench/sign.py --repeat 3
"""

from __future__ import annotations

import argparse
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

from tests import pki  # noqa: E402  (the same test PKI the suite uses)

PIN = "246810"
LABEL = "SoHoa Bench"
BIN = Path(sys.executable).parent


def make_pdf(path: Path, pages: int, *, image_mb: float = 0.0, seed: int = 1) -> None:
    """A PDF of `pages` pages, each a grey image; with image_mb, incompressible raw images of that size."""
    import numpy as np
    import pikepdf

    rng = np.random.default_rng(seed)
    pdf = pikepdf.new()
    for n in range(pages):
        if image_mb:
            width = 2400
            height = int(image_mb * 1024 * 1024 / (width * 3))
            data = rng.integers(0, 256, size=width * height * 3, dtype=np.uint8).tobytes()
            image = pikepdf.Stream(pdf, data)
            image.write(data, filter=None)
            cs = pikepdf.Name.DeviceRGB
        else:
            width, height = 1240, 1754  # A4 at 150 dpi
            gray = np.full((height, width), 245, np.uint8)
            gray[200 + n % 50 : 260, 100:1100] = 20
            image = pikepdf.Stream(pdf, gray.tobytes())
            image.write(gray.tobytes(), filter=None)
            image.write(__import__("zlib").compress(gray.tobytes()), filter=pikepdf.Name.FlateDecode)
            cs = pikepdf.Name.DeviceGray
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height, image.BitsPerComponent, image.ColorSpace = width, height, 8, cs
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.Contents = pdf.make_stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q")
        if image_mb:
            del data
    pdf.save(path)


def timed(cmd: list[str], env: dict, *, stdin: str | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one command, by GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        full = ["/usr/bin/time", "-f", "%e %M", "-o", tf.name, *cmd]
        t0 = time.perf_counter()
        proc = subprocess.run(full, env=env, input=stdin, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}")
        _, max_kb = tf.read().split()[-2:]
    return wall, int(max_kb) / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--big-mb", type=int, default=300, help="size of the large PDF (MB)")
    ap.add_argument("--batch", type=int, default=20)
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    if not shutil.which("pyhanko", path=str(BIN)) or not Path("/usr/bin/time").exists():
        raise SystemExit("needs the bench extra (pip install -e '.[bench]') and GNU time (/usr/bin/time)")

    work = args.workdir or Path(tempfile.mkdtemp(prefix="sohoa-bench-sign-"))
    work.mkdir(parents=True, exist_ok=True)
    spec = pki.TokenSpec(
        "bench", LABEL, PIN, "Nguyễn Văn Bench", citizen_id="001200000001", cert_label="bench"
    )
    test_pki = pki.make_pki(work / "pki", [spec])
    env = {
        **os.environ,
        "SOHOA_HOME": str(work / "home"),
        "SOHOA_LANG": "en",
        "SOHOA_BENCH_PIN": PIN,
        "PYHANKO_PKCS11_PIN": PIN,
    }
    module = pki.softhsm_module()

    inputs = work / "in"
    inputs.mkdir(exist_ok=True)
    one, fifty, big = inputs / "one-page.pdf", inputs / "fifty-pages.pdf", inputs / "big.pdf"
    if not one.exists():
        make_pdf(one, 1)
        make_pdf(fifty, 50)
    if not big.exists() or big.stat().st_size < args.big_mb * 1024 * 1024 * 0.95:
        print(f"making a {args.big_mb} MB PDF ...", flush=True)
        make_pdf(big, max(1, args.big_mb // 10), image_mb=10)
    batch_dir = inputs / "batch"
    batch_dir.mkdir(exist_ok=True)
    batch = []
    for n in range(args.batch):
        p = batch_dir / f"part-{n:02d}.pdf"
        if not p.exists():
            shutil.copyfile(one, p)
        batch.append(p)

    out = work / "out"
    sohoa = [sys.executable, "-m", "app"]
    token_args = ["--module", module, "--token", LABEL, "--pin-env", "SOHOA_BENCH_PIN", "--no-stamp"]

    def sohoa_sign(src: Path, dst: Path) -> list[str]:
        return [*sohoa, "sign", str(src), "-o", str(dst), *token_args]

    def hanko_sign(src: Path, dst: Path) -> list[str]:
        return [str(BIN / "pyhanko"), "sign", "addsig", "--field", "Sig1", "pkcs11", "--lib", module,
                "--token-label", LABEL, "--cert-label", "bench", "--other-cert", "SoHoa Test Issuing CA",
                str(src), str(dst)]  # fmt: skip

    results: dict[tuple[str, str], list[tuple[float, float]]] = {}

    def record(case: str, tool: str, wall: float, peak: float) -> None:
        results.setdefault((case, tool), []).append((wall, peak))

    for r in range(args.repeat):
        print(f"run {r + 1}/{args.repeat}", flush=True)
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        for case, src in (("1 page", one), ("50 pages", fifty), (f"{big.stat().st_size / 1e6:.0f} MB", big)):
            record(case, "sohoa", *timed(sohoa_sign(src, out / f"sohoa-{src.name}"), env))
            record(case, "pyhanko CLI", *timed(hanko_sign(src, out / f"hanko-{src.name}"), env))
            if src is big:  # the default, with the visible Vietnamese stamp (the CLI tool draws none)
                stamped = [a for a in sohoa_sign(src, out / f"stamped-{src.name}") if a != "--no-stamp"]
                record(case, "sohoa+stamp", *timed(stamped, env))
        case = f"{args.batch} files"
        bdir = out / "batch"
        record(
            case,
            "sohoa",
            *timed([*sohoa, "sign", *map(str, batch), "--out-dir", str(bdir), *token_args], env),
        )
        stamped = [*sohoa, "sign", *map(str, batch), "--out-dir", str(out / "stamped"), *token_args]
        record(case, "sohoa+stamp", *timed([a for a in stamped if a != "--no-stamp"], env))
        walls, peaks = [], []
        for p in batch:
            w, m = timed(hanko_sign(p, out / f"hanko-{p.name}"), env)
            walls.append(w)
            peaks.append(m)
        record(case, "pyhanko CLI", sum(walls), max(peaks))
        signed_big = out / f"sohoa-{big.name}"
        case = f"verify {big.stat().st_size / 1e6:.0f} MB"
        record(
            case, "sohoa", *timed([*sohoa, "verify", str(signed_big), "--trust", str(test_pki.root_pem)], env)
        )
        hanko_validate = [str(BIN / "pyhanko"), "sign", "validate", "--trust", str(test_pki.root_pem),
                          "--trust-replace", "--no-revocation-check", str(signed_big)]  # fmt: skip
        record(case, "pyhanko CLI", *timed(hanko_validate, env))

    print()
    print(f"{'case':<16} {'tool':<12} {'wall s':>8} {'peak MB':>8}   (medians of {args.repeat})")
    medians = {}
    for (case, tool), runs in results.items():
        wall = statistics.median(w for w, _ in runs)
        peak = statistics.median(m for _, m in runs)
        medians[(case, tool)] = (wall, peak)
        print(f"{case:<16} {tool:<12} {wall:8.2f} {peak:8.1f}")
    print()
    cases = list(dict.fromkeys(c for c, _ in results))
    for case in cases:
        s, h = medians[(case, "sohoa")], medians[(case, "pyhanko CLI")]
        print(f"{case:<16} pyhanko/sohoa time {h[0] / s[0]:5.1f}x   memory {h[1] / s[1]:4.1f}x")
    big_case = next(c for c in cases if c.endswith("MB") and not c.startswith("verify"))
    verify_case = next(c for c in cases if c.startswith("verify"))
    batch_case = f"{args.batch} files"
    print()
    print("targets:")
    speed = medians[(batch_case, "pyhanko CLI")][0] / medians[(batch_case, "sohoa")][0]
    print(f"  {batch_case}: sohoa {speed:.1f}x faster than {args.batch} pyHanko CLI calls (target >= 8x)")
    print(
        f"  sign {big_case}: peak {medians[(big_case, 'sohoa')][1]:.0f} MB, with the stamp "
        f"{medians[(big_case, 'sohoa+stamp')][1]:.0f} MB (target < 100 MB)"
    )
    print(f"  {verify_case}: peak {medians[(verify_case, 'sohoa')][1]:.0f} MB (target < 150 MB)")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

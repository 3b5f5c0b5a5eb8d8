#!/usr/bin/env python3
"""OCR benchmark: `sohoa ocr` beside OCRmyPDF and Tesseract alone, on the same pages, in the same run.

Prints, per page kind: KB/page, CPU-s/page, pages/min, and the character error rate (CER) of the
final PDF's text layer read by poppler (pdftotext) and PDFium; then the peak memory of `sohoa ocr`
(the whole process tree) on a long input. Targets (issue "OCR and compression"): CER <= 3.0 % by
either reader over content pages; <= 60 KB/page text and form pages, <= 90 KB colour pages;
<= 1.7 CPU-s/page (Tesseract alone: the floor); < 400 MB peak for 2 jobs on 200 pages.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/ocr.py --corpus /tmp/bench-pages            # generates it if missing
    .venv/bin/python bench/ocr.py --corpus /tmp/bench-pages --repeat 3 --memory-pages 200
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import img2pdf
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

from pdfmetrics import cer, page_bytes, pdfium_pages, poppler_pages

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT.parent / "shared" / "corpus" / "pages" / "make_corpus.py"
KIND_GROUPS = {
    "text_bw": "text",
    "rotated": "text",
    "form_table": "form",
    "color_stamp": "colour",
    "blank": "blank",
}


def ensure_corpus(path: Path, seed: int, count: int) -> dict:
    manifest = path / "manifest.json"
    if not manifest.exists():
        if not GENERATOR.exists():
            raise SystemExit(f"no corpus at {path} and no generator at {GENERATOR}")
        print(f"generating {count} pages (seed {seed}) into {path} ...", flush=True)
        subprocess.run(
            [sys.executable, str(GENERATOR), "--seed", str(seed), "--count", str(count), "--out", str(path)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return json.loads(manifest.read_text())


class TreeSampler:
    """Peak memory of a process and all its descendants, sampled every 50 ms.

    `peak` sums PSS (proportional set size: shared libraries counted once across the tree), the
    honest total; `peak_rss` sums RSS, which counts every shared page once per process.
    """

    def __init__(self, pid: int) -> None:
        self.proc = psutil.Process(pid)
        self.peak = 0
        self.peak_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                total = total_rss = 0
                for p in procs:
                    with contextlib.suppress(psutil.Error):
                        info = p.memory_full_info()
                        total += getattr(info, "pss", info.rss)
                        total_rss += info.rss
                self.peak = max(self.peak, total)
                self.peak_rss = max(self.peak_rss, total_rss)
            except psutil.Error:
                pass
            time.sleep(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run_measured(
    cmd: list[str], env: dict | None = None
) -> tuple[float, float, tuple[int, int], subprocess.CompletedProcess]:
    """(wall s, CPU s of the whole tree, (peak tree PSS, peak tree RSS) in bytes, result)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )
    sampler = TreeSampler(proc.pid)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.stop()
    peak = (sampler.peak, sampler.peak_rss)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result = subprocess.CompletedProcess(
        cmd, proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")
    )
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{result.stderr[-2000:]}")
    return wall, cpu, peak, result


def tesseract_alone(images: list[Path], jobs: int, lang: str) -> tuple[float, float]:
    """(wall, CPU) of plain `tesseract IMAGE stdout -l LANG pdf` on every page, `jobs` at a time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(img: Path) -> None:
        subprocess.run(
            ["tesseract", str(img), "stdout", "-l", lang, "pdf"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, images))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - start, (after.ru_utime - before.ru_utime) + (
        after.ru_stime - before.ru_stime
    )


def score(pdf: Path, manifest: dict, corpus: Path) -> dict:
    pages = manifest["pages"]
    pop, pdm, sizes = poppler_pages(pdf, len(pages)), pdfium_pages(pdf), page_bytes(pdf)
    if len(pdm) != len(pages):
        raise SystemExit(f"{pdf}: {len(pdm)} pages, expected {len(pages)}")
    per_kind: dict[str, dict] = defaultdict(lambda: {"n": 0, "bytes": 0, "pop": [0, 0], "pdm": [0, 0]})
    for page, a, b, size in zip(pages, pop, pdm, sizes, strict=True):
        truth = (corpus / page["gt"]).read_text(encoding="utf-8")
        group = KIND_GROUPS.get(page["kind"], page["kind"])
        for key in (group, "all"):
            k = per_kind[key]
            k["n"] += 1
            k["bytes"] += size
            if page["kind"] != "blank":
                for name, text in (("pop", a), ("pdm", b)):
                    d, n = cer(truth, text)
                    k[name][0] += d
                    k[name][1] += n
    return per_kind


def fmt_row(name: str, group: str, k: dict, cpu_per_page: float, ppm: float) -> str:
    def pct(v):
        return f"{100 * v[0] / v[1]:5.2f}%" if v[1] else "    - "

    return (
        f"{name:<22} {group:<7} {k['n']:>3}  {k['bytes'] / k['n'] / 1024:7.1f}  {cpu_per_page:6.2f}  "
        f"{ppm:6.1f}  {pct(k['pop'])}  {pct(k['pdm'])}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "sohoa-bench-pages")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--count", type=int, default=24)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--lang", default="vie+eng")
    ap.add_argument("--repeat", type=int, default=1, help="runs per tool; CPU and wall are medians")
    ap.add_argument("--profile", default="standard")
    ap.add_argument("--no-ocrmypdf", action="store_true")
    ap.add_argument(
        "--memory-pages", type=int, default=0, help="also measure peak memory on an input this long"
    )
    args = ap.parse_args()

    manifest = ensure_corpus(args.corpus, args.seed, args.count)
    images = [args.corpus / p["image"] for p in manifest["pages"]]
    n = len(images)
    work = Path(tempfile.mkdtemp(prefix="sohoa-bench-ocr-"))
    source = work / "input.pdf"
    source.write_bytes(img2pdf.convert([str(i) for i in images]))
    sohoa = [sys.executable, "-m", "app"]
    runs: dict[str, list[tuple[float, float, tuple[int, int]]]] = defaultdict(list)
    outputs: dict[str, Path] = {}
    configs = [
        (
            "sohoa",
            [
                *sohoa,
                "ocr",
                str(source),
                "-o",
                "{out}",
                "--jobs",
                str(args.jobs),
                "--lang",
                args.lang,
                "--profile",
                args.profile,
                "--json",
            ],
        )
    ]
    beside = Path(sys.executable).parent / "ocrmypdf"
    omp = str(beside) if beside.exists() else shutil.which("ocrmypdf")
    if omp and not args.no_ocrmypdf:
        base = [omp, "-q", "-l", args.lang, "--jobs", str(args.jobs), "--output-type", "pdfa"]
        configs.append(("ocrmypdf", [*base, str(source), "{out}"]))
        configs.append(
            ("ocrmypdf --clean etc.", [*base, "--deskew", "--clean", "--rotate-pages", str(source), "{out}"])
        )
    env = {"SOHOA_HOME": str(work / "home"), "SOHOA_LANG": "en", "PYTHONPATH": str(ROOT)}
    for _ in range(args.repeat):
        for index, (name, cmd) in enumerate(configs):
            out = work / f"tool{index}-run{len(runs[name])}.pdf"
            wall, cpu, peak, _ = run_measured([c.replace("{out}", str(out)) for c in cmd], env)
            runs[name].append((wall, cpu, peak))
            outputs[name] = out
        twall, tcpu = tesseract_alone(images, args.jobs, args.lang)
        runs["tesseract alone"].append((twall, tcpu, (0, 0)))

    print(
        f"\n{n} pages ({', '.join(f'{k}: {v}' for k, v in manifest['kinds'].items())}), {args.jobs} jobs, "
        f"lang {args.lang}, corpus seed {manifest['seed']}, {args.repeat} run(s), medians"
    )
    print(
        f"{'tool':<22} {'kind':<7} {'n':>3}  {'KB/page':>7}  {'CPU-s':>6}  {'pg/min':>6}  {'pdftotext':>6}  {'PDFium':>6}"
    )
    for name, _ in configs:
        wall = statistics.median(r[0] for r in runs[name])
        cpu = statistics.median(r[1] for r in runs[name])
        kinds = score(outputs[name], manifest, args.corpus)
        for group in ("text", "form", "colour", "blank", "all"):
            if group in kinds:
                print(fmt_row(name, group, kinds[group], cpu / n, 60 * n / wall))
    twall = statistics.median(r[0] for r in runs["tesseract alone"])
    tcpu = statistics.median(r[1] for r in runs["tesseract alone"])
    print(f"{'tesseract alone':<22} {'all':<7} {n:>3}  {'':>7}  {tcpu / n:6.2f}  {60 * n / twall:6.1f}")
    ours = statistics.median(r[1] for r in runs["sohoa"]) / n
    print(
        f"sohoa CPU-s/page {ours:.2f} = {ours / (tcpu / n):.2f}x Tesseract alone "
        f"(target 1.7 s = {1.7 / 1.33:.2f}x the 1.33 s floor)"
    )

    if args.memory_pages:
        long_input = work / "long.pdf"
        long_input.write_bytes(img2pdf.convert([str(images[i % n]) for i in range(args.memory_pages)]))
        out = work / "long-out.pdf"
        wall, cpu, peak, _ = run_measured(
            [
                *sohoa,
                "ocr",
                str(long_input),
                "-o",
                str(out),
                "--jobs",
                str(args.jobs),
                "--lang",
                args.lang,
                "--json",
            ],
            env,
        )
        print(
            f"memory: {args.memory_pages} pages, {args.jobs} jobs: peak {peak[0] / 2**20:.0f} MB PSS for the process "
            f"tree ({peak[1] / 2**20:.0f} MB summing RSS), {wall:.0f} s wall, "
            f"{cpu / args.memory_pages:.2f} CPU-s/page (target < 400 MB)"
        )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

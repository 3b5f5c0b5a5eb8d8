#!/usr/bin/env python3
"""The installed package: its size on disk and the time from launch to a usable window.

    python bench/package.py [--deb dist/sohoa_*.deb] [--repeat 5]

The package (built by `make package` when --deb is not given) is unpacked with dpkg-deb -x into a
scratch root. Start-up is measured from launching /usr/bin/sohoa to the window shown and its event
loop running (SOHOA_EXIT_WHEN_READY, offscreen), wall time of the whole process:
- cold: the folder's files evicted from the page cache first (posix_fadvise DONTNEED, no root needed;
  the system's own libraries stay cached);
- warm: run again at once.
The anchor, in the same run: the same window started from the source checkout (.venv/bin/sohoa).
Figures are medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def evict(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def start(program: list[str], home: Path) -> float:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "SOHOA_EXIT_WHEN_READY": "1",
        "SOHOA_HOME": str(home),
        "SOHOA_ADMIN_CONFIG": str(home / "none.json"),
    }
    t = time.perf_counter()
    proc = subprocess.run(program, env=env, capture_output=True, text=True, timeout=120)
    took = time.perf_counter() - t
    if proc.returncode != 0 or not proc.stdout.startswith("ready"):
        raise SystemExit(f"{program[0]} did not start: {proc.stdout}{proc.stderr}")
    return took


def du(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deb", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    deb = args.deb
    if deb is None:
        subprocess.run(["make", "-C", str(ROOT), "package"], check=True)
        deb = max((ROOT / "dist").glob("sohoa_*_amd64.deb"), key=lambda p: p.stat().st_mtime)
    scratch = Path(tempfile.mkdtemp(prefix="sohoa-bench-package-"))
    root = scratch / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    installed = du(root)
    folder = root / "opt" / "sohoa"
    parts = {
        p.name: du(p) if p.is_dir() else p.stat().st_size
        for p in (folder / "_internal").iterdir()
        if not p.is_symlink()
    }
    print(
        f"package {deb.name}: {deb.stat().st_size / 1e6:.0f} MB to download, {installed / 1e6:.0f} MB installed"
    )
    for name, size in sorted(parts.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {name:32s} {size / 1e6:6.0f} MB")
    program = [str(root / "usr" / "bin" / "sohoa")]
    source = [str(ROOT / ".venv" / "bin" / "sohoa")]
    cold, warm, anchor = [], [], []
    for k in range(args.repeat):
        evict(folder)
        cold.append(start(program, scratch / f"ws{k}"))
        warm.append(start(program, scratch / f"ws{k}"))
        anchor.append(start(source, scratch / f"src{k}"))
        print(
            f"run {k + 1}: installed cold {cold[-1]:.2f} s, warm {warm[-1]:.2f} s; source checkout {anchor[-1]:.2f} s"
        )
    print(f"installed_mb={installed / 1e6:.0f}")
    print(f"cold_start_s={statistics.median(cold):.2f}")
    print(f"warm_start_s={statistics.median(warm):.2f}")
    print(f"source_start_s={statistics.median(anchor):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""SANE scanners (Linux): USB devices and, through SANE's escl/airscan backends, network scanners.

The driver runs in a child process (SANE's own `scanimage` frontend), so a crashing or hanging
driver cannot take the application down: a scan is a process SoHoa watches, reads pages from as
they are written, and stops when the clerk cancels.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from common.errors import QT_TRANSLATE_NOOP, Cancelled
from common.progress import Progress, report
from scanner import driver
from scanner.driver import (
    PAGE_SIZES_MM,
    Capabilities,
    Device,
    DeviceNotFound,
    ScanFailed,
    ScannedPage,
    ScanProfile,
)
from scanner.errors import ScannerError

log = logging.getLogger(__name__)


class SaneMissing(ScannerError):
    template = QT_TRANSLATE_NOOP(
        "scanner", "SANE's scanimage is not installed (apt install sane-utils): scanners cannot be used."
    )


@dataclass
class DeviceOptions:
    modes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    depths: list[str] = field(default_factory=list)
    resolutions: list[str] = field(default_factory=list)  # "75", "150"... or one "50..1200"
    has_geometry: bool = False


def scanimage() -> str:
    exe = shutil.which("scanimage")
    if exe is None:
        raise SaneMissing()
    return exe


def list_devices(*, timeout: float = 20.0) -> list[Device]:
    """Every scanner SANE sees (network ones take a few seconds to answer)."""
    try:
        out = subprocess.run(
            [scanimage(), "-f", "%d\t%v\t%m\t%t%n"], capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        log.warning("scanimage did not list devices within %.0f s", timeout)
        return []
    devices = []
    for line in out.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[0]:
            devices.append(Device(parts[0], parts[1].strip(), parts[2].strip(), parts[3].strip()))
    return devices


def find_device(name: str | None, *, vendor: str = "", model: str = "") -> Device:
    """The SANE device called `name` (or found again by vendor and model): see driver.find_device."""
    return driver.find_device(name, vendor=vendor, model=model, devices=list_devices())


_OPTION = re.compile(r"^\s+--?([\w-]+)\s+(.*?)\s+\[(.*)\]\s*$")


def device_options(name: str, *, timeout: float = 30.0) -> DeviceOptions:
    out = subprocess.run([scanimage(), "-d", name, "-A"], capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise DeviceNotFound(name=name)
    opts = DeviceOptions()
    for line in out.stdout.splitlines():
        m = _OPTION.match(line)
        if not m:
            continue
        key, values = m.group(1), m.group(2)
        if key == "mode":
            opts.modes = values.split("|")
        elif key == "source":
            opts.sources = values.split("|")
        elif key == "depth":
            opts.depths = values.split("|")
        elif key == "resolution":
            opts.resolutions = [v.strip() for v in values.split("|")]
        elif key in ("x", "y"):
            opts.has_geometry = True
    return opts


def _pick(values: list[str], *wanted: str) -> str | None:
    low = {v.lower(): v for v in values}
    for w in wanted:
        for key, value in low.items():
            if w in key:
                return value
    return None


def scan_command(device: str, profile: ScanProfile, opts: DeviceOptions, pattern: Path) -> list[str]:
    """The scanimage command line for `profile` on a device with `opts`."""
    cmd = [scanimage(), "-d", device, "--format=png", f"--batch={pattern}", "--batch-print"]
    cmd.append(f"--resolution={profile.resolution}")
    if opts.modes:
        if profile.mode == "lineart":
            mode = _pick(opts.modes, "lineart", "binary", "black")
            if mode is None:  # a device without a 1-bit mode: gray at depth 1 if it can
                mode = _pick(opts.modes, "gray", "grey") or opts.modes[0]
                if "1" in opts.depths:
                    cmd.append("--depth=1")
        else:
            mode = _pick(opts.modes, *(("color", "colour") if profile.mode == "color" else ("gray", "grey")))
        if mode:
            cmd.append(f"--mode={mode}")
    if opts.sources:
        if profile.source == "duplex":
            source = _pick(opts.sources, "duplex")
        elif profile.source == "adf":
            source = _pick(opts.sources, "adf", "feeder", "automatic")
            if source is not None and "duplex" in source.lower():
                source = next((s for s in opts.sources if "duplex" not in s.lower() and s != source), source)
        else:
            source = _pick(opts.sources, "flatbed", "platen", "normal")
        if source is None:
            raise ScanFailed(name=device, detail=f"no {profile.source} source ({', '.join(opts.sources)})")
        cmd.append(f"--source={source}")
    if profile.source == "flatbed":
        cmd.append("--batch-count=1")
    elif profile.pages:
        cmd.append(f"--batch-count={profile.pages}")
    if profile.page_size and opts.has_geometry and profile.page_size in PAGE_SIZES_MM:
        w, h = PAGE_SIZES_MM[profile.page_size]
        cmd += ["-l", "0", "-t", "0", "-x", str(w), "-y", str(h)]
    return cmd


def scan(
    device: str,
    profile: ScanProfile,
    out_dir: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    extra_args: tuple[str, ...] = (),
) -> Iterator[ScannedPage]:
    """Scan with `profile`, yielding each page as soon as its file is complete.

    Cancelling stops the scanner after the page in progress; pages already yielded stay. A
    driver that dies ends the scan with ScanFailed, pages so far kept.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    opts = device_options(device)
    pattern = out / "page-%04d.png"
    cmd = [*scan_command(device, profile, opts, pattern), *extra_args]
    log.info("scanning: %s", " ".join(cmd))
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    stop = threading.Event()

    def watch_cancel() -> None:
        while not stop.wait(0.1):
            if cancel is not None and cancel.is_set() and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)  # scanimage cancels the scan cleanly on SIGTERM
                return

    watcher = threading.Thread(target=watch_cancel, daemon=True)
    watcher.start()
    expected = profile.pages or (1 if profile.source == "flatbed" else 0)
    count = 0
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            path = Path(line.strip())
            if not line.strip():
                continue
            if not path.is_absolute():
                path = out / path
            count += 1
            report(progress, count, expected or count)
            yield ScannedPage(path, count, profile.resolution)
            if cancel is not None and cancel.is_set():
                break
        proc.wait(timeout=60)
    finally:
        stop.set()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode not in (0, None) and not _feeder_empty(err, count):
        detail = _last_error(err) or f"exit {proc.returncode}"
        if proc.returncode < 0:
            detail = f"the driver crashed (signal {-proc.returncode})"
        raise ScanFailed(name=device, detail=detail)


def _feeder_empty(stderr: str, pages: int) -> bool:
    """scanimage ends a feeder batch with an error once the feeder is empty: that is the normal end."""
    text = stderr.lower()
    return pages > 0 and ("out of documents" in text or "no more" in text or "feeder" in text)


def _last_error(stderr: str) -> str:
    lines = [ln.strip() for ln in stderr.splitlines() if "scanimage:" in ln]
    return lines[-1].replace("scanimage:", "").strip() if lines else ""


def capabilities(name: str) -> Capabilities:
    """What the device offers, read from its SANE options, in SoHoa's words."""
    opts = device_options(name)
    modes = [
        m
        for m, words in (("color", ("color", "colour")), ("gray", ("gray", "grey")))
        if _pick(opts.modes, *words)
    ]
    if _pick(opts.modes, "lineart", "binary", "black") or (modes and "1" in opts.depths):
        modes.append("lineart")
    sources = [
        s
        for s, words in (
            ("flatbed", ("flatbed", "platen", "normal")),
            ("adf", ("adf", "feeder", "automatic")),
            ("duplex", ("duplex",)),
        )
        if (not opts.sources and s == "flatbed") or _pick(opts.sources, *words)
    ]
    numbers = [[int(float(n)) for n in re.findall(r"\d+(?:\.\d+)?", r)[:2]] for r in opts.resolutions]
    ranged = len(opts.resolutions) == 1 and ".." in opts.resolutions[0] and len(numbers[0]) == 2
    resolutions = tuple(numbers[0]) if ranged else tuple(n[0] for n in numbers if n)
    sizes = tuple(PAGE_SIZES_MM) if opts.has_geometry else ()
    return Capabilities(tuple(modes or ("color",)), tuple(sources), resolutions, ranged, sizes)


class SaneDriver:
    """SANE through its own `scanimage` frontend, in a child process."""

    name = "sane"

    def available(self) -> bool:
        return shutil.which("scanimage") is not None

    def devices(self, *, timeout: float = 20.0) -> list[Device]:
        return list_devices(timeout=timeout)

    def capabilities(self, device: str) -> Capabilities:
        return capabilities(device)

    def scan(self, device, profile, out_dir, *, progress=None, cancel=None) -> Iterator[ScannedPage]:
        return scan(device, profile, out_dir, progress=progress, cancel=cancel)

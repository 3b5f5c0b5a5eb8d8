"""Scanning as the app does it: the saved scanner found again, one page from the glass."""

from __future__ import annotations

import threading
from pathlib import Path

from app.config import Settings
from scanner.sane import ScanFailed


def saved_scanner(settings: Settings):
    """The scanner the settings name (found again by make and model if SANE renamed it), or the
    first one SANE sees when none is saved."""
    from scanner.sane import find_device

    if not settings.scan_device:
        return find_device(None)
    vendor, _, model = settings.scan_device_label.partition("\t")
    return find_device(settings.scan_device, vendor=vendor, model=model)


def scan_one_page(
    settings: Settings,
    out_dir: Path,
    *,
    device: str | None = None,
    mode: str | None = None,
    page_size: str | None = "A4",
    cancel: threading.Event | None = None,
) -> Path:
    """One page from the glass with the saved profile (a page scanned again, a drawing's part)."""
    from scanner.sane import ScanProfile, scan

    name = device or saved_scanner(settings).name
    profile = ScanProfile(
        resolution=settings.scan_resolution,
        mode=mode or settings.scan_mode,
        source="flatbed",
        page_size=page_size,
        pages=1,
    )
    scans = list(scan(name, profile, out_dir, cancel=cancel))
    if not scans:
        raise ScanFailed(name=name, detail="the scanner gave no page")
    return Path(scans[-1].path)

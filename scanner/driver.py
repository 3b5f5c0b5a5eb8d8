"""The scanner driver interface: what every capture backend gives SoHoa, and where backends are found.

A backend is one module with a class that has the `Driver` methods: list its devices, say what a
device can do, scan with a profile yielding each page as soon as it is complete, and stop when the
cancel flag is set, with the typed errors below. SANE (`scanner.sane`) is the first; a new one (eSCL,
TWAIN, WIA) is a module and a line in BACKENDS. Devices carry the name of the backend that found
them, so a saved scanner is scanned with the backend that listed it.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from common.errors import QT_TRANSLATE_NOOP
from common.progress import Progress
from scanner.errors import ScannerError

log = logging.getLogger(__name__)

MODES = ("color", "gray", "lineart")
SOURCES = ("flatbed", "adf", "duplex")
PAGE_SIZES_MM = {
    "A4": (210, 297),
    "A3": (297, 420),
    "A5": (148, 210),
    "letter": (216, 279),
    "legal": (216, 356),
}
# backend name -> "module:class"; the module is imported only when the backend is asked for
BACKENDS = {"sane": "scanner.sane:SaneDriver"}
DEFAULT_BACKEND = "sane"


class DeviceNotFound(ScannerError):
    template = QT_TRANSLATE_NOOP(
        "scanner",
        "The scanner {name} is not connected or switched off. Check its cable or network and try again.",
    )


class ScanFailed(ScannerError):
    template = QT_TRANSLATE_NOOP(
        "scanner", "The scanner {name} stopped: {detail}. Pages already scanned are kept."
    )


class UnknownBackend(ScannerError):
    template = QT_TRANSLATE_NOOP("scanner", "SoHoa has no scanner backend called {name}.")


@dataclass(frozen=True)
class Device:
    """A scanner as its backend names it. `name` (e.g. `airscan:e0:Canon MF743C`) may change between
    sessions for USB devices; vendor and model let a saved profile find it again."""

    name: str
    vendor: str
    model: str
    kind: str
    backend: str = DEFAULT_BACKEND

    @property
    def label(self) -> str:
        return f"{self.vendor} {self.model}".strip() or self.name

    def as_dict(self) -> dict:
        return {**asdict(self), "label": self.label}


@dataclass(frozen=True)
class ScanProfile:
    resolution: int = 300
    mode: str = "color"
    source: str = "flatbed"
    page_size: str | None = "A4"
    pages: int | None = None  # None: all the feeder holds (one for the flatbed)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        if self.source not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(SOURCES)}")
        if not 50 <= self.resolution <= 1200:
            raise ValueError("resolution must be between 50 and 1200 dpi")


@dataclass(frozen=True)
class ScannedPage:
    path: Path
    index: int  # 1-based, in scanning order
    dpi: int


@dataclass(frozen=True)
class Capabilities:
    """What a device offers, in SoHoa's words (`modes` from MODES, `sources` from SOURCES);
    `resolutions` lists the ones it takes, or holds (lowest, highest) when any between will do."""

    modes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    resolutions: tuple[int, ...] = ()
    resolution_range: bool = False
    page_sizes: tuple[str, ...] = field(default=tuple(PAGE_SIZES_MM))

    def as_dict(self) -> dict:
        return asdict(self)


class Driver(Protocol):
    """One capture backend. Every method may raise ScannerError (never a raw backend error)."""

    name: str

    def available(self) -> bool:
        """Whether the backend can run on this machine (its tools or libraries are there)."""

    def devices(self, *, timeout: float = 20.0) -> list[Device]:
        """Every device the backend sees now (network ones may take a few seconds)."""

    def capabilities(self, device: str) -> Capabilities: ...

    def scan(
        self,
        device: str,
        profile: ScanProfile,
        out_dir: str | os.PathLike[str],
        *,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[ScannedPage]:
        """Pages as they come; cancelling stops after the page in progress (common.errors.Cancelled);
        a device that fails ends with ScanFailed, the pages already yielded kept."""


_loaded: dict[str, Driver] = {}


def get_driver(name: str = DEFAULT_BACKEND) -> Driver:
    if name not in _loaded:
        target = BACKENDS.get(name)
        if target is None:
            raise UnknownBackend(name=name)
        module, _, cls = target.partition(":")
        _loaded[name] = getattr(importlib.import_module(module), cls)()
    return _loaded[name]


def list_devices(*, timeout: float = 20.0) -> list[Device]:
    """Every device every backend that can run here sees."""
    found = []
    for name in BACKENDS:
        driver = get_driver(name)
        if driver.available():
            found += driver.devices(timeout=timeout)
    return found


def find_device(
    name: str | None, *, vendor: str = "", model: str = "", devices: list[Device] | None = None
) -> Device:
    """The device called `name`, or, when its id changed, the one with the same vendor and model, or
    the one whose label the clerk typed; the first one seen when `name` is None."""
    devices = list_devices() if devices is None else devices
    if name is None:
        if not devices:
            raise DeviceNotFound(name="")
        return devices[0]
    for d in devices:
        if d.name == name:
            return d
    for d in devices:
        if (vendor or model) and d.vendor == vendor and d.model == model:
            log.info("scanner %s found again as %s", name, d.name)
            return d
    for d in devices:  # a label typed by the clerk ("Canon MF743C")
        if name in (d.label, d.model):
            return d
    raise DeviceNotFound(name=name)


def scan(
    device: Device | str,
    profile: ScanProfile,
    out_dir: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    backend: str | None = None,
) -> Iterator[ScannedPage]:
    """Scan with the backend that found `device` (`backend` serves for a device given by name)."""
    if isinstance(device, Device):
        name, backend = device.name, device.backend
    else:
        name = device
    yield from get_driver(backend or DEFAULT_BACKEND).scan(
        name, profile, out_dir, progress=progress, cancel=cancel
    )

"""Codes held up to a camera: the chip ID card's QR, or a receipt's barcode, read from live frames.

Frames come through OpenCV's video capture (V4L2 on Linux, Media Foundation or DirectShow on
Windows); a video file or stream URL is read the same way. Every frame is searched with zxing-cpp
until a wanted code turns up, the time runs out or the caller cancels. A small copy of each frame
goes to `on_frame` so a window can show what the camera sees.
"""

from __future__ import annotations

import glob
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from common.errors import QT_TRANSLATE_NOOP
from common.progress import check_cancel
from scanner.codes import Code, dossier_code, read_codes
from scanner.errors import ScannerError

PREVIEW_PX = 640
WANTS = ("card", "code", "any")


class CameraUnavailable(ScannerError):
    template = QT_TRANSLATE_NOOP(
        "scanner",
        "Camera {source} could not be opened: check that it is plugged in and not used by another program.",
    )


class CameraLost(ScannerError):
    template = QT_TRANSLATE_NOOP(
        "scanner", "Camera {source} stopped sending pictures: plug it in again and retry."
    )


@dataclass
class CameraRead:
    """What was read: every code of the frame the wanted one was found in (none if time ran out)."""

    source: str
    frames: int
    seconds: float
    codes: list[Code] = field(default_factory=list)

    @property
    def card(self):
        return next((c.cccd for c in self.codes if c.cccd is not None), None)

    @property
    def dossier_code(self) -> str | None:
        return dossier_code(self.codes)

    def as_dict(self) -> dict:
        card = self.card
        return {
            "source": self.source,
            "frames": self.frames,
            "seconds": round(self.seconds, 2),
            "found": bool(self.codes),
            "codes": [c.as_dict() for c in self.codes],
            "cccd": card.as_dict() if card else None,
            "dossier_code": self.dossier_code,
        }


def list_cameras() -> list[str]:
    """Cameras to offer: the video devices on Linux; the first indexes elsewhere (probed when opened)."""
    if sys.platform.startswith("linux"):
        return sorted(glob.glob("/dev/video*"), key=lambda p: int(p[len("/dev/video") :] or 0))
    return ["0", "1"]


def _open(source: str):
    import cv2

    target: int | str = int(source) if source.isdigit() else source
    if isinstance(target, str) and target.startswith("/dev/video"):
        cap = cv2.VideoCapture(target, cv2.CAP_V4L2)
    else:
        cap = cv2.VideoCapture(target)
    if not cap.isOpened():
        cap.release()
        raise CameraUnavailable(source=source)
    if isinstance(target, int) or target.startswith("/dev/video"):
        # a card's QR holds about 100 characters in 2 cm: ask for HD frames where the camera has them
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, 1280)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, 720)
    return cap


def _wanted(codes: list[Code], want: str) -> bool:
    if want == "card":
        return any(c.cccd is not None for c in codes)
    if want == "code":
        return dossier_code(codes) is not None
    return bool(codes)


def read_from_camera(
    source: str = "0",
    *,
    want: str = "card",
    timeout_s: float = 60.0,
    on_frame: Callable[[np.ndarray], None] | None = None,
    cancel: threading.Event | None = None,
) -> CameraRead:
    """Read frames from `source` (a device index, a /dev/video path, a file or URL) until a code of
    the kind wanted is seen: `card` (a chip ID card's QR), `code` (a national dossier code) or `any`.
    A file that ends first, or `timeout_s` passing, gives a result with no codes."""
    import cv2

    if want not in WANTS:
        raise ValueError(f"want must be one of {', '.join(WANTS)}")
    cap = _open(source)
    started = time.monotonic()
    frames = misses = 0
    live = source.isdigit() or source.startswith("/dev/video")
    try:
        while time.monotonic() - started < timeout_s:
            check_cancel(cancel)
            ok, frame = cap.read()
            if not ok or frame is None:
                if not live:
                    break  # the end of a file
                misses += 1
                if misses > 50:
                    raise CameraLost(source=source)
                time.sleep(0.02)
                continue
            misses = 0
            frames += 1
            rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
            if on_frame is not None:
                h, w = rgb.shape[:2]
                f = min(1.0, PREVIEW_PX / max(h, w))
                on_frame(
                    cv2.resize(rgb, (int(w * f), int(h * f)), interpolation=cv2.INTER_AREA) if f < 1 else rgb
                )
            codes = read_codes(rgb)
            if _wanted(codes, want):
                return CameraRead(source, frames, time.monotonic() - started, codes)
    finally:
        cap.release()
    return CameraRead(source, frames, time.monotonic() - started)

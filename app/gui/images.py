"""Pixels made off the GUI thread (numpy arrays) shown in the window."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage


def to_qimage(pixels: np.ndarray) -> QImage:
    """Gray, RGB or RGBx (PDFium's) uint8 pixels as a QImage that owns a copy of them."""
    pixels = np.ascontiguousarray(pixels)
    h, w = pixels.shape[:2]
    if pixels.ndim == 2:
        return QImage(pixels.data, w, h, pixels.strides[0], QImage.Format.Format_Grayscale8).copy()
    fmt = QImage.Format.Format_RGBX8888 if pixels.shape[2] == 4 else QImage.Format.Format_RGB888
    return QImage(pixels.data, w, h, pixels.strides[0], fmt).copy()

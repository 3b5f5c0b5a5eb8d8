#!/usr/bin/env python3
"""app/resources/icons/sohoa.ico (Windows programs and installer) from sohoa.svg, at the sizes Windows uses."""

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication(sys.argv[:1])  # noqa: F841 (Qt needs it to paint)
    svg = QSvgRenderer(str(ROOT / "app" / "resources" / "icons" / "sohoa.svg"))
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    svg.render(painter)
    painter.end()
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    big = Image.open(io.BytesIO(bytes(buf.data())))
    out = ROOT / "app" / "resources" / "icons" / "sohoa.ico"
    big.save(out, sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Runtime hook of the frozen app (runs before the entry point, in the app and in its worker processes).

- The bundled Tesseract comes first on PATH and reads the bundled language data, so OCR does not
  depend on what the machine has installed.
- Programs the app starts from the system (scanimage, a token's helper) get the library path the
  user had, not the bundle's: the bootloader points LD_LIBRARY_PATH at the bundle for this process.
"""

import os
import sys

_bundle = getattr(sys, "_MEIPASS", None)
if _bundle:
    _tess = os.path.join(_bundle, "tesseract")
    if os.path.isdir(_tess):
        os.environ["PATH"] = _tess + os.pathsep + os.environ.get("PATH", "")
        os.environ["TESSDATA_PREFIX"] = os.path.join(_tess, "tessdata")
    if sys.platform.startswith("linux"):
        _orig = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
        if _orig is not None:
            os.environ["LD_LIBRARY_PATH"] = _orig
        else:
            os.environ.pop("LD_LIBRARY_PATH", None)

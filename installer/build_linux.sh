#!/usr/bin/env bash
# `make package`: the application folder (PyInstaller) and the Debian package made from it.
#   installer/build_linux.sh PYTHON    (the virtualenv's python, with SoHoa and PyInstaller installed)
# Writes dist/app/sohoa/ and dist/sohoa_VERSION_amd64.deb (SOHOA_BUILD_DIR and SOHOA_DIST_DIR move
# build/ and dist/). SOHOA_DEB_COMPRESSION: xz (default), zstd, gzip. OpenCV is built from source
# with only the modules SoHoa uses (installer/build_opencv.py), once per machine, into the user's
# cache folder (~/.cache/sohoa/opencv, or SOHOA_OPENCV_CACHE); SOHOA_OPENCV=wheel bundles the
# virtualenv's PyPI wheel instead (150 MB more).
set -euo pipefail
python=${1:-.venv/bin/python}
cd "$(dirname "$0")/.."
build=${SOHOA_BUILD_DIR:-build}
dist=${SOHOA_DIST_DIR:-dist}

"$python" installer/bundle_tesseract.py "$build/tesseract"
opencv=${SOHOA_OPENCV:-}
if [ -z "$opencv" ]; then
  opencv=$("$python" installer/build_opencv.py | tail -n 1)
fi
SOHOA_OPENCV="$opencv" SOHOA_TESSERACT_DIR="$build/tesseract" "$python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$dist/app" --workpath "$build/pyinstaller" installer/sohoa.spec
# the interpreter's own libraries carry their debugging symbols; the wheels' libraries are left
# as they are (stripping a library patched by auditwheel can break it)
if command -v strip >/dev/null 2>&1; then
  strip --strip-unneeded "$dist"/app/sohoa/_internal/libpython3*.so* \
    "$dist"/app/sohoa/_internal/python3*/lib-dynload/*.so 2>/dev/null || true
fi
"$python" installer/link_duplicates.py "$dist/app/sohoa"
"$python" installer/build_deb.py "$dist/app/sohoa" "$dist"

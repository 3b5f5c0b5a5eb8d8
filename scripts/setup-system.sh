#!/usr/bin/env bash
# Install the system packages SoHoa needs, if missing. Debian/Ubuntu: apt-get (as root, or with sudo).
# Elsewhere, or without the rights to install, it says exactly what is missing and exits non-zero.
#   scripts/setup-system.sh run    what the app needs
#   scripts/setup-system.sh package  plus what `make package` builds with (OpenCV from source)
#   scripts/setup-system.sh test   plus what the test suite needs (it builds the package too)
set -u
mode=${1:-run}

# package : a file or command that shows it is installed
need=(
  "tesseract-ocr:/usr/bin/tesseract"
  "tesseract-ocr-vie:/usr/share/tesseract-ocr/*/tessdata/vie.traineddata"
  "tesseract-ocr-eng:/usr/share/tesseract-ocr/*/tessdata/eng.traineddata"
  "tesseract-ocr-osd:/usr/share/tesseract-ocr/*/tessdata/osd.traineddata"
  "softhsm2:/usr/bin/softhsm2-util"
  "sane-utils:/usr/bin/scanimage"
  "libsane1:/usr/lib/*/libsane.so.1"
  "fonts-dejavu-core:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
  "libegl1:/usr/lib/*/libEGL.so.1"
  "libgl1:/usr/lib/*/libGL.so.1"
  "libfontconfig1:/usr/lib/*/libfontconfig.so.1"
  "libxkbcommon0:/usr/lib/*/libxkbcommon.so.0"
  "libxkbcommon-x11-0:/usr/lib/*/libxkbcommon-x11.so.0"
  "libglib2.0-0:/usr/lib/*/libglib-2.0.so.0"
  "libdbus-1-3:/usr/lib/*/libdbus-1.so.3"
  "libxcb-cursor0:/usr/lib/*/libxcb-cursor.so.0"
  "libxcb-icccm4:/usr/lib/*/libxcb-icccm.so.4"
  "libxcb-keysyms1:/usr/lib/*/libxcb-keysyms.so.1"
  "libxcb-image0:/usr/lib/*/libxcb-image.so.0"
  "libxcb-render-util0:/usr/lib/*/libxcb-render-util.so.0"
  "libxcb-shape0:/usr/lib/*/libxcb-shape.so.0"
  "libxcb-xkb1:/usr/lib/*/libxcb-xkb.so.1"
  "libxcb-randr0:/usr/lib/*/libxcb-randr.so.0"
)
if [ "$mode" = package ] || [ "$mode" = test ]; then
  need+=(
    # installer/build_opencv.py: CMake, a C++ compiler, NASM for libjpeg-turbo's SIMD, V4L2 headers
    "cmake:/usr/bin/cmake"
    "g++:/usr/bin/g++"
    "make:/usr/bin/make"
    "nasm:/usr/bin/nasm"
    "linux-libc-dev:/usr/include/linux/videodev2.h"
  )
fi
if [ "$mode" = test ]; then
  need+=(
    "poppler-utils:/usr/bin/pdftotext"
    "xvfb:/usr/bin/Xvfb"
    # the test token module (tests/vtoken) is compiled against p11-kit's pkcs11.h
    "gcc:/usr/bin/gcc"
    "libc6-dev:/usr/include/stdio.h"
    "libp11-kit-dev:/usr/include/p11-kit-1/p11-kit/pkcs11.h"
  )
fi
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  need+=("python3-venv:/nonexistent-python3-venv")
fi

missing=()
for entry in "${need[@]}"; do
  pkg=${entry%%:*}
  probe=${entry#*:}
  present=no
  # shellcheck disable=SC2086
  for f in $probe; do
    [ -e "$f" ] && present=yes
  done
  [ "$present" = yes ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "SoHoa needs these system packages: ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "This is not a Debian/Ubuntu system: install the equivalents of the packages above, then run make again." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "Run as root, or install sudo, or ask your administrator to run:" >&2
  echo "  apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}"; then
  $sudo apt-get update -qq && $sudo apt-get install -y --no-install-recommends "${missing[@]}" || {
    echo "Could not install: ${missing[*]}. Install them by hand and run make again." >&2
    exit 1
  }
fi

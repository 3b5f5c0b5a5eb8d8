#!/usr/bin/env python3
"""OpenCV for the application folder, built from source with only what SoHoa uses.

The wheel from PyPI (opencv-python-headless) carries FFmpeg, OpenBLAS and every OpenCV module:
about 150 MB of the folder. SoHoa needs core, imgproc, imgcodecs (JPEG, PNG, TIFF, WebP), videoio
(the camera: V4L2 on Linux, Media Foundation and DirectShow on Windows; MJPEG files), geometry,
features (SIFT), flann and photo (inpainting). This builds exactly those, from the source of the
same release as the wheel in requirements.lock (PyPI's source archive of opencv-python-headless,
checked by SHA-256), as one static Python module; linear algebra comes from OpenCV's own CLAPACK.

    python installer/build_opencv.py [CACHE_DIR]

prints the path of the built module (cv2.abi3.so, or cv2.pyd on Windows) on its last line. A build
with the same inputs (the source, the options, the Python version and platform, numpy's version) is
reused from CACHE_DIR: by default the user's cache folder (~/.cache/sohoa/opencv on Linux), or
SOHOA_OPENCV_CACHE, so that every checkout and virtualenv on the machine shares one build. Needs
CMake and a C++ compiler (Linux: cmake, g++, make, nasm; Windows: see installer/README.md).
SOHOA_OPENCV_SDIST names an already downloaded source archive, for a build machine without internet.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import urllib.request
from pathlib import Path

from common.hashing import sha256_file  # SoHoa is installed in the build's virtualenv

ROOT = Path(__file__).resolve().parent.parent
VERSION = "5.0.0.93"  # the opencv-python-headless release; must be the one in requirements.lock
SDIST = f"opencv_python_headless-{VERSION}.tar.gz"
SDIST_URL = (
    "https://files.pythonhosted.org/packages/1d/99/"
    f"76b7c80252aa83c1af16393454aafd125a0287101afe8deb0a6821af0e30/{SDIST}"
)
SDIST_SHA256 = "b82f9831daab90b725c7c1ee1b36cb5732c367096ac76d119e64e14eb70d5f3c"
MODULES = ["core", "imgproc", "imgcodecs", "videoio", "geometry", "features", "flann", "photo"]
WINDOWS = sys.platform == "win32"
LAYOUT = 1  # raise when what is kept beside the module changes: a cached build is then made again
# the OpenCV names SoHoa's code uses are looked for in the built module; where they are
SOURCES = ["app", "scanner", "ocr", "signing", "upload", "records", "common"]


def say(text: str) -> None:
    print(f"build_opencv: {text}", file=sys.stderr, flush=True)


def locked_version() -> str | None:
    lock = ROOT / "requirements.lock"
    if not lock.exists():
        return None
    m = re.search(r"^opencv-python-headless==(\S+)", lock.read_text(encoding="utf-8"), re.M)
    return m.group(1) if m else None


def cmake_options(python: str) -> list[str]:
    """The configuration: only SoHoa's modules, no FFmpeg/GStreamer/OpenCL/IPP (nothing downloaded
    at configure time), the image libraries built in, one static module with Python's stable ABI."""
    import numpy

    include = sysconfig.get_paths()["include"]
    if WINDOWS:
        library = str(
            Path(sys.base_prefix) / "libs" / f"python{sys.version_info[0]}{sys.version_info[1]}.lib"
        )
    else:
        libdir = sysconfig.get_config_var("LIBDIR") or ""
        names = [sysconfig.get_config_var("LDLIBRARY"), sysconfig.get_config_var("LIBRARY")]
        library = next((str(Path(libdir) / n) for n in names if n and (Path(libdir) / n).exists()), "")
    opts = {
        "CMAKE_BUILD_TYPE": "Release",
        "BUILD_LIST": ",".join([*MODULES, "python_bindings_generator", "python3"]),
        "BUILD_SHARED_LIBS": "OFF",
        "BUILD_TESTS": "OFF",
        "BUILD_PERF_TESTS": "OFF",
        "BUILD_EXAMPLES": "OFF",
        "BUILD_DOCS": "OFF",
        "BUILD_opencv_apps": "OFF",
        "BUILD_JAVA": "OFF",
        "BUILD_opencv_python2": "OFF",
        "BUILD_opencv_python3": "ON",
        "PYTHON3_EXECUTABLE": python,
        "PYTHON3_INCLUDE_DIR": include,
        "PYTHON3_LIBRARY": library,
        "PYTHON3_NUMPY_INCLUDE_DIRS": numpy.get_include(),
        "PYTHON3_LIMITED_API": "ON",
        "OPENCV_SKIP_PYTHON_LOADER": "ON",
        "OPENCV_PYTHON3_INSTALL_PATH": "python",
        "WITH_FFMPEG": "OFF",
        "WITH_GSTREAMER": "OFF",
        "WITH_1394": "OFF",
        "WITH_IPP": "OFF",
        "WITH_ITT": "OFF",
        "WITH_OPENCL": "OFF",
        "WITH_TBB": "OFF",
        "WITH_OPENMP": "OFF",
        "WITH_EIGEN": "OFF",
        "WITH_PROTOBUF": "OFF",
        "WITH_QT": "OFF",
        "WITH_GTK": "OFF",
        "WITH_WIN32UI": "OFF",
        "WITH_VA": "OFF",
        "WITH_VA_INTEL": "OFF",
        "WITH_OBSENSOR": "OFF",
        "WITH_LAPACK": "ON",
        "BUILD_CLAPACK": "ON",
        "WITH_OPENEXR": "OFF",
        "WITH_OPENJPEG": "OFF",
        "WITH_JASPER": "OFF",
        "WITH_AVIF": "OFF",
        "WITH_JPEGXL": "OFF",
        "WITH_GDAL": "OFF",
        "WITH_GDCM": "OFF",
        "WITH_IMGCODEC_GIF": "OFF",
        "OPENCV_FORCE_3RDPARTY_BUILD": "ON",
        "BUILD_ZLIB": "ON",
        "BUILD_JPEG": "ON",
        "BUILD_PNG": "ON",
        "BUILD_TIFF": "ON",
        "BUILD_WEBP": "ON",
        "ENABLE_PRECOMPILED_HEADERS": "OFF",
    }
    if WINDOWS:  # the camera: Media Foundation, DirectShow as the fallback
        opts.update({"WITH_MSMF": "ON", "WITH_DSHOW": "ON"})
    else:
        opts.update({"WITH_V4L": "ON"})
    return [f"-D{k}={v}" for k, v in opts.items()]


def fetch(cache: Path) -> Path:
    """The source archive, from SOHOA_OPENCV_SDIST, the cache or PyPI; its SHA-256 checked."""
    given = os.environ.get("SOHOA_OPENCV_SDIST")
    path = Path(given) if given else cache / SDIST
    if not path.exists():
        if given:
            raise SystemExit(f"SOHOA_OPENCV_SDIST: no file at {given}")
        say(f"downloading {SDIST_URL}")
        part = path.with_suffix(".part")
        cache.mkdir(parents=True, exist_ok=True)
        with urllib.request.urlopen(SDIST_URL, timeout=120) as response, open(part, "wb") as out:
            shutil.copyfileobj(response, out, 1 << 20)
        os.replace(part, path)
    digest = sha256_file(path)[0]
    if digest != SDIST_SHA256:
        if not given:
            path.unlink()
        raise SystemExit(f"{path}: SHA-256 {digest}, expected {SDIST_SHA256}")
    return path


def extract(archive: Path, into: Path) -> Path:
    """Only the OpenCV source tree of the archive (not its Python build scaffolding)."""
    top = f"opencv_python_headless-{VERSION}/"
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith(top + "opencv/")]
        if hasattr(tarfile, "data_filter"):
            tar.extractall(into, members=members, filter="data")
        else:  # pragma: no cover (Pythons before the extraction filters)
            tar.extractall(into, members=members)
    return into / top / "opencv"


def run(cmd: list[str], log: Path) -> None:
    with open(log, "a", encoding="utf-8") as out:
        out.write("$ " + " ".join(cmd) + "\n")
        out.flush()
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
        raise SystemExit("\n".join([*tail, f"build_opencv: failed ({cmd[0]}); the whole log: {log}"]))


def names_used() -> set[str]:
    found = set()
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*.py"):
            found |= set(re.findall(r"\bcv2\.([A-Za-z_]\w*)", path.read_text(encoding="utf-8")))
    return found


def verify(module: Path) -> None:
    """Import the built module and require every OpenCV name SoHoa's code uses, and no FFmpeg."""
    probe = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(module.parent)!r})\n"
        "import cv2\n"
        "names = json.loads(sys.stdin.read())\n"
        "info = cv2.getBuildInformation()\n"
        "print(json.dumps({'file': cv2.__file__, 'version': cv2.__version__,\n"
        "  'missing': sorted(n for n in names if not hasattr(cv2, n)),\n"
        "  'ffmpeg': 'FFMPEG:                      YES' in info}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        input=json.dumps(sorted(names_used())),
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"the built OpenCV does not import: {proc.stderr[-2000:]}")
    report = json.loads(proc.stdout)
    if Path(report["file"]).resolve() != module.resolve():
        raise SystemExit(f"the probe imported another OpenCV: {report['file']}")
    if report["missing"]:
        raise SystemExit(
            "SoHoa uses OpenCV names the built module lacks (add their module to MODULES in "
            f"installer/build_opencv.py): {', '.join(report['missing'])}"
        )
    if report["ffmpeg"]:
        raise SystemExit("the built OpenCV links FFmpeg")


def build(cache: Path) -> Path:
    locked = locked_version()
    if locked and locked != VERSION:
        raise SystemExit(
            f"requirements.lock has opencv-python-headless {locked}; installer/build_opencv.py builds "
            f"{VERSION}: set VERSION, SDIST_URL and SDIST_SHA256 to the locked release"
        )
    options = cmake_options(sys.executable)
    done = cache / build_key(options)
    name = "cv2.pyd" if WINDOWS else "cv2.abi3.so"
    if (done / name).exists():
        verify(done / name)
        return done / name
    cache.mkdir(parents=True, exist_ok=True)
    with build_lock(cache):
        if (done / name).exists():  # another checkout built it while this one waited
            verify(done / name)
            return done / name
        return _build(cache, options, done, name)


def build_key(options: list[str]) -> str:
    """What makes one build differ from another. Paths of this virtualenv (the interpreter, numpy's
    headers) are left out, so that another checkout of the same release reuses the build; numpy's
    version and the base interpreter stand for them."""
    import numpy

    per_venv = ("-DPYTHON3_EXECUTABLE=", "-DPYTHON3_NUMPY_INCLUDE_DIRS=")
    kept = [o for o in options if not o.startswith(per_venv)]
    key_text = json.dumps(
        [SDIST_SHA256, LAYOUT, kept, sys.version_info[:2], sysconfig.get_platform(), numpy.__version__],
        sort_keys=True,
    )
    return hashlib.sha256(key_text.encode()).hexdigest()[:16]


@contextlib.contextmanager
def build_lock(cache: Path):
    """One build at a time in a cache folder (two checkouts' test runs may ask at once)."""
    with open(cache / ".lock", "a+b") as handle:
        if not WINDOWS:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def default_cache() -> Path:
    given = os.environ.get("SOHOA_OPENCV_CACHE")
    if given:
        return Path(given)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("sohoa", appauthor=False)) / "opencv"


def _build(cache: Path, options: list[str], done: Path, name: str) -> Path:
    archive = fetch(cache)
    with tempfile.TemporaryDirectory(prefix="opencv-", dir=cache) as tmp:
        work = Path(tmp)
        log = work / "build.log"
        say(f"building OpenCV {VERSION} ({', '.join(MODULES)}); log: {log}")
        source = extract(archive, work / "src")
        prefix = work / "install"
        run(
            ["cmake", "-S", str(source), "-B", str(work / "b"), *options, f"-DCMAKE_INSTALL_PREFIX={prefix}"],
            log,
        )
        jobs = str(os.cpu_count() or 2)
        run(["cmake", "--build", str(work / "b"), "--config", "Release", "--parallel", jobs], log)
        run(
            ["cmake", "--install", str(work / "b"), "--config", "Release", *([] if WINDOWS else ["--strip"])],
            log,
        )
        built = next(iter(sorted((prefix / "python").rglob("cv2*.so" if not WINDOWS else "cv2*.pyd"))), None)
        if built is None:
            raise SystemExit(f"the build made no Python module; the whole log: {log}")
        staged = work / "out"
        staged.mkdir()
        shutil.copy2(built, staged / name)
        licenses = staged / "licenses"
        licenses.mkdir()
        shutil.copy2(source / "LICENSE", licenses / "opencv-LICENSE.txt")
        for path in sorted(prefix.rglob("licenses/**/*")):
            if path.is_file():
                shutil.copy2(path, licenses / path.name)
        webp = source / "3rdparty" / "libwebp" / "COPYING"  # built in, but its CMake installs no licence
        if webp.exists():
            shutil.copy2(webp, licenses / "libwebp-COPYING")
        shutil.copy2(log, staged / "build.log")
        verify(staged / name)
        if done.exists():
            shutil.rmtree(done)
        os.replace(staged, done)
    say(f"built {done / name} ({(done / name).stat().st_size / 1e6:.1f} MB)")
    return done / name


def main() -> int:
    if len(sys.argv) > 2:
        print(__doc__, file=sys.stderr)
        return 2
    if shutil.which("cmake") is None:
        raise SystemExit("build_opencv: cmake is not installed (Debian: apt install cmake g++ make nasm)")
    cache = Path(sys.argv[1]) if len(sys.argv) == 2 and sys.argv[1] else default_cache()
    print(build(cache.resolve()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

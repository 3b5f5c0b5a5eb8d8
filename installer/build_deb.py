#!/usr/bin/env python3
"""The Debian package from the application folder built by PyInstaller (`make package`).

    python installer/build_deb.py APP_DIR OUT_DIR

Layout: the folder in /opt/sohoa, a launcher /usr/bin/sohoa (a relative link, so a copy unpacked
with `dpkg -x` anywhere runs as well), a desktop entry and icon, and an example of the machine-wide
settings file in /usr/share/doc/sohoa. Depends: the system libraries the folder's programs load and
do not carry, found with dpkg-shlibdeps; Recommends: pcscd (USB tokens) and SANE (scanners).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# pcscd and libccid: USB tokens; SANE: scanners; Wayland's libraries for the window on a Wayland session
RECOMMENDS = [
    "pcscd",
    "libccid",
    "sane-utils",
    "libsane1",
    "fonts-dejavu-core",
    "libwayland-cursor0",
    "libwayland-egl1",
]
SUGGESTS = ["opensc", "softhsm2", "xvfb"]
# always needed even when no ELF in the folder names them: the Qt platform plug-in for X11 loads
# these at run time
ALWAYS = [
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xkb1",
    "libxcb-randr0",
    "libxkbcommon-x11-0",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libdbus-1-3",
    "libglib2.0-0",
]


def version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'^version = "([^"]+)"', text, re.M).group(1)


def elf_files(folder: Path) -> list[Path]:
    out = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    out.append(path)
    return out


def system_depends(app: Path) -> str:
    """The packages that hold the system libraries the folder's programs and libraries load and do
    not carry: each ELF file's libraries resolved by the loader (ldd) with the folder's own library
    directories first, the ones outside the folder mapped to their packages by dpkg."""
    tesseract = app / "_internal" / "tesseract"
    outside: set[str] = set()
    unresolved: set[str] = set()
    app_prefix = str(app) + os.sep
    for elf in elf_files(app):
        # what the loader sees at run time: the bootloader's library path for the app, the
        # launcher's for Tesseract; libraries from wheels find their neighbours by RPATH
        lib_dir = tesseract / "lib" if tesseract in elf.parents else app / "_internal"
        env = {**os.environ, "LD_LIBRARY_PATH": str(lib_dir)}
        out = subprocess.run(["ldd", str(elf)], capture_output=True, text=True, env=env)
        for line in out.stdout.splitlines():
            m = re.match(r"\s*(\S+) => (\S+)", line)
            if not m:
                continue
            if m.group(2) == "not":
                unresolved.add(m.group(1))
            elif not os.path.realpath(m.group(2)).startswith(app_prefix):
                outside.add(m.group(2))
    # a library the folder carries, found at run time through the one that loaded first
    unresolved -= {p.name for p in app.rglob("*.so*")}
    if unresolved:
        print("not on this machine, left out of Depends: " + ", ".join(sorted(unresolved)), file=sys.stderr)
    packages = set(ALWAYS)
    if outside:
        found = subprocess.run(["dpkg", "-S", *sorted(outside)], capture_output=True, text=True)
        for line in found.stdout.splitlines():
            packages.add(line.split(":", 1)[0].strip())
    glibc = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "libc6"], capture_output=True, text=True)
    deps = []
    for pkg in sorted(packages):
        if pkg == "libc6" and glibc.stdout:
            deps.append(f"libc6 (>= {glibc.stdout.split('-')[0]})")
        else:
            deps.append(pkg)
    return ", ".join(deps)


def build(app: Path, out_dir: Path) -> Path:
    if not (app / "sohoa").exists():
        raise SystemExit(f"{app} is not the application folder (no 'sohoa' program in it)")
    ver = version()
    stage = Path(tempfile.mkdtemp(prefix="sohoa-deb-"))
    try:
        opt = stage / "opt" / "sohoa"
        shutil.copytree(app, opt, symlinks=True)
        (stage / "usr" / "bin").mkdir(parents=True)
        os.symlink("../../opt/sohoa/sohoa", stage / "usr" / "bin" / "sohoa")
        apps = stage / "usr" / "share" / "applications"
        apps.mkdir(parents=True)
        shutil.copy2(HERE / "linux" / "sohoa.desktop", apps / "sohoa.desktop")
        icons = stage / "usr" / "share" / "icons" / "hicolor" / "scalable" / "apps"
        icons.mkdir(parents=True)
        shutil.copy2(ROOT / "app" / "resources" / "icons" / "sohoa.svg", icons / "sohoa.svg")
        doc = stage / "usr" / "share" / "doc" / "sohoa"
        doc.mkdir(parents=True)
        shutil.copy2(HERE / "linux" / "settings.json.example", doc / "settings.json.example")
        shutil.copy2(HERE / "README.md", doc / "INSTALL.md")
        (doc / "copyright").write_text(
            "SoHoa is free software under the GNU General Public License, version 3 or later.\n"
            "It bundles Python, Qt (LGPL-3), OpenCV (Apache-2.0) and Tesseract (Apache-2.0); their\n"
            "licences are in /opt/sohoa/_internal.\n"
        )
        installed_kb = (
            sum(p.stat().st_size for p in stage.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
        )
        control = stage / "DEBIAN"
        control.mkdir()
        (control / "control").write_text(
            (HERE / "linux" / "control.in")
            .read_text(encoding="utf-8")
            .format(
                version=ver,
                installed_kb=installed_kb,
                depends=system_depends(app),
                recommends=", ".join(RECOMMENDS),
                suggests=", ".join(SUGGESTS),
            ),
            encoding="utf-8",
        )
        for script in ("postinst", "postrm"):
            shutil.copy2(HERE / "linux" / script, control / script)
            (control / script).chmod(0o755)
        out_dir.mkdir(parents=True, exist_ok=True)
        deb = out_dir / f"sohoa_{ver}_amd64.deb"
        compression = os.environ.get("SOHOA_DEB_COMPRESSION", "xz")
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", f"-Z{compression}", "--build", str(stage), str(deb)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return deb
    finally:
        shutil.rmtree(stage, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    print(build(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()))

"""The Debian package, built as `make package` builds it, unpacked into an empty folder and run from
there: `sohoa doctor`, OCR with the bundled Tesseract, a signature on a SoftHSM token, its check, and
the window started offscreen. A missing hidden import or data file fails here."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, installer_script
from tests.fixtures import save_png, vietnamese_page

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """dist/…deb built from this checkout (zstd: quicker to make), unpacked with dpkg -x."""
    if shutil.which("dpkg-deb") is None:
        pytest.skip("dpkg-deb is not installed: the Debian package is built on Debian or Ubuntu")
    work = tmp_path_factory.mktemp("package")
    env = {
        **os.environ,
        "SOHOA_BUILD_DIR": str(work / "build"),
        "SOHOA_DIST_DIR": str(work / "dist"),
        "SOHOA_DEB_COMPRESSION": "zstd",
    }
    subprocess.run(
        ["bash", str(ROOT / "installer" / "build_linux.sh"), sys.executable],
        env=env,
        check=True,
        capture_output=True,
        timeout=3600,  # the first build compiles OpenCV (about 12 minutes on two cores)
    )
    (deb,) = (work / "dist").glob("sohoa_*_amd64.deb")
    root = work / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    (root / "DEBIAN").mkdir()
    subprocess.run(["dpkg-deb", "-e", str(deb), str(root / "DEBIAN")], check=True)
    return root


def _run(root: Path, *args: str, home: Path, stdin: str | None = None, extra: dict | None = None):
    """The installed launcher with a bare environment: no PATH to the system's Tesseract."""
    env = {
        "HOME": str(home),
        "PATH": "/nonexistent",
        "SOHOA_HOME": str(home / "ws"),
        "SOHOA_ADMIN_CONFIG": str(home / "settings.json"),
        "LANG": "C.UTF-8",
        **(extra or {}),
    }
    return subprocess.run(
        [str(root / "usr" / "bin" / "sohoa"), *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_package_declares_what_it_needs_and_installs_a_launcher_and_menu_entry(installed):
    control = (installed / "DEBIAN" / "control").read_text(encoding="utf-8")
    fields = dict(
        line.split(": ", 1) for line in control.splitlines() if ": " in line and not line.startswith(" ")
    )
    assert fields["Package"] == "sohoa" and fields["Architecture"] == "amd64"
    depends = fields["Depends"]
    assert "libc6 (>=" in depends and "libxcb-cursor0" in depends and "libfontconfig1" in depends
    assert "pcscd" in fields["Recommends"] and "sane-utils" in fields["Recommends"]
    assert int(fields["Installed-Size"]) > 100_000  # kB: Python, Qt, OpenCV and Tesseract are inside
    launcher = installed / "usr" / "bin" / "sohoa"
    assert launcher.is_symlink() and os.readlink(launcher) == "../../opt/sohoa/sohoa"
    desktop = (installed / "usr" / "share" / "applications" / "sohoa.desktop").read_text(encoding="utf-8")
    assert "Exec=sohoa" in desktop and "Icon=sohoa" in desktop and "Name[vi]=" in desktop
    assert (installed / "usr" / "share" / "icons" / "hicolor" / "scalable" / "apps" / "sohoa.svg").exists()
    internal = installed / "opt" / "sohoa" / "_internal"
    for lang in ("vie", "eng", "osd"):
        assert (internal / "tesseract" / "tessdata" / f"{lang}.traineddata").exists()
    assert (internal / "app" / "resources" / "translations" / "sohoa_vi.qm").exists()
    assert not list(internal.glob("libstdc++*")) and not list(internal.glob("libX11*"))  # the machine's


def test_the_installed_copy_checks_itself_with_the_admins_settings(installed, tmp_path):
    (tmp_path / "settings.json").write_text(
        json.dumps({"portal_url": "https://portal.example.vn/sohoa", "locked": ["portal_url"]}),
        encoding="utf-8",
    )
    proc = _run(installed, "doctor", "--json", home=tmp_path)
    report = json.loads(proc.stdout)
    tess = report["tesseract"]
    assert tess["ok"] and {"vie", "eng", "osd"} <= set(tess["languages"]), proc.stderr
    assert tess["path"].startswith(str(installed / "opt" / "sohoa")), tess["path"]  # the bundled one
    assert report["resources"].startswith(str(installed / "opt" / "sohoa"))
    assert report["admin_config"] == [{"path": str(tmp_path / "settings.json"), "found": True}]
    portal = report["settings"]["portal_url"]
    assert portal == {
        "value": "https://portal.example.vn/sohoa",
        "source": f"admin:{tmp_path / 'settings.json'}",
    }
    assert report["settings"]["sign_level"]["source"] == "default"


def test_the_installed_copy_reads_signs_and_verifies_a_page(installed, tmp_path, token):
    page = save_png(vietnamese_page(dpi=200), tmp_path / "trang 1.png", dpi=200)
    out = tmp_path / "đơn đề nghị.pdf"
    proc = _run(installed, "ocr", str(page), "-o", str(out), "--json", home=tmp_path)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["failed_pages"] == [] and result["chars"] > 150
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Hoàn Kiếm" in text

    signed = tmp_path / "đã ký.pdf"
    pkcs11 = {"SOFTHSM2_CONF": str(token.conf)}
    proc = _run(
        installed,
        "sign", str(out), "-o", str(signed), "--module", token.module, "--token", token.label,
        "--pin-stdin", "--json",
        home=tmp_path, stdin=token.pin + "\n", extra=pkcs11,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert token.pin not in proc.stdout + proc.stderr
    proc = _run(installed, "verify", str(signed), "--trust", str(token.root_pem), "--json", home=tmp_path)
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and report["ok"] is True
    assert report["signatures"][0]["signer"] == token.holder


def test_the_installed_window_starts(installed, tmp_path):
    proc = _run(
        installed,
        home=tmp_path,
        extra={"QT_QPA_PLATFORM": "offscreen", "SOHOA_EXIT_WHEN_READY": "1", "SOHOA_LANG": "vi"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ready: SoHoa - Số hóa hồ sơ"), proc.stdout + proc.stderr


def test_the_installed_folder_passes_the_layout_check_the_windows_build_is_held_to(installed, tmp_path):
    summary = tmp_path / "linux-layout.txt"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "installer" / "check_layout.py"), str(installed / "opt" / "sohoa"),
         "--summary", str(summary)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0 and "layout ok" in proc.stdout, proc.stdout + proc.stderr
    lines = summary.read_text(encoding="utf-8").splitlines()
    for needed in ("package PySide6", "module cv2", "package pyhanko", "package pkcs11", "package zxingcpp",
                   "file app/resources/procedures.json", "file tesseract/tessdata/vie.traineddata"):  # fmt: skip
        assert needed in lines


def test_the_installed_copy_reads_a_large_format_scanners_compressed_tiff(installed, tmp_path):
    """Codecs loaded on first use (imagecodecs') are in the bundle: LZW, JPEG and Deflate tiles."""
    import tifffile

    from tests.test_drawings import DPI, _sheet

    sheet, _ = _sheet(seed=5)
    for compression in ("lzw", "jpeg", "zlib"):
        path = tmp_path / f"kho-lon-{compression}.tif"
        tifffile.imwrite(
            path, sheet, photometric="rgb", compression=compression, tile=(256, 256),
            resolution=(DPI, DPI), resolutionunit="INCH",
        )  # fmt: skip
        out = tmp_path / f"{compression}.pdf"
        proc = _run(installed, "stitch", str(path), "-o", str(out), "--json", home=tmp_path)
        assert proc.returncode == 0, (compression, proc.stdout[-1500:], proc.stderr[-1500:])
        assert json.loads(proc.stdout)["verdict"] == "ok" and out.stat().st_size > 1000


def test_the_installed_copy_runs_a_dossier_from_a_scanned_pdf_and_reads_codes(installed, tmp_path, scan_pdf):
    """The paths that load their libraries late: PDF pages rendered by PDFium, cleanup by OpenCV,
    the workspace in SQLite, codes by zxing-cpp, the scan plan."""
    from tests.test_codes import CCCD, _scan

    def ok(*args):
        proc = _run(installed, *args, home=tmp_path)
        assert proc.returncode == 0, (args, proc.stdout[-1500:], proc.stderr[-1500:])
        return json.loads(proc.stdout) if "--json" in args else proc.stdout

    ok("dossier", "new", "HS-GOI")
    ok("dossier", "add", "HS-GOI", str(scan_pdf), "--component", "Giấy phép")
    assert ok("dossier", "process", "HS-GOI", "--jobs", "1", "--json")["processed"]
    (part,) = ok("dossier", "show", "HS-GOI", "--json")["components"]
    assert part["status"] == "processed" and part["pages"] == 1
    card = tmp_path / "cccd.jpg"
    card.write_bytes(_scan(200))
    codes = ok("codes", str(card), "--json")["pages"][0]["codes"]
    assert any(c.get("cccd", {}).get("id_number") == CCCD.split("|")[0] for c in codes)
    assert len(ok("plan", "A1", "--bed", "A3", "--json")["tiles"]) == 6


def test_the_installed_opencv_is_the_slim_build_without_ffmpeg_and_shared_libraries_are_kept_once(installed):
    internal = installed / "opt" / "sohoa" / "_internal"
    assert (internal / "cv2.abi3.so").is_file() and not (internal / "cv2").exists()
    assert (internal / "licenses" / "opencv" / "opencv-LICENSE.txt").is_file()
    names = [p.name for p in internal.rglob("*")]
    assert not [n for n in names if n.startswith(("libavcodec", "libavformat", "libopenblas"))]
    # Tesseract's copy of OpenSSL is a link to Python's, and it still loads through it
    linked = internal / "tesseract" / "lib" / "libcrypto.so.3"
    assert linked.is_symlink() and linked.resolve() == (internal / "libcrypto.so.3").resolve()


def test_the_installed_copy_stitches_tiles_and_reads_a_card_from_a_camera_clip(installed, tmp_path):
    """OpenCV as built for the package: SIFT matching, the fit and warps of stitching; a video file
    read without FFmpeg (OpenCV's own MJPEG reader) by the camera path."""
    from PIL import Image

    from tests.test_camera import _card, _clip, _frame
    from tests.test_drawings import DPI, _scan, _sheet

    sheet, _ = _sheet(seed=4)
    tiles, _ = _scan(sheet, seed=11)
    paths = []
    for n, tile in enumerate(tiles):
        paths.append(str(tmp_path / f"manh-{n + 1}.png"))
        Image.fromarray(tile).save(paths[-1], dpi=(DPI, DPI))
    out = tmp_path / "ban-ve.pdf"
    proc = _run(installed, "stitch", *paths, "-o", str(out), "--grid", "2x2", "--json", home=tmp_path)
    assert proc.returncode == 0, (proc.stdout[-1500:], proc.stderr[-1500:])
    data = json.loads(proc.stdout)
    assert data["verdict"] == "ok" and all(t["placed"] for t in data["tiles"]), data
    assert data["sheet"]["kind"] == "mrc" and out.stat().st_size > 1000

    import numpy as np

    clip = _clip(tmp_path / "cam.avi", [_frame(_card(), 0, 0, 0, np.random.default_rng(3))] * 2)
    proc = _run(installed, "codes", "--camera", clip, "--timeout", "20", "--json", home=tmp_path)
    assert proc.returncode == 0, (proc.stdout[-1500:], proc.stderr[-1500:])
    assert json.loads(proc.stdout)["cccd"]["id_number"] == "001203012345"


def test_identical_files_in_the_folder_become_links_to_one_copy(tmp_path):
    link_duplicates = installer_script("link_duplicates").link_duplicates
    app = tmp_path / "app"
    (app / "_internal" / "tesseract" / "lib").mkdir(parents=True)
    big, other = os.urandom(100_000), os.urandom(100_000)
    (app / "_internal" / "libcrypto.so.3").write_bytes(big)
    (app / "_internal" / "tesseract" / "lib" / "libcrypto.so.3").write_bytes(big)
    (app / "_internal" / "tesseract" / "lib" / "libother.so").write_bytes(other)
    (app / "_internal" / "a.txt").write_bytes(b"small")
    (app / "_internal" / "tesseract" / "b.txt").write_bytes(b"small")
    tool = app / "_internal" / "tesseract" / "tool"
    tool.write_bytes(big)
    tool.chmod(0o755)
    assert link_duplicates(app) == (1, 100_000)
    linked = app / "_internal" / "tesseract" / "lib" / "libcrypto.so.3"
    assert (
        linked.is_symlink() and os.readlink(linked) == "../../libcrypto.so.3" and linked.read_bytes() == big
    )
    # different content, small files and an executable (the kept copy is not) stay files
    assert not any(p.is_symlink() for p in app.rglob("*") if p != linked)
    assert tool.read_bytes() == big and os.access(tool, os.X_OK)

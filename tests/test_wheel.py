"""SoHoa installed the ordinary Python way: the wheel `python -m build` makes, installed into a fresh
virtualenv outside the source tree, runs every command with its resources (translations, catalogues,
trust roots, icons) read from the installed package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.fixtures import save_png, vietnamese_page

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the wheel, the fresh virtualenv's bin folder). The wheel is built from this checkout without
    build isolation (the virtualenv's setuptools, no download); the fresh virtualenv reaches the
    third-party packages already installed here through a .pth line, never this checkout."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(work / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = (work / "dist").glob("sohoa-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    (site,) = (venv / "lib").glob("python3*/site-packages")
    (site / "third_party.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(  # the fresh virtualenv's own interpreter runs pip (reached through that line)
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return wheel, venv / "bin"


def _sohoa(bin_dir: Path, *args: str, home: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(
        SOHOA_HOME=str(home / "ws"),
        SOHOA_ADMIN_CONFIG=str(home / "no-admin.json"),
        SOHOA_LANG="vi",
        HOME=str(home),
    )
    return subprocess.run(
        [str(bin_dir / "sohoa"), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_the_wheel_carries_the_resources(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "app/resources/procedures.json",
        "app/resources/pkcs11_modules.json",
        "app/resources/translations/sohoa_vi.qm",
        "app/resources/translations/sohoa_vi.mo",
        "app/resources/icons/sohoa.svg",
    ):
        assert needed in names
    assert not any(n.startswith(("tests/", "bench/", "installer/")) for n in names)


def test_every_command_works_from_the_installed_wheel(installed, tmp_path):
    _, bin_dir = installed
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    proc = _sohoa(bin_dir, "doctor", "--json", home=tmp_path, cwd=outside)
    report = json.loads(proc.stdout)
    site = str(bin_dir.parent)
    assert report["resources"].startswith(site), report["resources"]  # not this checkout's folder
    assert not report["resources"].startswith(str(ROOT))

    proc = _sohoa(
        bin_dir, "dossier", "new", "HS-W1", "--procedure", "Đăng ký khai sinh", "--json",
        home=tmp_path, cwd=outside,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    created = json.loads(proc.stdout)
    assert created["code"] == "HS-W1" and created["procedure_known"] and created["missing"]
    assert "catalog_problem" not in created and not proc.stderr.strip()

    page = save_png(vietnamese_page(dpi=150, height_in=2.5), outside / "trang.png", dpi=150)
    proc = _sohoa(
        bin_dir, "ocr", str(page), "-o", str(outside / "trang.pdf"), "--json", home=tmp_path, cwd=outside
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["pages"] == 1 and (outside / "trang.pdf").stat().st_size > 1000

    # messages come from the installed Vietnamese catalogue
    proc = _sohoa(bin_dir, "dossier", "show", "KHONG-CO", home=tmp_path, cwd=outside)
    assert proc.returncode != 0 and "Không có hồ sơ" in proc.stderr, proc.stderr

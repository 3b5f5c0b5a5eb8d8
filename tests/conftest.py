"""Shared fixtures: an isolated workspace, a SoftHSM2 token with a test PKI, generated pages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import pki
from tests.fixtures import save_png, vietnamese_page

ROOT = Path(__file__).resolve().parent.parent
SOHOA = [sys.executable, "-m", "app"]


@pytest.fixture
def sohoa_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "workspace"
    monkeypatch.setenv("SOHOA_HOME", str(home))
    monkeypatch.setenv("SOHOA_ADMIN_CONFIG", str(tmp_path / "no-admin-settings.json"))
    return home


@pytest.fixture(scope="session")
def softhsm_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("softhsm")


@pytest.fixture(scope="session")
def token(softhsm_dir) -> pki.TestToken:
    """A SoftHSM2 token holding a citizen's RSA key (generated on the token) and certificate chain."""
    return pki.make_token(softhsm_dir)


@pytest.fixture(scope="session")
def expired_token(softhsm_dir, token) -> pki.TestToken:
    """A token whose only certificate expired a month ago."""
    return pki.make_token(
        softhsm_dir,
        label="SoHoa Expired",
        pin="112233",
        holder="Vũ Đức Thắng",
        citizen_id="001098007654",
        validity_days=-30,
        cert_label="Het han",
    )


@pytest.fixture(scope="session")
def ec_token(softhsm_dir, token) -> pki.TestToken:
    """A second token: ECDSA P-256 key whose label and CKA_ID both differ from its certificate's."""
    return pki.make_token(
        softhsm_dir,
        label="SoHoa EC",
        pin="654321",
        holder="Đặng Thị Thu Hà",
        citizen_id="038190001234",
        key_type="ec",
        cert_label="Chung thu so",
        key_label="khoa-ky-1",
        cert_id_differs=True,
    )


@pytest.fixture(scope="session")
def page_png(tmp_path_factory) -> Path:
    return save_png(vietnamese_page(), tmp_path_factory.mktemp("pages") / "trang 1.png")


def run_sohoa(
    *args: str, stdin: str | None = None, env: dict | None = None, check: bool = True, timeout: float = 300
) -> subprocess.CompletedProcess:
    """Run the real `sohoa` command line in a child process."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(
        [*SOHOA, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=ROOT,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"sohoa {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


def run_json(*args: str, **kwargs) -> dict | list:
    proc = run_sohoa(*args, "--json", **kwargs)
    return json.loads(proc.stdout)

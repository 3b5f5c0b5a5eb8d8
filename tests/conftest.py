"""Shared fixtures: an isolated workspace, a SoftHSM2 token with a test PKI, generated pages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import pki
from tests.fixtures import save_png, vietnamese_page

ROOT = Path(__file__).resolve().parent.parent
SOHOA = [sys.executable, "-m", "app"]


def installer_script(name: str):
    """One of installer/'s scripts (not a package) loaded as a module, for its functions."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "installer" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def sohoa_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "workspace"
    monkeypatch.setenv("SOHOA_HOME", str(home))
    monkeypatch.setenv("SOHOA_ADMIN_CONFIG", str(tmp_path / "no-admin-settings.json"))
    return home


TOKEN_SPECS = [
    pki.TokenSpec(
        "citizen",
        "SoHoa Test",
        "123456",
        "Nguyễn Thị Hồng Nhung",
        citizen_id="001203012345",
        cert_label="Nguyen Thi Hong Nhung",
    ),
    # ECDSA P-256 key whose label and CKA_ID both differ from its certificate's
    pki.TokenSpec(
        "ec",
        "SoHoa EC",
        "654321",
        "Đặng Thị Thu Hà",
        citizen_id="038190001234",
        key_type="ec",
        cert_label="Chung thu so",
        key_label="khoa-ky-1",
        cert_id_differs=True,
    ),
    # a PIN no file could hold by chance: the secrets test searches every byte written for it
    pki.TokenSpec(
        "secretive",
        "SoHoa Secret",
        "Qz7-pin-9f3XkT",
        "Phạm Minh Tuấn",
        citizen_id="079090001234",
        cert_label="Pham Minh Tuan",
    ),
    pki.TokenSpec(
        "expired",
        "SoHoa Expired",
        "112233",
        "Vũ Đức Thắng",
        citizen_id="001098007654",
        cert_label="Het han",
        expired=True,
    ),
    pki.TokenSpec(
        "revoked",
        "SoHoa Revoked",
        "445566",
        "Lê Văn Hùng",
        citizen_id="079085003210",
        cert_label="Da thu hoi",
        revoked=True,
    ),
    pki.TokenSpec(
        "official",
        "SoHoa Official",
        "778899",
        "Trần Quốc Bảo",
        citizen_id="001080004567",
        organization="UBND Phường Bến Thành",
        cert_label="Can bo mot cua",
    ),
    # signers whose keys remote signing services keep (certomancer-csc-dummy, the reference services)
    pki.TokenSpec("r_citizen", "", "", "Hoàng Thị Mai", citizen_id="001190012345", remote=True),
    pki.TokenSpec(
        "r_citizen_2",
        "",
        "",
        "Hoàng Thị Mai",
        citizen_id="001190012345",
        organization="Hộ kinh doanh Mai",
        remote=True,
    ),
    pki.TokenSpec("r_expired", "", "", "Đỗ Văn Nam", citizen_id="001085011111", expired=True, remote=True),
    pki.TokenSpec("r_revoked", "", "", "Bùi Thị Lan", citizen_id="001092022222", revoked=True, remote=True),
    pki.TokenSpec(
        "r_official",
        "",
        "",
        "Ngô Văn Tùng",
        citizen_id="001079033333",
        organization="UBND Phường Bến Thành",
        remote=True,
    ),
]


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory) -> pki.TestPki:
    """SoftHSM2 tokens (keys generated on them) with certificates issued by certomancer."""
    return pki.make_pki(tmp_path_factory.mktemp("softhsm"), TOKEN_SPECS)


@pytest.fixture(scope="session")
def pki_services(test_pki):
    """certomancer's OCSP, CRL and TSA services on 127.0.0.1, on the port in the certificates."""
    services = pki.PkiServices(test_pki).start()
    yield services
    services.stop()


@pytest.fixture(scope="session")
def token(test_pki) -> pki.TestToken:
    """A citizen's RSA 2048 key and certificate chain."""
    return test_pki.tokens["citizen"]


@pytest.fixture(scope="session")
def secret_token(test_pki) -> pki.TestToken:
    """A citizen's token whose PIN is long and distinctive."""
    return test_pki.tokens["secretive"]


@pytest.fixture(scope="session")
def expired_token(test_pki) -> pki.TestToken:
    """A token whose only certificate expired a month ago."""
    return test_pki.tokens["expired"]


@pytest.fixture(scope="session")
def ec_token(test_pki) -> pki.TestToken:
    """ECDSA P-256 key whose label and CKA_ID both differ from its certificate's."""
    return test_pki.tokens["ec"]


@pytest.fixture(scope="session")
def revoked_token(test_pki) -> pki.TestToken:
    """A citizen whose certificate the CA revoked yesterday (key compromise)."""
    return test_pki.tokens["revoked"]


@pytest.fixture(scope="session")
def official_token(test_pki) -> pki.TestToken:
    """An official of a ward's one-stop counter."""
    return test_pki.tokens["official"]


@pytest.fixture(scope="session")
def vtoken_module(tmp_path_factory, test_pki) -> Path:
    """tests/vtoken/vtoken.c compiled: SoftHSM2 with a PIN pad, a try counter and an unplug switch."""
    out = tmp_path_factory.mktemp("vtoken") / "libvtoken.so"
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        raise RuntimeError("a C compiler is needed for the test token module (apt install gcc)")
    subprocess.run(
        [
            cc,
            "-shared",
            "-fPIC",
            "-O2",
            "-Wall",
            "-I/usr/include/p11-kit-1",
            "-o",
            str(out),
            str(ROOT / "tests" / "vtoken" / "vtoken.c"),
            "-ldl",
        ],
        check=True,
    )
    return out


@dataclass
class VirtualToken:
    module: str
    state: Path
    env: dict

    def set(self, name: str, value: str) -> None:
        (self.state / name).write_text(value)

    def clear(self, name: str) -> None:
        (self.state / name).unlink(missing_ok=True)

    def number(self, name: str) -> int:
        path = self.state / name
        return int(path.read_text()) if path.exists() else 0


@pytest.fixture
def vtoken(tmp_path, vtoken_module) -> VirtualToken:
    """The test tokens seen through vtoken, with a fresh state folder; use from child processes."""
    state = tmp_path / "vtoken-state"
    state.mkdir()
    env = {"VTOKEN_TARGET": pki.softhsm_module(), "VTOKEN_STATE": str(state)}
    return VirtualToken(str(vtoken_module), state, env)


@pytest.fixture(scope="session")
def scan_pdf(tmp_path_factory) -> Path:
    """A one-page searchable PDF/A of a Vietnamese page, as OCR makes it: the thing clerks sign."""
    from ocr import PageSource, ocr_to_pdf
    from tests.fixtures import png_bytes

    out = tmp_path_factory.mktemp("scan") / "giay-phep.pdf"
    ocr_to_pdf([PageSource(png_bytes(vietnamese_page(dpi=150, height_in=2.5), 150), 150)], out)
    return out


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

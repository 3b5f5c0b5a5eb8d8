"""No PIN and no portal secret anywhere SoHoa writes: a dossier is captured, processed, signed (after
one wrong PIN) and sent to the reference portal with verbose logging, then every byte under the
workspace, the logs and the temporary folder, and everything printed, is searched for them."""

from __future__ import annotations

import stat
import sys

from tests.conftest import run_json, run_sohoa
from tests.test_portal import DevPortal

SECRET = "pOrt4l-Secret-Zq81-khong-lo"
WRONG_PIN = "Wr0ng-PIN-x7Kd"


def _forms(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]


def test_pin_and_portal_secret_are_never_written_or_printed(
    secret_token, page_png, tmp_path, sohoa_home, monkeypatch
):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {
        "TMPDIR": str(tmp),
        "SOHOA_PORTAL_CLIENT_ID": "quay-07",
        "SOHOA_PORTAL_CLIENT_SECRET": SECRET,
        "DEVPORTAL_SECRET": SECRET,
    }
    (sohoa_home / "trust").mkdir(parents=True, exist_ok=True)
    (sohoa_home / "trust" / "root.pem").write_bytes(secret_token.root_pem.read_bytes())
    printed: list[str] = []

    def sohoa(*args, **kwargs):
        proc = run_sohoa("-v", *args, env=env, **kwargs)
        printed.append(proc.stdout + proc.stderr)
        return proc

    sohoa("dossier", "new", "HS-BIMAT", "--applicant-name", "Phạm Minh Tuấn")
    sohoa("dossier", "add", "HS-BIMAT", str(page_png), "--component", "Đơn")
    sohoa("dossier", "process", "HS-BIMAT")
    token_args = ("--module", secret_token.module, "--token", secret_token.label, "--pin-stdin")
    wrong = sohoa("dossier", "sign", "HS-BIMAT", *token_args, stdin=WRONG_PIN + "\n", check=False)
    assert wrong.returncode != 0
    sohoa("dossier", "sign", "HS-BIMAT", *token_args, stdin=secret_token.pin + "\n")
    monkeypatch.setenv("DEVPORTAL_SECRET", SECRET)  # the portal's side of the shared secret
    portal = DevPortal(
        tmp_path / "portal", extra=["--client-id", "quay-07", "--client-secret-env", "DEVPORTAL_SECRET"]
    )
    try:
        sent = sohoa("upload", "--portal", portal.url, "--json")
    finally:
        portal.stop()
    assert '"delivered": [' in sent.stdout and portal.journal()[0]["dossier"] == "HS-BIMAT"
    assert run_json("audit", "verify", env=env)["ok"] is True

    needles = {
        "PIN": _forms(secret_token.pin),
        "wrong PIN": _forms(WRONG_PIN),
        "portal secret": _forms(SECRET),
    }
    written = [p for root in (sohoa_home, tmp) for p in root.rglob("*") if p.is_file()]
    assert any(p.name == "sohoa.log" for p in written) and any(p.suffix == ".sqlite" for p in written)
    found = []
    for path in written:
        data = path.read_bytes()
        found += [f"{what} in {path}" for what, forms in needles.items() if any(f in data for f in forms)]
    for text in printed:
        found += [f"{what} printed" for what, forms in needles.items() if forms[0].decode() in text]
    assert not found, found
    if sys.platform != "win32":  # citizens' data: the workspace is the user's alone
        assert sohoa_home.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO) == 0

"""Remote signing services for the tests, each its own process on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests import pki
from tests.conftest import ROOT, SOHOA


def csc_dummy(
    test_pki: pki.TestPki, *, scal: int, multisign: int, pin: str = "-", otp: str = "-"
) -> tuple[pki.Process, str]:
    """certomancer-csc-dummy over the test PKI; returns the process and its `/csc/v1` URL.

    With `pin` and/or `otp` its credentials ask for them (explicit authorization)."""
    port = pki.free_port()
    args = [str(test_pki.config), str(port), str(scal), str(multisign), pin, otp]
    proc = pki.Process(
        [sys.executable, "-m", "tests.cscdummy", *args],
        port,
        test_pki.workdir / f"csc-{port}.log",
    ).start()
    return proc, f"http://127.0.0.1:{port}/csc/v1"


SP = {"sp_id": "counter-7", "sp_password": "Sp-secret-4f9Q-counter"}
SP_ENV = {"SOHOA_REMOTE_ACCOUNT": SP["sp_id"], "SOHOA_REMOTE_SECRET": SP["sp_password"]}


def ref_service(test_pki, shape: str) -> tuple[pki.Process, str]:
    tokens = test_pki.tokens
    users = {
        t.citizen_id: [{"token": t.label, "pin": t.pin}]
        for t in (tokens["citizen"], tokens["official"], tokens["expired"], tokens["revoked"], tokens["ec"])
    }
    config = test_pki.workdir / f"devremote-{shape}.json"
    config.write_text(json.dumps({"module": tokens["citizen"].module, "sp": SP, "users": users}))
    port = pki.free_port()
    proc = pki.Process(
        [
            sys.executable,
            "-m",
            "signing.devremote",
            "--users",
            str(config),
            "--shape",
            shape,
            "--port",
            str(port),
        ],
        port,
        test_pki.workdir / f"devremote-{shape}.log",
    ).start()
    return proc, f"http://127.0.0.1:{port}"


def control(url: str, **values) -> None:
    base = {"mode": "approve", "delay": 0, "expires_in": 120, "wrong_bytes": False, "errors": 0, "cut": 0}
    httpx.post(f"{url}/_control", json={**base, **values}).raise_for_status()


def requests_asked(url: str) -> list[dict]:
    return httpx.get(f"{url}/_control/requests").json()["requests"]


def processed_dossier(code: str, scan_pdf: Path, parts: int) -> None:
    from app.workspace import ArtifactKind, Status, Workspace

    with Workspace(Path(os.environ["SOHOA_HOME"])) as ws:
        ws.create_dossier(code, applicant_name="Nguyễn Thị Hồng Nhung", applicant_id="001203012345")
        for i in range(parts):
            comp = ws.component(code, f"Thành phần {i + 1}", create=True)
            ws.add_artifact(comp.id, ArtifactKind.OCR_PDF, scan_pdf, status=Status.PROCESSED)


def _recorded_transaction(code: str) -> bool:
    from app.workspace import Workspace

    with Workspace(Path(os.environ["SOHOA_HOME"])) as ws:
        return any(
            json.loads(r["batch"]).get("transactions") and ws.dossier_by_id(r["dossier_id"]).code == code
            for r in ws.remote_requests()
        )


def killed_while_waiting(url: str, code: str, user_id: str) -> dict:
    """`sohoa dossier sign CODE --remote` killed (SIGKILL) once the signer has been asked; the request."""
    before = len(requests_asked(url))
    args = ["dossier", "sign", code, "--remote", "vnpt-smartca", "--user-id", user_id, "--service-url", url]
    child = subprocess.Popen(
        [*SOHOA, *args],
        cwd=ROOT,
        env={**os.environ, **SP_ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(requests_asked(url)) == before and time.monotonic() < deadline:
        time.sleep(0.2)
    # and once the workspace holds the service's transaction: killed between the two, the request
    # is ended as never asked (its approval on the phone would be void), a case of its own
    while not _recorded_transaction(code) and time.monotonic() < deadline:
        time.sleep(0.1)
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    return requests_asked(url)[-1]

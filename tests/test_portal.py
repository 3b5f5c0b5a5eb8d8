"""Uploads to the reference portal over real HTTP on 127.0.0.1: tus, OAuth2, faults, exactly once."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, run_json, run_sohoa
from upload import Outbox
from upload.portal import PortalConfig, PortalTarget, TlsRefused
from upload.runner import run_item_upload

MB = 1024 * 1024


class DevPortal:
    def __init__(self, root: Path, *, faults=(), tls: tuple[Path, Path] | None = None, extra=()) -> None:
        self.root = root
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        args = [sys.executable, "-m", "upload.devportal", "--port", str(self.port), "--root", str(root)]
        for fault in faults:
            args += ["--fault", fault]
        if tls:
            args += ["--tls-cert", str(tls[0]), "--tls-key", str(tls[1])]
        self.log = open(root.parent / f"devportal-{self.port}.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen([*args, *extra], stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}/"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, (root.parent / f"devportal-{self.port}.log").read_text()
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        time.sleep(0.3)  # the inner server starts right after the proxy

    def journal(self) -> list[dict]:
        path = self.root / "attached.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        self.log.close()


@pytest.fixture
def portal(tmp_path):
    started = []

    def start(**kwargs) -> DevPortal:
        p = DevPortal(tmp_path / f"portal{len(started)}", **kwargs)
        started.append(p)
        return p

    yield start
    for p in started:
        p.stop()


def _files(tmp_path: Path, sizes: list[int]) -> list[Path]:
    out = []
    for n, size in enumerate(sizes):
        path = tmp_path / "files" / f"phan-{n}-{size}.pdf"
        path.parent.mkdir(exist_ok=True)
        with open(path, "wb") as fh:
            left = size
            while left:
                block = os.urandom(min(left, 4 * MB))
                fh.write(block)
                left -= len(block)
        out.append(path)
    return out


def _queue(tmp_path: Path, files: list[Path], dossier: str = "000.00.17.H29-261127-0001") -> Outbox:
    box = Outbox(tmp_path / "outbox.sqlite")
    for n, f in enumerate(files):
        box.enqueue(f, dossier=dossier, component=f"Thành phần {n + 1}", signer="Nguyễn Thị Hồng Nhung")
    return box


def _target(portal: DevPortal, **kwargs) -> PortalTarget:
    return PortalTarget(PortalConfig(url=portal.url, client_id="quay-01", client_secret="bi-mat", **kwargs))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _exactly_once(portal: DevPortal, files: list[Path]) -> None:
    journal = portal.journal()
    assert not [e for e in journal if e["duplicate"]], "an attach call was repeated"
    assert sorted(e["sha256"] for e in journal) == sorted(_sha(f) for f in files)
    for e in journal:
        stored = portal.root / "dossiers" / e["dossier"] / e["component"]
        (copy,) = stored.iterdir()
        assert _sha(copy) == e["sha256"]


def test_a_batch_from_1_kb_to_200_mb_arrives_whole(portal, tmp_path):
    p = portal()
    files = _files(tmp_path, [1024, 3 * MB, 200 * MB])
    box = _queue(tmp_path, files)
    target = _target(p, chunk_size=16 * MB)
    try:
        summary = run_item_upload(box, target, parallel=2)
    finally:
        target.close()
    assert sorted(summary.delivered) == [1, 2, 3] and not summary.failed and not summary.retrying
    _exactly_once(p, files)
    items = box.items()
    assert {i.state for i in items} == {"confirmed"}
    assert all(i.receipt["receipt_id"].startswith("BN-") and i.receipt["sha256"] == i.sha256 for i in items)
    box.close()


@pytest.mark.parametrize("fault", ["drop", "error-500", "busy-503", "expire-token", "slow"])
def test_each_fault_ends_with_every_item_delivered_exactly_once(portal, tmp_path, fault):
    p = portal(faults=[fault])
    files = _files(tmp_path, [1024, 2 * MB, 9 * MB])
    box = _queue(tmp_path, files)
    target = _target(p, chunk_size=4 * MB)
    try:
        summary = run_item_upload(box, target, parallel=2, max_time_s=120)
    finally:
        target.close()
    assert not summary.failed and not summary.retrying, summary.as_dict()
    assert {i.state for i in box.items()} == {"confirmed"}
    _exactly_once(p, files)
    if fault == "drop":
        assert "cut after part of a request" in (p.root.parent / f"devportal-{p.port}.log").read_text()
    box.close()


def test_a_file_attached_before_a_crash_is_not_sent_again(portal, tmp_path):
    p = portal()
    files = _files(tmp_path, [50_000])
    box = _queue(tmp_path, files)
    target = _target(p)
    run_item_upload(box, target)
    # as if the workstation died after the portal attached the file, before the receipt was kept
    with sqlite3.connect(box.path) as db:
        db.execute("UPDATE items SET state='uploaded', receipt=NULL")
    summary = run_item_upload(box, target)
    target.close()
    assert summary.recovered == [1] and summary.delivered == []
    assert box.get(1).state == "confirmed" and box.get(1).receipt["receipt_id"]
    _exactly_once(p, files)


def test_permanent_rejection_is_marked_failed_with_the_portals_message(portal, tmp_path):
    p = portal()
    ok, closed = _files(tmp_path, [10_000, 20_000])
    box = Outbox(tmp_path / "outbox.sqlite")
    box.enqueue(ok, dossier="HS-MO", component="Đơn")
    box.enqueue(closed, dossier="TUCHOI-0001", component="Đơn")
    target = _target(p)
    summary = run_item_upload(box, target)
    target.close()
    assert summary.delivered == [1] and list(summary.failed) == [2]
    failed = box.get(2)
    assert failed.state == "failed-permanent" and "đã kết thúc" in failed.last_error
    assert [e["dossier"] for e in p.journal()] == ["HS-MO"]


def test_size_limit_is_checked_before_sending(portal, tmp_path):
    p = portal()
    (big,) = _files(tmp_path, [3 * MB])
    box = _queue(tmp_path, [big])
    target = _target(p, max_file_bytes=2 * MB)
    summary = run_item_upload(box, target)
    target.close()
    assert list(summary.failed) == [1] and "2 MB" in summary.failed[1]
    assert not list((p.root / "uploads").glob("*")) or all(
        f.stat().st_size == 0 for f in (p.root / "uploads").iterdir() if f.is_file()
    )


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "portal.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_pem, key_pem = tmp_path / "portal.crt", tmp_path / "portal.key"
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_pem, key_pem


def test_self_signed_portal_is_refused_unless_its_ca_is_configured(portal, tmp_path):
    cert, key = _self_signed(tmp_path)
    p = portal(tls=(cert, key))
    files = _files(tmp_path, [30_000])
    box = _queue(tmp_path, files)
    target = _target(p)
    summary = run_item_upload(box, target)
    target.close()
    assert summary.stopped and "not trusted" in summary.stopped and not summary.delivered
    assert box.get(1).state == "queued" and p.journal() == []
    with pytest.raises(TlsRefused):
        target = _target(p)
        try:
            target.lookup(box.get(1))
        finally:
            target.close()
    trusted = _target(p, ca_bundle=str(cert))
    with sqlite3.connect(box.path) as db:
        db.execute("UPDATE items SET next_attempt_at=NULL")
    summary = run_item_upload(box, trusted)
    trusted.close()
    assert summary.delivered == [1]
    _exactly_once(p, files)


def _server_offset(p: DevPortal) -> int:
    infos = list((p.root / "uploads").glob("*.info"))
    if not infos:
        return 0
    return max(json.loads(i.read_text()).get("offset", 0) for i in infos)


def test_killed_client_resumes_from_the_servers_offset(portal, tmp_path, sohoa_home):
    """`sohoa upload --portal` is SIGKILLed mid-file; the next run sends only what the portal lacks."""
    p = portal()
    (big,) = _files(tmp_path, [60 * MB])
    run_sohoa("dossier", "new", "HS-RESUME")
    sohoa_home.mkdir(exist_ok=True)
    (sohoa_home / "settings.json").write_text(
        json.dumps({"upload_max_kbps": 12 * 1024, "upload_chunk_mb": 8})
    )
    env = {"SOHOA_PORTAL_CLIENT_ID": "quay-02", "SOHOA_PORTAL_CLIENT_SECRET": "khong-duoc-lo-ra"}
    _queue_via_workspace(sohoa_home, big)
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "upload", "--portal", p.url, "--json"],
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while _server_offset(p) < 12 * MB and time.monotonic() < deadline:
        time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    held, settled = -1, _server_offset(p)
    while held != settled:  # the portal keeps the part of the cut request it received
        held = settled
        time.sleep(0.5)
        settled = _server_offset(p)
    assert 12 * MB <= held < 60 * MB
    (sohoa_home / "settings.json").write_text(json.dumps({"upload_chunk_mb": 8}))
    data = run_json("upload", "--portal", p.url, env=env)
    assert data["ok"] and len(data["delivered"]) == 1
    # only what the portal lacked went up again, give or take the chunk that was cut
    assert 60 * MB - held <= data["bytes_sent"] <= 60 * MB - held + 8 * MB
    _exactly_once(p, [big])
    secret, leaked = env["SOHOA_PORTAL_CLIENT_SECRET"].encode(), []
    for f in [*sohoa_home.rglob("*.log"), *sohoa_home.rglob("*.sqlite*")]:
        if secret in f.read_bytes() or b"Bearer " in f.read_bytes():
            leaked.append(f.name)
    assert not leaked


def _queue_via_workspace(home: Path, path: Path) -> None:
    from app.workspace import Workspace
    from upload import Outbox

    with Workspace(home) as ws:
        box = Outbox(ws.outbox_path)
        box.enqueue(path, dossier="HS-RESUME", component="Bản vẽ", signer="Trần Quốc Bảo")
        box.close()


def test_wrong_credentials_stop_the_run_and_keep_everything(portal, tmp_path):
    p = portal(extra=["--client-id", "quay-01", "--client-secret-env", "DEVPORTAL_SECRET"])
    files = _files(tmp_path, [10_000])
    box = _queue(tmp_path, files)
    target = PortalTarget(PortalConfig(url=p.url, client_id="quay-01", client_secret="sai"))
    summary = run_item_upload(box, target)
    target.close()
    assert summary.stopped and "credentials" in summary.stopped
    assert box.get(1).state == "queued" and p.journal() == []
    assert "sai" not in repr(target.config)


def test_portal_answers_as_documented(portal):
    """docs/portal-api.md, checked against the reference portal: token, tus OPTIONS, errors as JSON."""
    p = portal()
    r = httpx.post(
        p.url + "oauth/token",
        data={"grant_type": "client_credentials", "client_id": "a", "client_secret": "b"},
    )
    token = r.json()
    assert r.status_code == 200 and token["token_type"] == "Bearer" and token["expires_in"] > 0
    auth = {"Authorization": f"Bearer {token['access_token']}", "Tus-Resumable": "1.0.0"}
    r = httpx.options(p.url + "files/", headers=auth)
    assert r.status_code in (200, 204) and "creation" in r.headers["Tus-Extension"]
    r = httpx.get(p.url + "api/v1/attachments/khong-co", headers=auth)
    assert r.status_code == 404 and set(r.json()) == {"error", "message"}
    r = httpx.get(p.url + "api/v1/attachments/khong-co")
    assert r.status_code == 401 and r.json()["error"] == "invalid_token"


def test_bytes_that_do_not_match_are_sent_again(portal, tmp_path):
    """The portal's SHA-256 check fails once (bytes damaged on its side): the file goes up again."""
    p = portal()
    files = _files(tmp_path, [300_000])
    box = _queue(tmp_path, files)

    class Damaging(PortalTarget):
        damaged = False

        def _attach(self, item, url, record_url):
            if not self.damaged:
                self.damaged = True
                upload = p.root / "uploads" / url.rstrip("/").rsplit("/", 1)[-1]
                data = bytearray(upload.read_bytes())
                data[1000] ^= 0xFF
                upload.write_bytes(bytes(data))
            return super()._attach(item, url, record_url)

    target = Damaging(PortalConfig(url=p.url, client_id="quay-01", client_secret="bi-mat"))
    summary = run_item_upload(box, target, max_time_s=60)
    target.close()
    assert summary.delivered == [1] and target.damaged
    _exactly_once(p, files)


def test_cli_says_how_to_give_credentials(tmp_path, sohoa_home):
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "SOHOA_LANG": "en"}
    proc = run_sohoa("upload", "--portal", "https://portal.test/", env=env, check=False)
    assert proc.returncode == 6 and "sohoa portal set-credentials" in proc.stderr
    proc = run_sohoa(
        "portal",
        "set-credentials",
        "--client-id",
        "quay-01",
        "--secret-stdin",
        stdin="bi-mat\n",
        env=env,
        check=False,
    )
    assert proc.returncode == 6 and "keyring cannot be used" in proc.stderr and "bi-mat" not in proc.stderr


def test_pause_holds_the_next_chunk_and_resume_finishes(portal, tmp_path):
    import threading

    p = portal()
    files = _files(tmp_path, [24 * MB])
    box = _queue(tmp_path, files)
    target = _target(p, chunk_size=2 * MB, max_bytes_per_s=16 * MB)
    pause, seen, paused_once = threading.Event(), [], threading.Event()

    def on_status(status):
        seen.append(status)
        if status.bytes_done >= 4 * MB and not paused_once.is_set():
            paused_once.set()
            pause.set()

    result = {}
    worker = threading.Thread(
        target=lambda: result.setdefault(
            "summary", run_item_upload(box, target, pause=pause, on_status=on_status)
        )
    )
    worker.start()
    deadline = time.monotonic() + 20
    while not pause.is_set() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.6)  # the chunk on the wire finishes
    held = _server_offset(p)
    time.sleep(1.0)
    assert _server_offset(p) == held < 24 * MB  # nothing moves while paused
    pause.clear()
    worker.join(60)
    target.close()
    assert result["summary"].delivered == [1]
    assert seen[-1].bytes_done == 24 * MB and seen[-1].items_done == 1
    _exactly_once(p, files)


def test_tls_cannot_be_left_out_for_a_remote_portal(sohoa_home, tmp_path):
    """http:// only to this machine; a remote portal without TLS is refused before anything is sent,
    whether it comes from the command line or the settings (a lookalike host does not pass)."""
    from app.config import Settings
    from upload.portal import PlainHttpRefused

    for url in ("http://10.0.0.5/sohoa/", "http://portal.example.vn/", "ftp://127.0.0.1/"):
        with pytest.raises(PlainHttpRefused):
            PortalConfig(url=url, client_id="quay-01")
    PortalConfig(url="http://127.0.0.1:8080/", client_id="quay-01")  # the local test portal
    with pytest.raises(ValueError, match="https"):
        Settings(portal_url="http://portal.example.vn/?localhost")
    proc = run_sohoa(
        "upload", "--portal", "http://10.0.0.5/sohoa/", "--json", check=False, env={"SOHOA_LANG": "vi"}
    )
    assert proc.returncode != 0 and "https" in proc.stdout + proc.stderr

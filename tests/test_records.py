"""Data records on real HTTP: the reference data service (`records.devdata`) as its own process, the
record signed at B-LTA on a SoftHSM2 token with certomancer's TSA and OCSP; the embedded files taken
out by poppler's `pdfdetach`, the signature checked by `sohoa verify` and poppler's `pdfsig`."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pikepdf
import pytest

from common.pdfa import check_pdfa
from tests import pki
from tests.conftest import run_json, run_sohoa

API_KEY = "ndxp-test-key-7Q"
CITIZEN = "001203012345"
EN = {"SOHOA_LANG": "en"}


@pytest.fixture(scope="module")
def data_service(tmp_path_factory):
    port = pki.free_port()
    log = tmp_path_factory.mktemp("devdata") / "devdata.log"
    proc = pki.Process(
        [sys.executable, "-m", "records.devdata", "--port", str(port), "--api-key", API_KEY], port, log
    ).start()
    yield f"http://127.0.0.1:{port}"
    proc.stop()


@pytest.fixture
def service(data_service):
    httpx.post(f"{data_service}/_control", json={"mode": "ok", "delay": 0}).raise_for_status()
    yield data_service
    httpx.post(f"{data_service}/_control", json={"mode": "ok", "delay": 0}).raise_for_status()


@pytest.fixture
def counter(sohoa_home, monkeypatch, official_token, test_pki, pki_services):
    """A dossier, the data service's key in the environment and the official's token flags."""
    monkeypatch.setenv("SOHOA_DATA_API_KEY", API_KEY)
    run_sohoa(
        "dossier", "new", "HS-DL-1", "--applicant-name", "Nguyễn Thị Hồng Nhung", "--applicant-id", CITIZEN
    )
    flags = ["--module", official_token.module, "--token", official_token.label, "--pin-env", "OFFICIAL_PIN"]
    flags += ["--tsa", test_pki.tsa_url, "--trust", str(test_pki.root_pem)]
    monkeypatch.setenv("OFFICIAL_PIN", official_token.pin)
    return flags


def _fetch(url, flags, *extra, service="population", code="HS-DL-1", check=True, env=None):
    path = "/dancu/v1/congdan" if service == "population" else "/datdai/v1/thuadat"
    args = ["record", "fetch", "--service", service, "--dossier", code, "--data-url", url + path, *flags]
    proc = run_sohoa(*args, *extra, "--json", check=check, env=env)
    return proc


def test_population_record_fetched_signed_and_queued_with_the_answer_byte_for_byte(
    counter, service, tmp_path, test_pki
):
    out = tmp_path / "phieu.pdf"
    proc = _fetch(service, counter, "-o", str(out))  # the query comes from the applicant's ID number
    result = json.loads(proc.stdout)
    assert result["subject"] == CITIZEN and result["queued"] and result["request_id"].startswith("NDXP-")
    sent = httpx.get(
        f"{service}/dancu/v1/congdan", params={"SoDinhDanh": CITIZEN}, headers={"X-Api-Key": API_KEY}
    ).content
    detach = tmp_path / "detached"
    detach.mkdir()
    subprocess.run(["pdfdetach", "-saveall", "-o", str(detach), str(out)], check=True)
    assert (detach / "answer.json").read_bytes() == sent  # exactly what the service sent
    facts = json.loads((detach / "request.json").read_text(encoding="utf-8"))
    assert facts["query"] == {"SoDinhDanh": CITIZEN} and facts["dossier"] == "HS-DL-1"
    assert facts["request_id"] == result["request_id"] and facts["http_status"] == 200
    # readable, searchable, the hash on the page; PDF/A-3 with associated files
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "PHIẾU KẾT QUẢ KHAI THÁC DỮ LIỆU" in text and "Nguyễn Thị Hồng Nhung" in text
    assert "Nơi thường trú: số nhà, đường" in text and result["answer_sha256"] in text.replace("\n", "")
    with pikepdf.open(out) as pdf:
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("3", "B")
        rel = {n: str(s.obj.AFRelationship) for n, s in pdf.attachments.items()}
        assert rel == {"answer.json": "/Source", "request.json": "/Supplement"}
        assert {str(s.obj.EF.F.Subtype) for s in pdf.attachments.values()} == {"/application/json"}
        assert len(pdf.Root.AF) == 2
    assert check_pdfa(out) == []
    # signed at B-LTA by the official and valid for SoHoa and for poppler
    report = run_json("verify", str(out), "--trust", str(test_pki.root_pem))
    assert report["ok"] and any(s["kind"] == "document timestamp" for s in report["signatures"])
    pdfsig = subprocess.run(["pdfsig", str(out)], capture_output=True, text=True)
    assert pdfsig.returncode == 0 and "Signature is Valid" in pdfsig.stdout, pdfsig.stdout
    checked = run_json("record", "verify", str(out), "--trust", str(test_pki.root_pem))
    assert checked["ok"] and checked["answer"]["matches"] and checked["signature_ok"]
    assert {"path": "DuLieu.HoVaTen", "label": "Họ và tên", "value": "Nguyễn Thị Hồng Nhung"} in checked[
        "fields"
    ]
    shown = run_json("dossier", "show", "HS-DL-1")
    (part,) = shown["components"]
    assert part["status"] == "queued" and part["name"].startswith("Phiếu kết quả khai thác dữ liệu")
    assert part["kind"] == "record" and part["record"]["sha256"] == result["answer_sha256"]
    assert part["record"]["subject"] == CITIZEN and "record_pdf" in part["artifacts"]


def test_every_lookup_is_in_the_audit_trail_and_nothing_of_the_answer_in_the_log(
    counter, service, sohoa_home
):
    from app.workspace import Workspace

    _fetch(service, counter)
    httpx.post(f"{service}/_control", json={"mode": "refuse"}).raise_for_status()
    proc = _fetch(service, counter, check=False, env=EN)
    assert proc.returncode == 9 and "refused" in proc.stderr
    with Workspace(sohoa_home) as ws:
        lookups = [e for e in ws.events(50) if e["action"] == "data.lookup"]
    outcomes = [
        json.loads(e["detail"])["outcome"] if isinstance(e["detail"], str) else e["detail"]["outcome"]
        for e in lookups
    ]
    assert sorted(outcomes) == ["ServiceRefused", "answered"]
    logs = "".join(p.read_text(errors="replace") for p in sohoa_home.rglob("*.log"))
    assert "Lê Lợi" not in logs and "Trần Minh Khôi" not in logs  # from the answer only


@pytest.mark.parametrize(
    ("mode", "words"),
    [
        ("malformed", "not well-formed JSON"),
        ("latin1", "not UTF-8"),
        ("html", "web page instead of data"),
        ("huge", "larger than"),
        ("error", "HTTP 500"),
        ("cut", "cannot be reached"),
    ],
)
def test_bad_answers_make_no_record_and_leave_the_dossier_intact(counter, service, mode, words):
    httpx.post(f"{service}/_control", json={"mode": mode}).raise_for_status()
    proc = _fetch(service, counter, check=False, env=EN)
    assert proc.returncode == 9, proc.stderr
    assert words in proc.stderr and "No record was made" in proc.stderr
    assert run_json("dossier", "show", "HS-DL-1")["components"] == []


def test_a_slow_service_times_out(counter, service, sohoa_home):
    (sohoa_home / "settings.json").write_text(json.dumps({"data_timeout_s": 1}))
    httpx.post(f"{service}/_control", json={"delay": 3}).raise_for_status()
    proc = _fetch(service, counter, check=False, env=EN)
    assert proc.returncode == 9 and "did not answer within 1 seconds" in proc.stderr


def test_land_record_in_xml_and_diff_of_two_records_of_one_parcel(counter, service, tmp_path):
    parcel = ["--query", "MaXa=26734", "--query", "SoToBanDo=12", "--query", "SoThuTuThua=345"]
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    _fetch(service, counter, *parcel, "-o", str(first), service="land")
    httpx.post(f"{service}/_control/advance", json={"subject": "26734/12/345"}).raise_for_status()
    _fetch(service, counter, *parcel, "-o", str(second), service="land")
    changes = run_json("record", "diff", str(second), str(first))  # order of the files does not matter
    assert changes["subject"] == "26734/12/345" and changes["older"]["file"] == str(first)
    by_path = {c["path"]: c for c in changes["changes"]}
    assert by_path["ThuaDat.DienTich"] == {
        "path": "ThuaDat.DienTich", "kind": "changed", "old": "86.5", "new": "84.0", "label": "Diện tích (m²)"
    }  # fmt: skip
    assert by_path["ThuaDat.ChuSuDung[2].HoVaTen"]["kind"] == "added"
    assert by_path["ThuaDat.ChuSuDung[2].HoVaTen"]["new"] == "Nguyễn Thị Hồng Nhung"
    assert len(changes["changes"]) == 3


def test_population_diff_nested_added_removed_changed(counter, service, tmp_path):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    _fetch(service, counter, "-o", str(first))
    httpx.post(f"{service}/_control/advance", json={"subject": CITIZEN}).raise_for_status()
    _fetch(service, counter, "-o", str(second))
    kinds = {c["path"]: c["kind"] for c in run_json("record", "diff", str(first), str(second))["changes"]}
    assert kinds["DuLieu.NoiThuongTru.PhuongXa"] == "changed"
    assert kinds["DuLieu.ThanhVienHo[3].HoVaTen"] == "added"
    assert kinds["DuLieu.TinhTrangHonNhan"] == "removed"
    other = tmp_path / "land.pdf"
    parcel = ["--query", "MaXa=26734", "--query", "SoToBanDo=12", "--query", "SoThuTuThua=345"]
    _fetch(service, counter, *parcel, "-o", str(other), service="land")
    proc = run_sohoa("record", "diff", str(first), str(other), check=False, env=EN)
    assert proc.returncode == 2 and "not about the same subject" in proc.stderr


def test_an_altered_answer_is_refused(counter, service, tmp_path, test_pki):
    out = tmp_path / "phieu.pdf"
    _fetch(service, counter, "-o", str(out))
    forged = tmp_path / "forged.pdf"
    with pikepdf.open(out) as pdf:
        spec = pdf.attachments["answer.json"]
        raw = (
            spec.get_file()
            .read_bytes()
            .replace("Nguyễn Thị Hồng Nhung".encode(), "Nguyễn Thị Hồng Nhụng".encode())
        )
        spec.obj.EF.F.write(raw)
        for field in pdf.Root.AcroForm.Fields:  # re-saved without the signature
            if "/V" in field:
                del field["/V"]
        pdf.save(forged)
    proc = run_sohoa(
        "record", "verify", str(forged), "--trust", str(test_pki.root_pem), "--json", check=False
    )
    result = json.loads(proc.stdout)
    assert proc.returncode == 1 and not result["ok"]
    assert not result["answer"]["matches"] and not result["signature_ok"]


def test_a_saved_answer_is_added_and_a_bad_file_makes_nothing(counter, service, tmp_path, test_pki):
    saved = tmp_path / "tra-cuu.json"
    saved.write_bytes(
        httpx.get(
            f"{service}/dancu/v1/congdan", params={"SoDinhDanh": CITIZEN}, headers={"X-Api-Key": API_KEY}
        ).content
    )
    out = tmp_path / "phieu.pdf"
    args = ["record", "add", str(saved), "--service", "population", "--dossier", "HS-DL-1", "-o", str(out)]
    result = json.loads(run_sohoa(*args, *counter, "--json").stdout)
    assert result["subject"] == CITIZEN
    checked = run_json("record", "verify", str(out), "--trust", str(test_pki.root_pem))
    assert checked["ok"] and checked["request"]["source"] == "saved"
    bad = tmp_path / "loi.json"
    bad.write_bytes(b"<html><body>Phien lam viec het han</body></html>")
    args[2] = str(bad)
    proc = run_sohoa(*args, *counter, check=False, env=EN)
    assert proc.returncode == 9 and "web page" in proc.stderr
    assert len(run_json("dossier", "show", "HS-DL-1")["components"]) == 1


def test_wrong_pin_keeps_the_unsigned_record_for_a_later_signature(
    counter, service, monkeypatch, official_token
):
    monkeypatch.setenv("OFFICIAL_PIN", "000000")
    proc = _fetch(service, counter, check=False, env=EN)
    assert proc.returncode == 5 and "record was kept" in proc.stderr
    (part,) = run_json("dossier", "show", "HS-DL-1")["components"]
    assert part["status"] == "processed"
    monkeypatch.setenv("OFFICIAL_PIN", official_token.pin)
    signed = run_json("dossier", "sign", "HS-DL-1", "--role", "record", "--level", "B-LTA", *counter)
    assert len(signed["signed"]) == 1 and signed["signed"][0]["verify"]["ok"]


def test_a_record_signed_remotely_by_the_official(counter, service, tmp_path, test_pki, official_token):
    from tests import remote

    proc, url = remote.ref_service(test_pki, "smartca")
    try:
        out = tmp_path / "phieu.pdf"
        flags = ["--remote", "vnpt-smartca", "--service-url", url, "--user-id", official_token.citizen_id]
        flags += ["--tsa", test_pki.tsa_url, "--trust", str(test_pki.root_pem)]
        result = json.loads(_fetch(service, flags, "-o", str(out), env=remote.SP_ENV).stdout)
        assert result["queued"]
        checked = run_json("record", "verify", str(out), "--trust", str(test_pki.root_pem))
        assert checked["ok"] and checked["verify"]["signatures"][0]["signer"] == official_token.holder
    finally:
        proc.stop()


def test_a_record_follows_the_retention_setting_once_delivered(counter, service, sohoa_home, tmp_path):
    import sqlite3
    from datetime import UTC, datetime, timedelta

    from app.workspace import ArtifactKind, Workspace

    _fetch(service, counter)
    sent = run_json("upload", "--folder", str(tmp_path / "delivered"))
    assert sent["ok"]
    with Workspace(sohoa_home) as ws:
        (part,) = ws.components("HS-DL-1")
        blobs = [
            ws.latest_artifact(part.id, k).blob for k in (ArtifactKind.RECORD_PDF, ArtifactKind.SIGNED_PDF)
        ]
        outbox = ws.outbox_path
    long_ago = (datetime.now(UTC) - timedelta(days=31)).isoformat()
    with sqlite3.connect(outbox) as db:
        db.execute("UPDATE items SET confirmed_at = ?", [long_ago])
    run_json("outbox", "purge")
    with Workspace(sohoa_home) as ws:
        assert ws.components("HS-DL-1")[0].status == "purged"
        assert not any(ws.blobs.exists(b) for b in blobs)
        assert [e for e in ws.events(50) if e["action"] == "data.lookup"]  # the trail stays


def test_a_data_service_is_reached_over_https_only(counter):
    proc = run_sohoa(
        "record", "fetch", "--service", "population", "--dossier", "HS-DL-1", "--data-url",
        "http://10.0.0.5/dancu/v1/congdan", *counter, check=False, env=EN,
    )  # fmt: skip
    assert proc.returncode == 2 and "is not https" in proc.stderr
    assert run_json("dossier", "show", "HS-DL-1")["components"] == []


def test_without_the_api_key_the_service_refuses_and_the_key_is_never_echoed(counter, service, monkeypatch):
    monkeypatch.delenv("SOHOA_DATA_API_KEY")
    env = {**EN, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}  # a keyring without the key
    proc = _fetch(service, counter, check=False, env=env)
    assert proc.returncode == 9 and "HTTP 401" in proc.stderr and "API key missing" in proc.stderr
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # no keyring at all
    proc = _fetch(service, counter, check=False, env=env)
    assert proc.returncode == 6 and "Use SOHOA_DATA_API_KEY for this run" in proc.stderr
    args = ["record", "set-credentials", "--service", "population", "--secret-stdin"]
    proc = run_sohoa(*args, stdin=API_KEY + "\n", env=env, check=False)
    assert proc.returncode == 6 and "keyring cannot be used" in proc.stderr
    assert API_KEY not in proc.stdout + proc.stderr

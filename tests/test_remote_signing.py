"""Remote signing on real protocol traffic: certomancer-csc-dummy (an independent CSC server) at
SCAL1 and SCAL2, and the reference 769 services (SmartCA and national gateway shapes) whose keys are
on SoftHSM2 tokens. Every signed file is checked with `sohoa verify` and poppler's `pdfsig`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests import remote
from tests.conftest import run_json, run_sohoa

CITIZEN = "001190012345"  # r_citizen and r_citizen_2 at the CSC service
CSC_PIN, CSC_OTP = "482916", "735201"  # what the explicit CSC service asks for


@pytest.fixture(scope="module")
def csc(test_pki, pki_services):
    """SCAL2 with a batch limit of 20, SCAL2 with 10, and SCAL1."""
    started = {
        "scal2": remote.csc_dummy(test_pki, scal=2, multisign=20),
        "small": remote.csc_dummy(test_pki, scal=2, multisign=10),
        "scal1": remote.csc_dummy(test_pki, scal=1, multisign=20),
        "explicit": remote.csc_dummy(test_pki, scal=2, multisign=20, pin=CSC_PIN, otp=CSC_OTP),
    }
    yield {k: url for k, (_, url) in started.items()}
    for proc, _ in started.values():
        proc.stop()


@pytest.fixture(scope="module")
def refs(test_pki, pki_services):
    started = {shape: remote.ref_service(test_pki, shape) for shape in ("smartca", "neac")}
    yield {k: url for k, (_, url) in started.items()}
    for proc, _ in started.values():
        proc.stop()


def _inputs(scan_pdf: Path, folder: Path, n: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"giay-{i:02d}.pdf"
        shutil.copy(scan_pdf, p)
        out.append(str(p))
    return out


def _checked(path: Path, root: Path, signers: int = 1) -> dict:
    report = run_json("verify", str(path), "--trust", str(root))
    assert report["ok"], report
    pdfsig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
    assert pdfsig.returncode == 0, pdfsig.stderr
    assert pdfsig.stdout.count("Signature is Valid") >= signers, pdfsig.stdout
    return report


def _remote_sign(files, out_dir, provider, url, user, *extra, env=None, check=True):
    return run_sohoa(
        "sign",
        *files,
        "--out-dir",
        str(out_dir),
        "--remote",
        provider,
        "--user-id",
        user,
        "--service-url",
        url,
        "--json",
        *extra,
        env={**remote.SP_ENV, **(env or {})},
        check=check,
    )


def _signs_nothing(tmp_path, scan_pdf, n: int, how: tuple, code: int, words: str) -> None:
    """`sohoa sign --remote` ends with exit `code`, says `words` and writes no file."""
    files = _inputs(scan_pdf, tmp_path / "in", n)
    proc = _remote_sign(files, tmp_path / "out", *how, env={"SOHOA_LANG": "en"}, check=False)
    assert proc.returncode == code, proc.stderr
    assert words in proc.stderr
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_csc_lists_only_the_signers_own_signing_certificates(sohoa_home, csc):
    listed = run_json("tokens", "--remote", "csc", "--user-id", CITIZEN, "--service-url", csc["scal2"])
    creds = {c["credential"]: c for c in listed["certificates"]}
    assert set(creds) == {"sohoa-test/r_citizen", "sohoa-test/r_citizen_2"}  # no CA, TSA, OCSP, no one else
    assert all(c["holder"] == "Hoàng Thị Mai" and c["citizen_id"] == CITIZEN for c in creds.values())
    assert all(c["max_batch"] == 20 and c["hash_pinning"] for c in creds.values())


def test_csc_twenty_files_in_one_approval_scal2_at_b_lta(sohoa_home, tmp_path, csc, test_pki, scan_pdf):
    files = _inputs(scan_pdf, tmp_path / "in", 20)
    proc = _remote_sign(
        files,
        tmp_path / "out",
        "csc",
        csc["scal2"],
        CITIZEN,
        "--credential",
        "sohoa-test/r_citizen",
        "--level",
        "B-LTA",
        "--tsa",
        test_pki.tsa_url,
        "--trust",
        str(test_pki.root_pem),
    )
    result = json.loads(proc.stdout)
    assert result["approvals"] == 1 and len(result["signed"]) == 20
    for item in result["signed"][::19]:
        report = _checked(Path(item["output"]), test_pki.root_pem, signers=1)
        assert report["signatures"][0]["signer"] == "Hoàng Thị Mai"
        assert any(s["kind"] == "document timestamp" for s in report["signatures"])


def test_csc_above_the_batch_limit_asks_the_fewest_approvals(sohoa_home, tmp_path, csc, test_pki, scan_pdf):
    files = _inputs(scan_pdf, tmp_path / "in", 21)
    proc = _remote_sign(
        files, tmp_path / "out", "csc", csc["small"], CITIZEN, "--credential", "sohoa-test/r_citizen"
    )
    result = json.loads(proc.stdout)
    assert result["approvals"] == 3 and len(result["signed"]) == 21  # 10 + 10 + 1
    _checked(Path(result["signed"][-1]["output"]), test_pki.root_pem)


def test_csc_explicit_authorization_takes_the_pin_and_the_code_sent_to_the_phone(
    sohoa_home, tmp_path, csc, test_pki, scan_pdf
):
    url = csc["explicit"]
    listed = run_json("tokens", "--remote", "csc", "--user-id", CITIZEN, "--service-url", url)
    assert all(c["asks_pin"] and c["asks_otp"] == "online" for c in listed["certificates"])
    sent = lambda: httpx.get(url.replace("/csc/v1", "/_test/otp")).json()["sent"]  # noqa: E731
    how = ("csc", url, CITIZEN, "--credential", "sohoa-test/r_citizen")
    files = _inputs(scan_pdf, tmp_path / "in", 2)
    cases = [
        ((), None, "needs the PIN of the signer's certificate"),
        (("--pin-stdin", "--otp-stdin"), "000000\n735201\n", "did not accept the PIN"),
        (("--pin-stdin", "--otp-stdin"), f"{CSC_PIN}\n111111\n", "did not accept the one-time code"),
    ]
    for flags, stdin, words in cases:
        proc = run_sohoa(
            "sign", *files, "--out-dir", str(tmp_path / "out"), "--remote", how[0], "--service-url", url,
            "--user-id", CITIZEN, *how[3:], *flags, stdin=stdin, env={**remote.SP_ENV, "SOHOA_LANG": "en"},
            check=False,
        )  # fmt: skip
        assert proc.returncode == 5 and words in proc.stderr, proc.stderr
        assert not list((tmp_path / "out").glob("*.pdf"))
    assert sent() == 2  # no code sent while the PIN was missing
    proc = run_sohoa(
        "sign", *files, "--out-dir", str(tmp_path / "out"), "--remote", how[0], "--service-url", url,
        "--user-id", CITIZEN, *how[3:], "--pin-stdin", "--otp-stdin", "--json",
        stdin=f"{CSC_PIN}\n{CSC_OTP}\n", env=remote.SP_ENV,
    )  # fmt: skip
    assert sent() == 3
    assert CSC_PIN not in proc.stdout + proc.stderr and CSC_OTP not in proc.stdout + proc.stderr
    result = json.loads(proc.stdout)
    assert len(result["signed"]) == 2
    _checked(Path(result["signed"][0]["output"]), test_pki.root_pem)


def test_csc_scal1_with_a_signature_timestamp(sohoa_home, tmp_path, csc, test_pki, scan_pdf):
    files = _inputs(scan_pdf, tmp_path / "in", 2)
    proc = _remote_sign(
        files,
        tmp_path / "out",
        "csc",
        csc["scal1"],
        CITIZEN,
        "--credential",
        "sohoa-test/r_citizen_2",
        "--level",
        "B-T",
        "--tsa",
        test_pki.tsa_url,
    )
    result = json.loads(proc.stdout)
    report = _checked(Path(result["signed"][0]["output"]), test_pki.root_pem)
    assert report["signatures"][0]["timestamp"]


def test_csc_several_certificates_need_a_choice(sohoa_home, tmp_path, csc, scan_pdf):
    proc = _remote_sign(
        _inputs(scan_pdf, tmp_path / "in", 1), tmp_path / "out", "csc", csc["scal2"], CITIZEN, check=False
    )
    assert proc.returncode == 2 and "--credential" in proc.stderr
    assert not list((tmp_path / "out").glob("*.pdf"))


@pytest.mark.parametrize(
    ("user", "level", "code", "words"),
    [
        ("009999999999", "B-B", 5, "no valid signing certificate"),
        ("001085011111", "B-B", 5, "not valid now"),
        ("001092022222", "B-LT", 5, "revoked"),
    ],
    ids=["wrong-user-id", "expired", "revoked"],
)
def test_csc_refuses_before_asking_the_signer(
    sohoa_home, tmp_path, csc, test_pki, scan_pdf, user, level, code, words
):
    extra = ["--level", level] + (
        ["--tsa", test_pki.tsa_url, "--trust", str(test_pki.root_pem)] if level != "B-B" else []
    )
    _signs_nothing(tmp_path, scan_pdf, 1, ("csc", csc["scal2"], user, *extra), code, words)


def test_smartca_approval_after_a_delay_one_request_for_the_batch(
    sohoa_home, tmp_path, refs, test_pki, scan_pdf, token
):
    url = refs["smartca"]
    remote.control(url, delay=3)
    before = len(remote.requests_asked(url))
    files = _inputs(scan_pdf, tmp_path / "in", 3)
    proc = _remote_sign(files, tmp_path / "out", "vnpt-smartca", url, token.citizen_id)
    result = json.loads(proc.stdout)
    assert result["approvals"] == 1 and len(remote.requests_asked(url)) == before + 1
    report = _checked(Path(result["signed"][2]["output"]), test_pki.root_pem)
    assert report["signatures"][0]["citizen_id"] == token.citizen_id


def test_neac_gateway_ec_key_and_its_batch_limit(sohoa_home, tmp_path, refs, test_pki, scan_pdf, ec_token):
    url = refs["neac"]
    remote.control(url)
    before = len(remote.requests_asked(url))
    files = _inputs(scan_pdf, tmp_path / "in", 21)  # the catalogue's limit for the gateway is 20
    proc = _remote_sign(files, tmp_path / "out", "neac", url, ec_token.citizen_id)
    result = json.loads(proc.stdout)
    assert result["approvals"] == 2 and len(remote.requests_asked(url)) == before + 2
    _checked(Path(result["signed"][20]["output"]), test_pki.root_pem)


@pytest.mark.parametrize(
    ("controls", "code", "words"),
    [
        ({"mode": "refuse", "delay": 1}, 10, "refused the request on their phone"),
        ({"mode": "manual", "expires_in": 3}, 11, "expired"),
        ({"mode": "fail", "delay": 1}, 12, "SIGN_FAILED"),
        ({"wrong_bytes": True}, 12, "does not match"),
    ],
    ids=["refused", "expired", "failed", "signature-for-other-bytes"],
)
def test_smartca_endings_that_sign_nothing(
    sohoa_home, tmp_path, refs, scan_pdf, token, controls, code, words
):
    url = refs["smartca"]
    remote.control(url, **controls)
    _signs_nothing(tmp_path, scan_pdf, 2, ("vnpt-smartca", url, token.citizen_id), code, words)


def test_smartca_polling_survives_5xx_and_a_cut_connection(
    sohoa_home, tmp_path, refs, test_pki, scan_pdf, token
):
    url = refs["smartca"]
    remote.control(url, delay=2, errors=2, cut=2)
    proc = _remote_sign(
        _inputs(scan_pdf, tmp_path / "in", 2), tmp_path / "out", "vnpt-smartca", url, token.citizen_id
    )
    result = json.loads(proc.stdout)
    _checked(Path(result["signed"][1]["output"]), test_pki.root_pem)


def test_service_account_is_needed_and_never_kept(sohoa_home, tmp_path, refs, scan_pdf, token):
    url = refs["smartca"]
    remote.control(url)
    env = {"SOHOA_REMOTE_ACCOUNT": remote.SP["sp_id"], "SOHOA_REMOTE_SECRET": "wrong", "SOHOA_LANG": "en"}
    proc = _remote_sign(
        _inputs(scan_pdf, tmp_path / "in", 1),
        tmp_path / "out",
        "vnpt-smartca",
        url,
        token.citizen_id,
        env=env,
        check=False,
    )
    assert proc.returncode != 0 and "SP_CREDENTIAL_INVALID" in proc.stderr
    proc = _remote_sign(
        _inputs(scan_pdf, tmp_path / "in", 1), tmp_path / "out", "vnpt-smartca", url, token.citizen_id
    )
    written = b"".join(p.read_bytes() for p in sohoa_home.rglob("*") if p.is_file())
    assert remote.SP["sp_password"].encode() not in written
    assert remote.SP["sp_password"] not in proc.stdout + proc.stderr


def test_plain_http_to_another_machine_is_refused(sohoa_home, tmp_path, scan_pdf):
    proc = _remote_sign(
        _inputs(scan_pdf, tmp_path / "in", 1),
        tmp_path / "out",
        "csc",
        "http://192.0.2.7/csc/v1",
        CITIZEN,
        env={"SOHOA_LANG": "en"},
        check=False,
    )
    assert proc.returncode == 2 and "not https" in proc.stderr


def test_dossier_signed_remotely_survives_the_app_killed_while_waiting(
    sohoa_home, tmp_path, refs, test_pki, scan_pdf, token
):
    url = refs["smartca"]
    remote.control(url, mode="manual")
    remote.processed_dossier("HS-REMOTE-1", scan_pdf, 3)
    asked = remote.killed_while_waiting(url, "HS-REMOTE-1", token.citizen_id)
    assert asked["state"] == "pending" and len(asked["docs"]) == 3  # one approval for the dossier

    pending = run_json("remote", "pending", env=remote.SP_ENV)["pending"]
    assert len(pending) == 1 and pending[0]["dossier"] == "HS-REMOTE-1" and pending[0]["approvals"] == 1
    httpx.post(f"{url}/_control/approve", json={"id": asked["id"]}).raise_for_status()
    resumed = run_json(
        "remote", "resume", "--service-url", url, "--trust", str(test_pki.root_pem), env=remote.SP_ENV
    )["requests"]
    assert resumed[0]["state"] == "done" and len(resumed[0]["signed"]) == 3, resumed
    assert run_json("remote", "pending", env=remote.SP_ENV)["pending"] == []
    shown = run_json("dossier", "show", "HS-REMOTE-1")
    statuses = {c["name"]: c["status"] for c in shown["components"]}
    assert set(statuses.values()) == {"queued"}, statuses
    signed = shown["components"][0]["artifacts"]["signed_pdf"]
    _checked(Path(signed["path"]), test_pki.root_pem)


def test_a_refused_request_found_after_a_restart_ends_cleanly(sohoa_home, tmp_path, refs, scan_pdf, token):
    url = refs["smartca"]
    remote.control(url, mode="manual")
    remote.processed_dossier("HS-REMOTE-2", scan_pdf, 1)
    asked = remote.killed_while_waiting(url, "HS-REMOTE-2", token.citizen_id)
    httpx.post(f"{url}/_control/refuse", json={"id": asked["id"]}).raise_for_status()
    resumed = run_json("remote", "resume", "--service-url", url, env={**remote.SP_ENV, "SOHOA_LANG": "en"})[
        "requests"
    ]
    assert resumed[0]["state"] == "rejected" and "refused" in resumed[0]["message"]
    shown = run_json("dossier", "show", "HS-REMOTE-2")
    assert shown["components"][0]["status"] == "processed"
    assert (
        not list((sohoa_home / "work" / "remote").rglob("*.pdf")) if (sohoa_home / "work").exists() else True
    )


def test_an_official_certifies_a_citizens_remote_signature_remotely(
    sohoa_home, tmp_path, csc, test_pki, scan_pdf
):
    files = _inputs(scan_pdf, tmp_path / "in", 1)
    _remote_sign(
        files, tmp_path / "citizen", "csc", csc["scal2"], CITIZEN, "--credential", "sohoa-test/r_citizen"
    )
    signed = str(tmp_path / "citizen" / Path(files[0]).name)
    proc = _remote_sign(
        [signed],
        tmp_path / "official",
        "csc",
        csc["scal2"],
        "001079033333",
        "--role",
        "official",
        "--agency",
        "UBND Phường Bến Thành",
    )
    result = json.loads(proc.stdout)
    assert result["role"] == "official" and result["signed"][0]["field"] == "SoHoaCertify"
    report = _checked(Path(result["signed"][0]["output"]), test_pki.root_pem, signers=2)
    assert [s["signer"] for s in report["signatures"]] == ["Hoàng Thị Mai", "Ngô Văn Tùng"]

"""PAdES levels against certomancer's TSA, OCSP and CRL services; revocation; the official's certification."""

from __future__ import annotations

import re
import subprocess

import pikepdf
import pytest
from asn1crypto import x509 as asn1_x509

from common.pdfa import check_pdfa
from signing import SignOptions, TokenSession, sign_pdfs, verify_pdf
from signing.errors import CertificateRevoked, TimestampUnavailable
from signing.verify import load_trust_roots
from tests.conftest import run_json, run_sohoa
from tests.pki import free_port


def _sign(tok, src, dst, roots, **options):
    with TokenSession(tok.module, token_label=tok.label) as s:
        s.login(tok.pin)
        return sign_pdfs(s, None, [(src, dst)], SignOptions(**options), trust_roots=roots)


def test_b_t_has_a_trusted_timestamp(token, pki_services, scan_pdf, tmp_path):
    roots = load_trust_roots([token.root_pem])
    out = tmp_path / "bt.pdf"
    _sign(token, scan_pdf, out, roots, level="B-T", tsa_url=pki_services.pki.tsa_url, stamp=False)
    (sig,) = verify_pdf(out, roots).signatures
    assert sig.ok and sig.timestamp and sig.timestamp_trusted, sig.problems
    assert sig.revocation == "not checked" and sig.revocation_source == "none"  # offline, nothing embedded


def test_b_lt_embeds_revocation_data_checked_offline(ec_token, pki_services, scan_pdf, tmp_path):
    roots = load_trust_roots([ec_token.root_pem])
    out = tmp_path / "blt.pdf"
    _sign(ec_token, scan_pdf, out, roots, level="B-LT", tsa_url=pki_services.pki.tsa_url)
    with pikepdf.open(out) as pdf:
        dss = pdf.Root.DSS
        assert len(dss.OCSPs) + len(dss.CRLs) >= 1 and len(dss.Certs) >= 2
    pki_services.stop()  # nothing is fetched while verifying: the services may be gone
    try:
        (sig,) = verify_pdf(out, roots).signatures
    finally:
        pki_services.start()
    assert sig.ok and sig.revocation == "good" and sig.revocation_source == "embedded", sig.problems
    assert sig.timestamp_trusted and sig.modification_level in ("NONE", "LTA_UPDATES")
    assert check_pdfa(out) == []


def test_b_lta_adds_a_document_timestamp(token, pki_services, scan_pdf, tmp_path):
    roots = load_trust_roots([token.root_pem])
    out = tmp_path / "blta.pdf"
    _sign(token, scan_pdf, out, roots, level="B-LTA", tsa_url=pki_services.pki.tsa_url)
    report = verify_pdf(out, roots)
    assert [s.kind for s in report.signatures] == ["signature", "document timestamp"]
    assert report.ok, [s.problems for s in report.signatures]
    assert report.signatures[0].revocation == "good"
    assert out.read_bytes().startswith(scan_pdf.read_bytes())  # incremental updates only


def test_revoked_certificate_cannot_sign_at_b_lt_and_is_reported_online(
    revoked_token, pki_services, scan_pdf, tmp_path
):
    roots = load_trust_roots([revoked_token.root_pem])
    refused = tmp_path / "refused.pdf"
    with pytest.raises(CertificateRevoked) as err:
        _sign(revoked_token, scan_pdf, refused, roots, level="B-LT", tsa_url=pki_services.pki.tsa_url)
    assert revoked_token.holder in str(err.value)
    assert not refused.exists() and not list(tmp_path.glob(".refused.pdf*"))

    plain = tmp_path / "bb.pdf"  # B-B does not look the certificate up: the verifier must
    _sign(revoked_token, scan_pdf, plain, roots)
    offline = run_sohoa("verify", str(plain), "--trust", str(revoked_token.root_pem), "--json", check=False)
    assert offline.returncode == 0
    online = run_sohoa("verify", str(plain), "--trust", str(revoked_token.root_pem), "--online", check=False)
    assert online.returncode == 1, online.stdout
    assert "thu hồi" in online.stdout  # "revoked", in Vietnamese by default
    data = run_json("verify", str(plain), "--trust", str(revoked_token.root_pem), "--online", check=False)
    (sig,) = data["signatures"]
    assert sig["revocation"] == "revoked" and sig["revoked_at"] and not sig["ok"]


def test_signature_by_an_expired_certificate_is_reported(expired_token, scan_pdf, tmp_path):
    """SoHoa refuses expired certificates (tested elsewhere); a file signed elsewhere with one is flagged."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.pkcs11 import PKCS11Signer

    out = tmp_path / "expired.pdf"
    with TokenSession(expired_token.module, token_label=expired_token.label) as s:
        s.login(expired_token.pin)
        signer = PKCS11Signer(
            s.session,
            signing_cert=asn1_x509.Certificate.load(expired_token.cert_der),
            key_label=None,
            key_id=_key_id(s),
            ca_chain=s.chain_certificates(expired_token.cert_der),
        )
        with open(scan_pdf, "rb") as inf, open(out, "w+b") as outf:
            signers.sign_pdf(
                IncrementalPdfFileWriter(inf),
                signers.PdfSignatureMetadata(field_name="X"),
                signer=signer,
                output=outf,
            )
    (sig,) = verify_pdf(out, load_trust_roots([expired_token.root_pem])).signatures
    assert sig.intact and sig.valid and not sig.ok
    assert "not valid at the signing time" in " ".join(sig.problems)


def _key_id(session: TokenSession) -> bytes:
    from pkcs11 import Attribute, ObjectClass

    (key,) = session.session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY})
    return bytes(key[Attribute.ID])


def test_timestamp_server_down_signs_nothing(token, scan_pdf, tmp_path):
    out = tmp_path / "never.pdf"
    with pytest.raises(TimestampUnavailable):
        _sign(token, scan_pdf, out, [], level="B-T", tsa_url=f"http://127.0.0.1:{free_port()}/tsa")
    assert not out.exists() and list(tmp_path.iterdir()) == []


def _annotation(pdf: pikepdf.Pdf, field: str):
    for page_no, page in enumerate(pdf.pages):
        for annot in page.obj.get("/Annots", []):
            if str(annot.get("/T", "")) == field:
                return page_no, page, annot
    raise AssertionError(f"no widget for {field}")


def test_official_certifies_the_copy_after_the_citizen(token, official_token, scan_pdf, tmp_path):
    roots = load_trust_roots([token.root_pem])
    citizen, certified = tmp_path / "citizen.pdf", tmp_path / "certified.pdf"
    _sign(token, scan_pdf, citizen, roots)
    _sign(official_token, citizen, certified, roots, role="official", agency="UBND Phường Bến Thành")
    report = verify_pdf(certified, roots)
    assert [s.signer for s in report.signatures] == [token.holder, official_token.holder]
    assert report.ok, [s.problems for s in report.signatures]
    # The official's place was made inside the revision the citizen signed: certifying only filled it.
    assert report.signatures[0].modification_level in ("NONE", "FORM_FILLING")
    assert certified.read_bytes().startswith(citizen.read_bytes())

    with pikepdf.open(certified) as pdf:
        page_no, page, annot = _annotation(pdf, "SoHoaCertify")
        _x0, _y0, x1, y1 = (float(v) for v in annot.Rect)
        _, _, pw, ph = (float(v) for v in page.mediabox)
        assert page_no == 0 and x1 > pw * 0.85 and y1 > ph * 0.85  # top right of page 1
        appearance = annot.AP.N
        images = [x for x in _xobjects(appearance) if x.get("/Subtype") == "/Image"]
        assert images == []  # no signature image on a certified copy
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(certified), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "SAO Y" in text and "UBND Phường Bến Thành" in text
    assert re.search(r"Thời gian ký: 20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", text), text
    assert check_pdfa(certified) == []


def test_official_alone_gets_a_field_at_the_top_right(official_token, scan_pdf, tmp_path):
    roots = load_trust_roots([official_token.root_pem])
    out = tmp_path / "only-official.pdf"
    _sign(official_token, scan_pdf, out, roots, role="official")
    (sig,) = verify_pdf(out, roots).signatures
    assert sig.ok and sig.signer == official_token.holder
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "UBND Phường Bến Thành" in text  # the agency from the certificate when none is set


def _xobjects(xobj):
    stack, out = [xobj], []
    while stack:
        x = stack.pop()
        out.append(x)
        stack.extend(x.get("/Resources", {}).get("/XObject", {}).values())
    return out


def test_cli_signs_b_lt_and_verifies_offline(token, pki_services, scan_pdf, tmp_path, sohoa_home):
    out = tmp_path / "cli-blt.pdf"
    data = run_json(
        "sign",
        str(scan_pdf),
        "-o",
        str(out),
        "--module",
        token.module,
        "--token",
        token.label,
        "--pin-stdin",
        "--level",
        "B-LT",
        "--tsa",
        pki_services.pki.tsa_url,
        "--trust",
        str(token.root_pem),
        stdin=token.pin + "\n",
    )
    assert data["ok"] and data["level"] == "B-LT" and data["signed"][0]["signer"] == token.holder
    report = run_json("verify", str(out), "--trust", str(token.root_pem))
    (sig,) = report["signatures"]
    assert report["ok"] and sig["revocation"] == "good" and sig["timestamp_trusted"]
    human = run_sohoa("verify", str(out), "--trust", str(token.root_pem)).stdout
    assert "HỢP LỆ" in human and token.holder in human


def test_official_b_lt_over_a_citizen_b_b_keeps_both_valid(
    token, official_token, pki_services, scan_pdf, tmp_path
):
    """The file then holds revocation data for the official only: the citizen's stays valid, not checked."""
    roots = load_trust_roots([token.root_pem])
    citizen, certified = tmp_path / "citizen.pdf", tmp_path / "certified.pdf"
    _sign(token, scan_pdf, citizen, roots)
    _sign(
        official_token,
        citizen,
        certified,
        roots,
        role="official",
        level="B-LT",
        tsa_url=pki_services.pki.tsa_url,
    )
    report = verify_pdf(certified, roots)
    assert report.ok, [s.problems for s in report.signatures]
    assert [(s.signer, s.revocation) for s in report.signatures] == [
        (token.holder, "not checked"),
        (official_token.holder, "good"),
    ]

"""Signing on SoftHSM2 tokens: key found by certificate, wrong PIN, countersignature, validation."""

from __future__ import annotations

import shutil

import pytest

from signing import SignOptions, TokenSession, list_tokens, sign_pdfs, verify_pdf
from signing.errors import SeveralTokens, WrongPin
from signing.verify import load_trust_roots


def test_tokens_list_holder_and_id_in_vietnamese(token):
    (info,) = [t for t in list_tokens(token.module) if t.label == token.label]
    signing = [c for c in info.certificates if c.can_sign]
    assert [c.holder for c in signing] == [token.holder]
    assert signing[0].citizen_id == token.citizen_id and not signing[0].expired
    assert signing[0].has_private_key is None  # unknown before login
    (info,) = list_tokens(token.module, pin=token.pin, token_label=token.label)
    assert [c.has_private_key for c in info.certificates if c.can_sign] == [True]


def test_several_tokens_need_a_choice(token, ec_token):
    with pytest.raises(SeveralTokens) as info:
        TokenSession(token.module)
    assert token.label in str(info.value) and ec_token.label in str(info.value)


def test_wrong_pin_is_reported_without_the_pin(token):
    session = TokenSession(token.module, token_label=token.label)
    with pytest.raises(WrongPin) as info:
        session.login("999999")
    assert "999999" not in str(info.value) and "999999" not in repr(info.value.params)
    session.login(token.pin)  # the right PIN still works afterwards
    session.close()


def test_key_found_by_public_key_when_labels_and_ids_differ(ec_token, scan_pdf, tmp_path):
    out = tmp_path / "ec.pdf"
    with TokenSession(ec_token.module, token_label=ec_token.label) as session:
        session.login(ec_token.pin)
        cert, key_id = session.choose_certificate()
        assert cert.holder == ec_token.holder and cert.key_id != key_id.hex()
        sign_pdfs(session, None, [(scan_pdf, out)], SignOptions(stamp=False))
    report = verify_pdf(out, load_trust_roots([ec_token.root_pem]))
    assert report.ok and report.signatures[0].signer == ec_token.holder


def test_countersignature_keeps_the_first_valid(token, ec_token, scan_pdf, tmp_path):
    first, second = tmp_path / "citizen.pdf", tmp_path / "official.pdf"
    with TokenSession(token.module, token_label=token.label) as s:
        s.login(token.pin)
        sign_pdfs(s, None, [(scan_pdf, first)], SignOptions(reason="Công dân ký"))
    with TokenSession(ec_token.module, token_label=ec_token.label) as s:
        s.login(ec_token.pin)
        sign_pdfs(s, None, [(first, second)], SignOptions(stamp=False, reason="Chứng thực bản sao"))
    assert second.read_bytes().startswith(first.read_bytes())  # incremental: earlier bytes unchanged
    report = verify_pdf(second, load_trust_roots([token.root_pem, ec_token.root_pem]))
    assert [s.signer for s in report.signatures] == [token.holder, ec_token.holder]
    assert report.ok, [s.problems for s in report.signatures]


def test_failed_signing_leaves_no_output(token, tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\nnot really a pdf")
    out = tmp_path / "out.pdf"
    with TokenSession(token.module, token_label=token.label) as s:
        s.login(token.pin)
        with pytest.raises(Exception, match=r"bad\.pdf"):
            sign_pdfs(s, None, [(bad, out)], SignOptions())
    assert not out.exists() and not list(tmp_path.glob(".out.pdf.*"))
    shutil.rmtree(tmp_path)


def test_visible_stamp_is_vietnamese_text_in_vietnam_time_and_pdfa_survives(token, scan_pdf, tmp_path):
    import re
    import subprocess

    from common.pdfa import check_pdfa

    assert check_pdfa(scan_pdf) == []
    out = tmp_path / "stamped.pdf"
    with TokenSession(token.module, token_label=token.label) as s:
        s.login(token.pin)
        sign_pdfs(s, None, [(scan_pdf, out)], SignOptions(stamp=True))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert f"Ký bởi: {token.holder}" in text
    assert f"Số định danh: {token.citizen_id}" in text
    assert re.search(r"Thời gian: \d\d/\d\d/20\d\d \d\d:\d\d:\d\d \(GMT\+7\)", text), text
    with pikepdf_open(out) as pdf:  # the stamp's font is embedded, never a standard-14 font
        fonts = [f for p in pdf.pages for a in p.obj.get("/Annots", []) for f in _annotation_fonts(a)]
    assert fonts and all(f.get("/Subtype") == "/Type0" for f in fonts)
    assert check_pdfa(out) == []  # signing added an incremental update, not a new non-PDF/A file
    assert verify_pdf(out, load_trust_roots([token.root_pem])).ok


def pikepdf_open(path):
    import pikepdf

    return pikepdf.open(path)


def _annotation_fonts(annot):
    ap = annot.get("/AP")
    if ap is None:
        return []
    stack, fonts = [ap.get("/N")], []
    while stack:
        xobj = stack.pop()
        if xobj is None:
            continue
        res = xobj.get("/Resources", {})
        fonts.extend(res.get("/Font", {}).values())
        stack.extend(res.get("/XObject", {}).values())
    return fonts


def test_expired_certificate_is_shown_as_expired_and_refused(expired_token, scan_pdf, tmp_path):
    from signing.errors import CertificateExpired

    (info,) = [t for t in list_tokens(expired_token.module) if t.label == expired_token.label]
    (cert,) = [c for c in info.certificates if c.can_sign]
    assert cert.expired and cert.as_dict()["expired"] is True
    out = tmp_path / "never.pdf"
    with TokenSession(expired_token.module, token_label=expired_token.label) as s:
        s.login(expired_token.pin)
        with pytest.raises(CertificateExpired) as err:
            sign_pdfs(s, None, [(scan_pdf, out)], SignOptions())
    assert expired_token.holder in err.value.render() and not out.exists()


def test_stamp_font_is_a_cached_vietnamese_subset_of_a_system_font(tmp_path):
    from fontTools.ttLib import TTFont

    from common.fonts import stamp_font, vietnamese_font

    source = vietnamese_font()
    assert source is not None, "no Vietnamese-capable font installed (fonts-dejavu-core)"
    cut = stamp_font(tmp_path)
    assert cut.parent == tmp_path and cut.stat().st_size < source.stat().st_size / 3
    letters = (
        "ĂăÂâĐđÊêÔôƠơƯư"
        + "ẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ"
    )
    with TTFont(cut) as font:
        cmap = font.getBestCmap()
    assert [c for c in letters + "ÀÁÃÈÉÌÍÒÓÕÙÚÝàáãèéìíòóõùúý0123456789:/()+-" if ord(c) not in cmap] == []
    mtime = cut.stat().st_mtime_ns
    assert stamp_font(tmp_path) == cut and cut.stat().st_mtime_ns == mtime  # made once, then reused


def test_tokens_list_only_signing_certificates(token):
    (info,) = list_tokens(token.module, pin=token.pin, token_label=token.label)
    assert [c.holder for c in info.certificates] == [token.holder]  # the issuing CA's is on it too


def test_batch_is_cancellable_between_files(token, scan_pdf, tmp_path):
    import threading

    from common.errors import Cancelled

    cancel = threading.Event()
    pairs = [(scan_pdf, tmp_path / f"{n}.pdf") for n in range(3)]
    with TokenSession(token.module, token_label=token.label) as s:
        s.login(token.pin)
        with pytest.raises(Cancelled):
            sign_pdfs(
                s, None, pairs, SignOptions(stamp=False), cancel=cancel, on_signed=lambda r: cancel.set()
            )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.pdf"]


def test_stamps_of_a_batch_share_one_font_program_and_each_reads_right(token, scan_pdf, tmp_path):
    import subprocess

    from pyhanko.pdf_utils.writer import PdfFileWriter

    from common.fonts import stamp_font
    from signing.stampfont import SharedSubsetFactory

    pairs = [(scan_pdf, tmp_path / f"out-{n}.pdf") for n in range(3)]
    with TokenSession(token.module, token_label=token.label) as s:
        s.login(token.pin)
        sign_pdfs(s, None, pairs, SignOptions(stamp=True), font_cache=tmp_path / "fonts")
    programs = set()
    for _, out in pairs:
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        assert f"Ký bởi: {token.holder}" in text and f"Số định danh: {token.citizen_id}" in text
        with pikepdf_open(out) as pdf:
            for font in (
                f for p in pdf.pages for a in p.obj.get("/Annots", []) for f in _annotation_fonts(a)
            ):
                descriptor = font["/DescendantFonts"][0]["/FontDescriptor"]
                programs.add(descriptor["/FontFile2"].read_bytes())
        assert verify_pdf(out, load_trust_roots([token.root_pem])).ok
    assert len(programs) == 1  # one subset, made once for the batch

    # Different digits (another second of signing) still find the program made first.
    factory = SharedSubsetFactory(str(stamp_font(tmp_path / "fonts")), font_size=8)
    for digits in ("12:00:01", "19:58:47"):
        engine = factory.create_font_engine(PdfFileWriter())
        engine.shape(f"Thời gian: {digits}")
        engine.prepare_write()
    assert len(factory.programs) == 1

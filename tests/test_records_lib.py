"""The data-record library on its own: answers read as they are, printed and read back, compared."""

from __future__ import annotations

import json

import pytest

from records import diff, flatten, parse_answer, read_record, render_record
from records.answer import RequestFacts, label_for
from records.errors import AnswerIsHtml, AnswerMalformed, AnswerNotUtf8, AnswerTooLarge


def test_xml_answer_read_with_attributes_repeats_and_namespaces():
    raw = (
        '<?xml version="1.0" encoding="UTF-8"?><a:ThuaDat xmlns:a="urn:x" phienBan="2">'
        "<SoThua>7</SoThua><Chu><Ten>Lê A</Ten></Chu><Chu><Ten>Lê B</Ten></Chu><Ghi/></a:ThuaDat>"
    ).encode()
    answer = parse_answer(raw, "land")
    assert answer.kind == "xml" and answer.raw == raw
    assert flatten(answer.data) == [
        ("ThuaDat.@phienBan", "2"),
        ("ThuaDat.SoThua", "7"),
        ("ThuaDat.Chu[1].Ten", "Lê A"),
        ("ThuaDat.Chu[2].Ten", "Lê B"),
        ("ThuaDat.Ghi", ""),
    ]


@pytest.mark.parametrize(
    ("raw", "ctype", "error"),
    [
        (b'{"a": ', "application/json", AnswerMalformed),
        (b"<a><b></a>", "application/xml", AnswerMalformed),
        (b'{"a": "\xd0ang"}', "", AnswerNotUtf8),
        (b"<!-- x --><HTML><body>login</body></HTML>", "", AnswerIsHtml),
        (b'{"a": 1}', "text/html; charset=utf-8", AnswerIsHtml),
        (b'<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>', "", AnswerMalformed),  # no DTD, no entities
        (b'{"a": "' + b"x" * 100 + b'"}', "", AnswerTooLarge),
    ],
)
def test_bad_answers_are_named(raw, ctype, error):
    with pytest.raises(error):
        parse_answer(raw, "svc", ctype, max_bytes=64)


def test_labels_by_full_path_then_by_name_else_the_key():
    labels = {"HoVaTen": "Họ và tên", "A.B": "B của A"}
    assert label_for("X.HoVaTen", labels) == "Họ và tên"
    assert label_for("A[2].B", labels) == "B của A (2)"
    assert label_for("Moi.TruongMoi", labels) == "Moi.TruongMoi"  # unknown: shown by its key


def test_diff_nested_and_lists_and_a_single_element_that_became_repeated():
    old = {"A": {"B": "1", "C": "x"}, "L": {"N": "p"}, "G": "gone"}
    new = {"A": {"B": "2", "C": "x"}, "L": [{"N": "p"}, {"N": "q"}], "H": "new"}
    got = {(c.path, c.kind, c.old, c.new) for c in diff(old, new)}
    assert got == {
        ("A.B", "changed", "1", "2"),
        ("L[2].N", "added", None, "q"),
        ("H", "added", None, "new"),
        ("G", "removed", "gone", None),
    }
    assert diff(old, old) == []


def test_record_round_trip_keeps_the_bytes_and_finds_the_printed_hash(tmp_path):
    raw = json.dumps(
        {"SoDinhDanh": "001203012345", "HoVaTen": "Nguyễn Văn Ấn " * 40}, ensure_ascii=False
    ).encode()
    facts = RequestFacts(
        "population", "Dân cư", "https://x.vn/a", {"SoDinhDanh": "001203012345"}, "2026-12-03T10:00:00+07:00"
    )
    made = render_record(
        parse_answer(raw, "population"), facts, tmp_path / "r.pdf", font_cache=tmp_path / "f"
    )
    back = read_record(made.path)
    assert back.answer.raw == raw and back.hash_ok and back.facts == facts
    assert made.size_bytes < 100_000


def test_the_pdfa_check_covers_associated_files(tmp_path):
    import pikepdf

    from common.pdfa import check_pdfa

    raw = b'{"SoDinhDanh": "001203012345"}'
    facts = RequestFacts("population", "Dân cư", "", {}, "2026-12-03T10:00:00+07:00", source="saved")
    made = render_record(
        parse_answer(raw, "population"), facts, tmp_path / "r.pdf", font_cache=tmp_path / "f"
    )
    assert check_pdfa(made.path) == []
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(made.path) as pdf:
        del pdf.attachments["answer.json"].obj.AFRelationship
        del pdf.attachments["request.json"].obj.EF.F.Subtype
        del pdf.Root.AF[1]
        pdf.save(broken)
    problems = check_pdfa(broken)
    assert "embedded file answer.json: no valid /AFRelationship" in problems
    assert "embedded file request.json: no MIME type (/Subtype)" in problems
    assert "embedded file request.json: not referenced from an /AF array" in problems
    with pikepdf.open(made.path) as pdf:
        with pdf.open_metadata() as meta:
            meta["pdfaid:part"] = "2"
        pdf.save(tmp_path / "as-2.pdf")
    assert "embedded files (PDF/A-3 only, as associated files)" in check_pdfa(tmp_path / "as-2.pdf")

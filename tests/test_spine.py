"""The spine through the real command line: import, OCR, sign on a SoftHSM token, verify, queue, deliver."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pypdfium2

from tests.conftest import run_json, run_sohoa


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdfium_text(path: Path) -> str:
    doc = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


VIETNAMESE_WORDS = ["CỘNG", "HÒA", "NGHĨA", "VIỆT", "Độc", "Hạnh", "phúc", "Nguyễn", "Hồng", "Hàng", "Kiếm"]


def test_spine_from_page_to_delivered_folder(sohoa_home, token, page_png, tmp_path):
    code = "000.00.17.H29-261127-0001"
    run_sohoa(
        "dossier",
        "new",
        code,
        "--procedure",
        "Cấp giấy phép xây dựng",
        "--applicant-name",
        token.holder,
        "--applicant-id",
        token.citizen_id,
    )
    added = run_json("dossier", "add", code, str(page_png), "--component", "Đơn đề nghị")
    assert added["added"] == 1
    processed = run_json("dossier", "process", code)
    ocr_pdf = Path(processed["processed"][0]["path"])

    # The text layer holds the Vietnamese words, for poppler and for PDFium alike.
    for extracted in (pdftotext(ocr_pdf), pdfium_text(ocr_pdf)):
        text = norm(extracted)
        found = [w for w in VIETNAMESE_WORDS if w in text]
        assert len(found) >= len(VIETNAMESE_WORDS) - 2, (found, text)

    signed = run_json(
        "dossier",
        "sign",
        code,
        "--module",
        token.module,
        "--token",
        token.label,
        "--pin-stdin",
        "--trust",
        str(token.root_pem),
        stdin=token.pin + "\n",
    )
    part = signed["signed"][0]
    assert part["verify"]["ok"] is True
    sig = part["verify"]["signatures"][0]
    assert sig["signer"] == token.holder
    assert sig["citizen_id"] == token.citizen_id
    signed_pdf = Path(part["path"])

    # verify accepts the file against the test root ...
    ok = run_sohoa("verify", str(signed_pdf), "--trust", str(token.root_pem), "--json")
    assert json.loads(ok.stdout)["ok"] is True
    # ... and without the root it does not chain to anything trusted
    untrusted = run_sohoa("verify", str(signed_pdf), "--json", check=False)
    assert untrusted.returncode != 0
    assert "trusted root" in " ".join(json.loads(untrusted.stdout)["signatures"][0]["problems"])
    # ... and rejects the same file with one byte of the signed content changed
    tampered = tmp_path / "tampered.pdf"
    data = bytearray(signed_pdf.read_bytes())
    start = (
        data.index(b"stream", len(data) // 10) + 200
    )  # inside the first page image, covered by the signature
    data[start] ^= 0x01
    tampered.write_bytes(bytes(data))
    bad = run_sohoa("verify", str(tampered), "--trust", str(token.root_pem), "--json", check=False)
    assert bad.returncode != 0
    report = json.loads(bad.stdout)
    assert report["ok"] is False
    assert report["signatures"][0]["intact"] is False

    items = run_json("outbox", "list")
    assert [i["state"] for i in items] == ["queued"]
    target = tmp_path / "usb"
    summary = run_json("upload", "--folder", str(target))
    assert summary["delivered"] == [items[0]["id"]]
    assert run_json("outbox", "list")[0]["state"] == "confirmed"
    shown = run_json("dossier", "show", code)
    assert shown["status"] == "uploaded" and [c["status"] for c in shown["components"]] == ["uploaded"]

    batches = list(target.glob("sohoa-batch-*"))
    assert len(batches) == 1 and not list(target.glob(".sohoa-partial-*"))
    manifest = json.loads((batches[0] / "manifest.json").read_text(encoding="utf-8"))
    assert [(f["dossier"], f["component"]) for f in manifest["files"]] == [(code, "Đơn đề nghị")]
    assert manifest["files"][0]["signer"] == token.holder
    sums = (batches[0] / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(sums) == 1
    for entry, line in zip(manifest["files"], sums, strict=True):
        digest, rel = line.split("  ", 1)
        actual = hashlib.sha256((batches[0] / rel).read_bytes()).hexdigest()
        assert digest == entry["sha256"] == actual
        assert rel == entry["file"]
    assert hashlib.sha256(signed_pdf.read_bytes()).hexdigest() == manifest["files"][0]["sha256"]

    # Nothing is sent twice: a second upload finds nothing due.
    again = run_json("upload", "--folder", str(target))
    assert again["delivered"] == [] and len(list(target.glob("sohoa-batch-*"))) == 1


def test_spine_with_single_commands(sohoa_home, token, page_png, tmp_path):
    """ocr -> sign -> verify -> outbox add: the verbs a script uses without the dossier commands."""
    out = tmp_path / "ra.pdf"
    res = run_json("ocr", str(page_png), "-o", str(out), "--jobs", "1")
    assert res["pages"] == 1 and out.stat().st_size == res["size_bytes"]
    signed = tmp_path / "signed" / "ra.pdf"
    res = run_json(
        "sign",
        str(out),
        "-o",
        str(signed),
        "--module",
        token.module,
        "--token",
        token.label,
        "--pin-env",
        "TEST_PIN",
        "--no-stamp",
        "--reason",
        "Xác nhận bản sao",
        env={"TEST_PIN": token.pin},
    )
    assert res["signed"][0]["signer"] == token.holder
    run_sohoa("dossier", "new", "HS-2")
    queue_it = (
        "outbox",
        "add",
        str(signed),
        "--dossier",
        "HS-2",
        "--component",
        "Bản vẽ",
        "--trust",
        str(token.root_pem),
    )
    queued = run_json(*queue_it)
    assert queued["created"] is True
    again = run_json(*queue_it)  # the same file for the same component: queued once
    assert again == {"ok": True, "id": queued["id"], "created": False}
    # An unsigned file is refused by the outbox.
    refused = run_sohoa("outbox", "add", str(out), "--dossier", "HS-2", "--component", "Khác", check=False)
    assert refused.returncode != 0 and refused.stderr.strip().count("\n") == 0
    assert len(run_json("outbox", "list")) == 1
    shutil.rmtree(tmp_path / "signed")

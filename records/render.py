"""A data record as a PDF/A-3b: the request facts and the answer's fields as readable tables in
Vietnamese, the SHA-256 of the raw answer printed on the page, and the raw answer (`Source`) and the
request facts (`Supplement`) embedded as associated files, referenced from the catalog's /AF."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from fpdf import FPDF
from fpdf.enums import TableCellFillMode
from fpdf.fonts import FontFace

from common.atomic import atomic_output
from common.errors import Cancelled
from common.fonts import stamp_font
from common.pdfa import make_pdfa
from records.answer import Answer, RequestFacts, flatten, label_for

TITLE = "PHIẾU KẾT QUẢ KHAI THÁC DỮ LIỆU"
HASH_LINE = "Mã SHA-256 của dữ liệu gốc ({name}): "
FACTS_FILE = "request.json"
STAMP_ROOM_MM = 30  # the signer's stamp goes at the bottom right of the last page
FACT_LABELS = (
    ("service_name", "Nguồn dữ liệu"),
    ("endpoint", "Địa chỉ dịch vụ"),
    ("query", "Điều kiện tra cứu"),
    ("request_id", "Mã yêu cầu"),
    ("requested_at", "Thời điểm yêu cầu"),
    ("official", "Cán bộ khai thác"),
    ("dossier", "Hồ sơ"),
    ("procedure_code", "Mã thủ tục"),
    ("agency_code", "Mã cơ quan"),
    ("source", "Cách nhận dữ liệu"),
)
SOURCES = {"fetched": "SoHoa truy vấn trực tiếp", "saved": "Tệp dữ liệu do cán bộ lưu từ dịch vụ"}


@dataclass(frozen=True)
class RenderedRecord:
    path: Path
    pages: int
    size_bytes: int
    sha256: str
    fields: int


def render_record(
    answer: Answer,
    facts: RequestFacts,
    out: Path,
    *,
    labels: dict[str, str] | None = None,
    subject_label: str = "",
    font_cache: Path | None = None,
    cancel: threading.Event | None = None,
) -> RenderedRecord:
    """Write the record to `out` atomically (unsigned: signing comes next)."""
    font = stamp_font(font_cache)
    if font is None:
        raise FileNotFoundError("no font that can write Vietnamese was found on this computer")
    rows = [(label_for(p, labels or {}), p, v) for p, v in flatten(answer.data)]
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    doc = _layout(answer, facts, rows, font, subject_label)
    data = bytes(doc.output())
    title = f"{TITLE}: {facts.service_name}"
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for key in list(pdf.docinfo.keys()):
            del pdf.docinfo[key]  # rewritten from the XMP below, so the two agree
        if "/OpenAction" in pdf.Root:
            del pdf.Root.OpenAction  # the layout's zoom: PDF/A wants no document actions
        make_pdfa(pdf, title=title, subject=facts.service_name, keywords=f"sha256:{answer.sha256}", part=3)
        _attach(pdf, answer.filename, answer.raw, answer.media_type, pikepdf.Name.Source,
                "Dữ liệu gốc do dịch vụ trả về, nguyên vẹn từng byte")  # fmt: skip
        _attach(pdf, FACTS_FILE, facts.to_json(), "application/json", pikepdf.Name.Supplement,
                "Thông tin yêu cầu khai thác dữ liệu")  # fmt: skip
        with atomic_output(out, "wb") as fh:
            pdf.save(fh, min_version="1.7", force_version="1.7")
        pages = len(pdf.pages)
    return RenderedRecord(out, pages, out.stat().st_size, answer.sha256, len(rows))


def _attach(pdf: pikepdf.Pdf, name: str, data: bytes, mime: str, relationship, description: str) -> None:
    spec = pikepdf.AttachedFileSpec(
        pdf, data, description=description, filename=name, mime_type=mime, relationship=relationship
    )
    pdf.attachments[name] = spec
    if "/AF" not in pdf.Root:
        pdf.Root.AF = pikepdf.Array()
    obj = pdf.attachments[name].obj
    if all(o.objgen != obj.objgen for o in pdf.Root.AF):  # some pikepdf versions list it already
        pdf.Root.AF.append(obj)


def _layout(answer: Answer, facts: RequestFacts, rows, font: Path, subject_label: str) -> FPDF:
    doc = FPDF(format="A4", unit="mm")
    doc.set_margins(15, 15, 15)
    doc.set_auto_page_break(True, margin=STAMP_ROOM_MM)
    doc.set_lang("vi")
    doc.set_creator("SoHoa")
    doc.add_font("vn", fname=str(font))
    doc.add_page()
    doc.set_font("vn", size=14)
    doc.multi_cell(0, 7, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("vn", size=11)
    doc.multi_cell(0, 6, facts.service_name, align="C", new_x="LMARGIN", new_y="NEXT")
    if subject_label:
        doc.multi_cell(0, 6, subject_label, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(3)
    doc.set_font("vn", size=9)
    with doc.table(col_widths=(45, 135), first_row_as_headings=False, line_height=4.2, padding=1.0) as table:
        for key, label in FACT_LABELS:
            value = getattr(facts, key)
            if key == "query":
                value = "; ".join(f"{k} = {v}" for k, v in value.items())
            elif key == "source":
                value = SOURCES.get(value, value)
            elif key == "service_name":
                value = f"{value} ({facts.service})"
            if value:
                row = table.row()
                row.cell(label)
                row.cell(str(value))
    doc.ln(4)
    doc.set_font("vn", size=11)
    doc.multi_cell(0, 6, f"Dữ liệu được cung cấp ({len(rows)} trường)", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("vn", size=9)
    with doc.table(
        col_widths=(55, 73, 52),
        line_height=4.2,
        padding=1.0,
        cell_fill_mode=TableCellFillMode.ROWS,
        cell_fill_color=245,
        repeat_headings=1,
        headings_style=FontFace(emphasis="", fill_color=220),
    ) as table:
        head = table.row()
        head.cell("Trường dữ liệu")
        head.cell("Giá trị")
        head.cell("Khóa")
        key_style = FontFace(size_pt=6, color=90)
        for label, path, value in rows:
            row = table.row()
            row.cell(label)
            row.cell(value or "—")
            row.cell(path, style=key_style)
    doc.ln(4)
    doc.set_font("vn", size=8)
    doc.multi_cell(
        0,
        4,
        f"Dữ liệu gốc ({answer.filename}) và thông tin yêu cầu ({FACTS_FILE}) được đính kèm nguyên vẹn "
        "trong tệp này. Kiểm tra: sohoa record verify.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    doc.multi_cell(
        0, 4, HASH_LINE.format(name=answer.filename) + answer.sha256, new_x="LMARGIN", new_y="NEXT"
    )
    return doc

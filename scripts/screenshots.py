#!/usr/bin/env python3
"""Render the workstation's main screens, in Vietnamese, into docs/screenshots/ (`make screenshots`).

Runs on a scratch workspace filled by SoHoa itself: generated Vietnamese pages imported and
processed, a drawing scanned in four overlapping parts and stitched. The signing screen shows a
sample certificate (no token is needed for a picture).
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


def wait(app, job) -> None:
    """Let the window run until the job is done (and its signals have arrived)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: loop.quit() if job.handled.is_set() else None)
    timer.start(50)
    loop.exec()
    timer.stop()
    for _ in range(20):
        app.processEvents()


def main() -> int:
    scratch = Path(tempfile.mkdtemp(prefix="sohoa-shots-"))
    os.environ["SOHOA_HOME"] = str(scratch / "ws")
    os.environ.setdefault("SOHOA_ADMIN_CONFIG", str(scratch / "none.json"))
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from app import i18n
    from app.config import Settings
    from app.gui.main_window import MainWindow
    from app.workspace import Workspace
    from tests.fixtures import save_png, vietnamese_page
    from tests.test_drawings import DPI, _scan, _sheet

    i18n.install("vi", qt=True)
    ws = Workspace(scratch / "ws")
    settings = Settings(ocr_jobs=1, agency="UBND phường Bến Thành")
    ws.create_dossier(
        "000.00.17.H29-261128-0012",
        procedure="Cấp giấy phép xây dựng nhà ở riêng lẻ",
        applicant_name="Nguyễn Thị Hồng Nhung",
        applicant_id="001203012345",
    )
    ws.create_dossier(
        "000.00.17.H29-261128-0013", procedure="Đăng ký khai sinh", applicant_name="Trần Văn Bình"
    )
    pages = [
        save_png(vietnamese_page(dpi=200, height_in=11.0), scratch / f"p{k}.png", dpi=200) for k in range(3)
    ]
    parts = []
    for n, tile in enumerate(_scan(_sheet()[0])[0]):
        path = scratch / f"part-{n + 1}.png"
        Image.fromarray(tile).save(path, dpi=(DPI, DPI))
        parts.append(str(path))
    OUT.mkdir(parents=True, exist_ok=True)

    win = MainWindow(ws, settings)
    win.resize(1400, 860)
    win.show()
    win.select_code("000.00.17.H29-261128-0012")
    wait(
        app,
        win.capture.run_import(
            "000.00.17.H29-261128-0012",
            "Đơn đề nghị cấp giấy phép xây dựng",
            "document",
            [str(p) for p in pages],
        ),
    )
    wait(
        app, win.drawings.run_drawing("000.00.17.H29-261128-0012", "Bản vẽ thiết kế xây dựng", parts, (2, 2))
    )
    sheet = getattr(win, "sheet_dialog", None)
    if sheet is not None:
        sheet.resize(1200, 820)
        sheet.show()
        sheet.view.fitInView(sheet.sheet, Qt.AspectRatioMode.KeepAspectRatio)
        for _ in range(30):
            app.processEvents()
        sheet.grab().save(str(OUT / "drawing-sheet.png"))
        sheet.done(0)
    win.refresh()
    win.select_code("000.00.17.H29-261128-0012")
    win.select_component("Đơn đề nghị cấp giấy phép xây dựng")
    win.show_pages()
    for _ in range(20):
        app.processEvents()
    win.grab().save(str(OUT / "main-window.png"))

    from app.gui.drawing_dialog import DrawingDialog

    drawing = DrawingDialog([], win)
    drawing.sheet.setCurrentText("A1")
    drawing.add_tile(parts[0])
    drawing.add_tile(parts[1])
    drawing.show()
    app.processEvents()
    drawing.grab().save(str(OUT / "large-drawing.png"))
    drawing.close()

    from app.gui.sign_dialog import Choice, SignDialog

    sign = SignDialog(
        [("Đơn đề nghị cấp giấy phép xây dựng", 3), ("Bản vẽ thiết kế xây dựng", 1)],
        win,
        agency=settings.agency,
    )
    valid_until = datetime(2028, 3, 1, tzinfo=UTC).strftime("%d/%m/%Y")
    sample = Choice(
        "softhsm",
        "token",
        "cert",
        "Nguyễn Thị Hồng Nhung",
        "CCCD 001203012345",
        "VNPT-CA",
        valid_until,
        False,
        True,
        False,
        True,
    )
    sign.show_tokens([sample])
    sign.show()
    app.processEvents()
    sign.grab().save(str(OUT / "sign-certificate.png"))
    sign.next.click()
    app.processEvents()
    sign.grab().save(str(OUT / "sign-citizen.png"))
    sign.close()

    # signing remotely: the applicant's certificates at the service, then "approve on your phone"
    from app.gui.remote_dialog import RemoteSignDialog
    from signing.certinfo import CertificateInfo
    from signing.remote import RemoteCredential

    def credential(issuer: str, until: datetime, org: str = "") -> RemoteCredential:
        info = CertificateInfo(
            "",
            "",
            "Nguyễn Thị Hồng Nhung",
            (("CCCD", "001203012345"),),
            org,
            issuer,
            "54010101",
            datetime(2025, 3, 1, tzinfo=UTC),
            until,
            ("digital_signature", "non_repudiation"),
            "rsa",
            False,
            True,
            b"",
        )
        return RemoteCredential("vnpt-smartca", issuer, info)

    remote_dlg = RemoteSignDialog(
        [("Đơn đề nghị cấp giấy phép xây dựng", 3), ("Bản vẽ thiết kế xây dựng", 1)],
        [("vnpt-smartca", "VNPT SmartCA"), ("neac", "Cổng ký số từ xa quốc gia (NEAC)"), ("csc", "CSC")],
        win,
        provider="vnpt-smartca",
        user_id="001203012345",
    )
    remote_dlg.show_certificates(
        [
            credential("VNPT-CA SHA-256", datetime(2028, 3, 1, tzinfo=UTC)),
            credential("VNPT-CA SHA-256", datetime(2026, 3, 1, tzinfo=UTC), "Hộ kinh doanh Nhung"),
        ]
    )
    remote_dlg.show()
    app.processEvents()
    remote_dlg.grab().save(str(OUT / "sign-remote.png"))
    remote_dlg.waiting(272)
    app.processEvents()
    remote_dlg.grab().save(str(OUT / "sign-remote-phone.png"))
    remote_dlg.show_message("")
    remote_dlg.close()

    # pages to check: a blurred photo of a page and a blank sheet, after OCR
    from tests.test_review import degraded_page

    checked = [
        save_png(degraded_page(), scratch / "blurred.png", dpi=200),
        save_png(Image.new("L", (1654, 2200), 250), scratch / "blank.png", dpi=200),
    ]
    id_part = "Giấy tờ tùy thân của người đề nghị"
    wait(
        app,
        win.capture.run_import("000.00.17.H29-261128-0012", id_part, "document", [str(p) for p in checked]),
    )
    wait(app, win.capture.process())
    win.refresh()
    win.pages.review_pages()
    review = win.pages.review_dialog
    review.resize(900, 900)
    wait(app, review.preview_job)
    for _ in range(20):
        app.processEvents()
    review.grab().save(str(OUT / "check-pages.png"))
    review.close()

    from app.gui.camera_dialog import CameraDialog
    from tests.test_camera import _card, _frame

    camera = CameraDialog(win, sources=["/dev/video0"])
    camera.show()
    camera._keep_frame(_frame(_card(), 0, 12, 0, np.random.default_rng(1)))
    camera._show_latest()
    app.processEvents()
    camera.grab().save(str(OUT / "camera-card.png"))
    camera.close()

    # a data record: the answer as the lookup shows it, the printed record, two records compared
    import json as _json

    import pypdfium2 as pdfium

    from app.dataservices import catalog
    from app.gui.record_dialog import CompareDialog, LookupDialog
    from app.pipeline.records import compare_records
    from records import RequestFacts, devdata, flatten, parse_answer, render_record
    from records.answer import label_for

    services = catalog()
    entry = services["population"]
    person = devdata.PEOPLE["001203012345"][0]
    made = []
    for n, (data, when) in enumerate(
        ((person, "2026-06-15T09:12:40+07:00"), (devdata._next_person(person), "2026-12-03T10:05:12+07:00"))
    ):
        raw = _json.dumps({"MaKetQua": "0", "DuLieu": data}, ensure_ascii=False, indent=2).encode()
        answer = parse_answer(raw, "population", "application/json")
        facts = RequestFacts(
            "population", entry["name"], "https://ndxp.hochiminhcity.gov.vn/dancu/v1/congdan",
            {"SoDinhDanh": "001203012345"}, when, official="nguyenvana", dossier="000.00.17.H29-261128-0012",
            procedure_code="1.004227", agency_code="000.00.17.H29", request_id=f"NDXP-7f3a9c21e4b{n}",
        )  # fmt: skip
        made.append(render_record(answer, facts, scratch / f"record-{n}.pdf", labels=entry["labels"],
                                  subject_label="Công dân: 001203012345"))  # fmt: skip
    lookup = LookupDialog(services, "001203012345", win)
    rows = [[label_for(p, entry["labels"]), v, p] for p, v in flatten(answer.data)]
    lookup.show_answer(object(), rows)
    lookup.show()
    app.processEvents()
    lookup.grab().save(str(OUT / "record-lookup.png"))
    lookup.close()
    doc = pdfium.PdfDocument(str(made[1].path))
    doc[0].render(scale=1.2).to_pil().save(str(OUT / "record.png"))
    doc.close()
    result = compare_records(made[0].path, made[1].path)
    compare = CompareDialog(
        f"{result.newer[1].service_name}: {result.subject}, {len(result.changes)} thay đổi",
        "15/06/2026 09:12:40", "03/12/2026 10:05:12",
        [(label, c.old, c.new, c.kind) for c, label in result.rows], win,
    )  # fmt: skip
    compare.show()
    app.processEvents()
    compare.grab().save(str(OUT / "record-compare.png"))
    compare.close()

    outbox = win.delivery.show_outbox()
    app.processEvents()
    outbox.grab().save(str(OUT / "outbox.png"))
    outbox.close()
    settings_dlg = win.support.edit_settings()
    app.processEvents()
    settings_dlg.grab().save(str(OUT / "settings.png"))
    settings_dlg.close()
    win.runner.shutdown()
    win.close()
    for name in sorted(p.name for p in OUT.glob("*.png")):
        print(OUT / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

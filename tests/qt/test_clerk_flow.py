"""One paper dossier from the counter to the portal's folder, through the window, in Vietnamese:
a new dossier from the receipt code and the ID card's QR, the checklist, a form imported and two
parts scanned on SANE's test device, OCR, pages to check, the citizen's signature on a SoftHSM
token, the outbox and the upload. Each step asserts what the clerk sees."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialogButtonBox

from app.config import Settings
from app.gui.main_window import MainWindow

pytestmark = pytest.mark.qt

PROCEDURE = "Đăng ký khai sinh"
FORM, BIRTH, ID_CARD = "Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Giấy tờ tùy thân của người đi đăng ký"


def _cells(view, column: int) -> list[str]:
    model = view.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def _row_of(view, name: str) -> int:
    return _cells(view, 0).index(name)


@pytest.fixture
def vietnamese(qapp):
    from app import i18n

    assert i18n.install("vi", qt=True) == "vi"
    yield
    i18n.install("en", qt=True)


def test_a_paper_dossier_goes_from_the_counter_to_the_portal(
    qtbot, vietnamese, workspace, sane_test_backend, token, tmp_path, page_png, monkeypatch
):
    from tests.test_codes import CCCD, RECEIPT

    (workspace.root / "trust").mkdir(exist_ok=True)
    (workspace.root / "trust" / "root.pem").write_bytes(token.root_pem.read_bytes())
    delivered = tmp_path / "portal-folder"
    settings = Settings(
        scan_device="test:0", pkcs11_modules=(token.module,), upload_folder=str(delivered), ocr_jobs=2
    )
    win = MainWindow(workspace, settings)
    qtbot.addWidget(win)
    errors: list[str] = []
    monkeypatch.setattr(win, "error", errors.append)
    assert win.actions_by_name["scan"].text() == "Quét"

    # 1. the receipt's code and the card's QR, as the guns type them
    seen: dict[str, str] = {}

    def fill_new_dossier():
        dlg = win.capture.new_dossier_dialog
        dlg.code.setText(RECEIPT)
        dlg.card.insert(CCCD)
        dlg.procedure.setCurrentText(PROCEDURE)
        seen["details"] = dlg.card_details.text()
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, fill_new_dossier)
    win.capture.new_dossier()
    assert win.current_code() == RECEIPT and "15/06/1990" in seen["details"]
    row = _cells(win.dossier_view, 0).index(RECEIPT)
    assert _cells(win.dossier_view, 1)[row] == "Nguyễn Thị Hồng Nhung"
    assert _cells(win.dossier_view, 2)[row] == "001203012345"
    assert win.checklist.text().startswith("Còn thiếu:") and ID_CARD in win.checklist.text()

    # 2. the signed form brought on paper is imported; two parts are scanned from the feeder
    job = win.capture.run_import(RECEIPT, FORM, "document", [str(page_png)])
    qtbot.waitUntil(job.handled.is_set, timeout=60000)
    for name, pages in ((BIRTH, 1), (ID_CARD, 2)):
        job = win.capture.run_scan(
            RECEIPT, name, "test:0", {"resolution": 75, "source": "adf", "mode": "gray", "pages": pages}
        )
        qtbot.waitUntil(job.handled.is_set, timeout=60000)
        assert job.error is None
    qtbot.waitUntil(lambda: win.runner.settled(), timeout=30000)
    assert sorted(_cells(win.component_view, 0)) == sorted([FORM, BIRTH, ID_CARD])
    assert set(_cells(win.component_view, 3)) == {"Đã quét"}
    assert win.checklist.text() == "Đã đủ các thành phần hồ sơ theo thủ tục."
    win.select_component(ID_CARD)
    win.show_pages()
    assert win.page_strip.count() == 2 and not win.page_strip.item(0).icon().isNull()

    # 3. OCR in the background; what it could hardly read is flagged for the clerk
    job = win.capture.process()
    qtbot.waitUntil(job.handled.is_set, timeout=180000)
    assert job.error is None, job.error
    qtbot.waitUntil(lambda: win.runner.settled(), timeout=30000)
    assert set(_cells(win.component_view, 3)) == {"Đã nhận dạng chữ"}
    if job.result:  # SANE's test pattern holds little text: its pages may be flagged
        assert f"{job.result} trang cần xem lại" in win.statusBar().currentMessage()
        win.pages.review_pages()
        dlg = win.pages.review_dialog
        while dlg.keep_button.isEnabled():
            dlg.keep_button.click()
            qtbot.waitUntil(lambda: win.runner.settled(), timeout=30000)
        assert dlg.heading.text() == "Hồ sơ này không còn trang nào cần xem lại."
        dlg.close()
    assert all("cần xem lại" not in c for c in _cells(win.component_view, 2))

    # 4. the citizen signs: the certificate, what it means in large type, the masked PIN

    def sign_as_citizen():
        dlg = win.signing.sign_dialog
        try:
            qtbot.waitUntil(lambda: dlg.chosen() is not None, timeout=60000)
            row = next(k for k, c in enumerate(dlg.choices) if c.holder == token.holder and c.usable)
            dlg.certs.setCurrentRow(row)  # other test tokens share the SoftHSM store
            seen["certificate"] = dlg.certs.currentItem().text()
            dlg.next.click()
            seen["statement"] = dlg.statement.text()
            dlg.pin.setText(token.pin)
            dlg.sign_button.click()
        finally:
            if dlg.isVisible():  # a step failed: close the dialog so the test reports it
                dlg.reject()

    QTimer.singleShot(0, sign_as_citizen)
    job = win.signing.sign()
    assert job is not None, (seen, win.signing.sign_dialog.status.text())
    assert token.holder in seen["certificate"]
    qtbot.waitUntil(job.handled.is_set, timeout=120000)
    assert job.error is None, job.error
    assert token.holder in seen["statement"] and "ký số" in seen["statement"]
    assert all(f"{n} (" in seen["statement"] for n in (FORM, BIRTH, ID_CARD))
    qtbot.waitUntil(lambda: set(_cells(win.component_view, 3)) == {"Chờ gửi"}, timeout=30000)

    # 5. the outbox shows three files waiting; sending delivers each once
    outbox = win.delivery.show_outbox()
    assert outbox.table.rowCount() == 3
    outbox.close()
    job = win.delivery.upload()
    qtbot.waitUntil(job.handled.is_set, timeout=120000)
    assert job.error is None, job.error
    qtbot.waitUntil(lambda: win.runner.settled(), timeout=30000)
    qtbot.waitUntil(lambda: set(_cells(win.component_view, 3)) == {"Đã gửi"}, timeout=30000)
    assert _cells(win.dossier_view, 4)[_cells(win.dossier_view, 0).index(RECEIPT)] == "Đã gửi"
    sent = sorted(p.name for p in delivered.rglob("*.pdf"))
    assert len(sent) == 3, sent
    assert errors == []
    win.runner.shutdown()

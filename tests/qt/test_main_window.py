"""The main window on a real workspace: dossiers shown, import and OCR run off the GUI thread."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from app.config import Settings
from app.gui.main_window import MainWindow

pytestmark = pytest.mark.qt


@pytest.fixture
def window(qtbot, workspace):
    win = MainWindow(workspace, Settings(ocr_jobs=1))
    qtbot.addWidget(win)
    yield win
    win.runner.shutdown()


def _cells(view, column: int) -> list[str]:
    model = view.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_main_window_lists_the_workspace_dossiers(qtbot, workspace):
    workspace.create_dossier("HS-001", applicant_name="Nguyễn Văn An", procedure="Cấp giấy phép xây dựng")
    workspace.create_dossier("HS-002", applicant_name="Trần Thị Bình", applicant_id="001203012345")
    win = MainWindow(workspace, Settings())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert sorted(_cells(win.dossier_view, 0)) == ["HS-001", "HS-002"]
    assert "Trần Thị Bình" in _cells(win.dossier_view, 1)
    win.select_code("HS-001")
    assert win.current_code() == "HS-001"
    assert "Nguyễn Văn An" in win.dossier_title.text()
    win.close()


def test_import_then_ocr_run_as_jobs_and_update_the_view(qtbot, window, workspace, page_png):
    workspace.create_dossier("HS-010", applicant_name="Lê Văn Cường")
    window.refresh()
    window.select_code("HS-010")
    job = window.capture.run_import("HS-010", "Đơn đề nghị", "document", [str(page_png)])
    qtbot.waitUntil(job.handled.is_set, timeout=30000)  # race-free: a job can finish before a signal wait
    assert job.result == 1 and job.error is None
    qtbot.waitUntil(lambda: _cells(window.component_view, 0) == ["Đơn đề nghị"])
    assert _cells(window.component_view, 2) == ["1"]

    job = window.capture.process()
    qtbot.waitUntil(job.handled.is_set, timeout=120000)
    assert job.error is None
    comp = workspace.component("HS-010", "Đơn đề nghị")
    assert comp.status == "processed"
    assert workspace.latest_artifact(comp.id, "ocr_pdf") is not None
    qtbot.waitUntil(lambda: not window.jobs.progress.isVisible())


def test_failed_job_reports_the_error_and_keeps_the_window(qtbot, window, workspace, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(window, "error", shown.append)
    workspace.create_dossier("HS-011")
    bad = tmp_path / "rỗng.png"
    bad.write_bytes(b"")
    job = window.capture.run_import("HS-011", "Đơn", "document", [str(bad)])
    qtbot.waitUntil(job.handled.is_set, timeout=30000)
    assert "rỗng.png" in job.error
    qtbot.waitUntil(lambda: bool(shown))
    assert "rỗng.png" in shown[0]
    assert (
        workspace.components("HS-011") == [] or workspace.pages(workspace.component("HS-011", "Đơn").id) == []
    )


def test_official_certifies_from_the_window_and_the_report_shows_both_signatures(
    qtbot, window, workspace, scan_pdf, token, official_token, tmp_path
):
    from signing import SignOptions, TokenSession, sign_pdfs

    (workspace.root / "trust").mkdir(exist_ok=True)
    (workspace.root / "trust" / "root.pem").write_bytes(token.root_pem.read_bytes())
    citizen = tmp_path / "citizen.pdf"
    with TokenSession(token.module, token_label=token.label) as s:
        s.login(token.pin)
        sign_pdfs(s, None, [(scan_pdf, citizen)], SignOptions())
    workspace.create_dossier("HS-020")
    comp = workspace.component("HS-020", "Giấy phép", create=True)
    workspace.add_artifact(comp.id, "signed_pdf", citizen, status="processed")
    window.refresh()
    window.select_code("HS-020")

    job = window.signing.run_sign(
        "HS-020", official_token.module, official_token.pin, role="official", token_label=official_token.label
    )
    qtbot.waitUntil(job.handled.is_set, timeout=60000)
    assert job.error is None
    art = workspace.latest_artifact(comp.id, "signed_pdf")
    assert (
        json.loads(art.meta)["role"] == "official"
        and workspace.component("HS-020", "Giấy phép").status == "queued"
    )

    job = window.signing.verify_file(str(workspace.blobs.path(art.blob)))
    qtbot.waitUntil(job.handled.is_set, timeout=60000)
    qtbot.waitUntil(lambda: getattr(window.signing, "last_report_dialog", None) is not None)
    dialog = window.signing.last_report_dialog
    table = dialog.table
    signers = [table.item(r, 1).text() for r in range(table.rowCount())]
    assert signers == [token.holder, official_token.holder]
    assert "valid" in dialog.summary.text().lower() or "hợp lệ" in dialog.summary.text().lower()
    assert all(table.item(r, 5).text() for r in range(table.rowCount()))
    dialog.close()


def test_daily_upload_runs_once_a_day_from_the_configured_time(qtbot, workspace, tmp_path):
    from datetime import datetime

    win = MainWindow(workspace, Settings(upload_daily_at="16:45", upload_folder=str(tmp_path / "usb")))
    qtbot.addWidget(win)
    assert win.delivery.daily_timer.isActive()
    assert win.delivery.maybe_daily_upload(datetime(2026, 11, 27, 16, 40)) is None  # not yet
    job = win.delivery.maybe_daily_upload(datetime(2026, 11, 27, 16, 50))
    assert job is not None
    qtbot.waitUntil(job.handled.is_set, timeout=30000)  # a fast job may finish before a signal wait starts
    qtbot.waitUntil(lambda: win.runner.settled())
    assert win.delivery.maybe_daily_upload(datetime(2026, 11, 27, 18, 0)) is None  # once that day
    job = win.delivery.maybe_daily_upload(datetime(2026, 11, 28, 16, 46))
    assert job is not None
    qtbot.waitUntil(job.handled.is_set, timeout=30000)  # a fast job may finish before a signal wait starts
    qtbot.waitUntil(lambda: win.runner.settled())
    win.close()
    assert not win.delivery.daily_timer.isActive()


def test_pause_button_toggles_the_upload_pause(qtbot, window):
    job = window.delivery.upload()
    assert not window.delivery.pause_button.isHidden()
    window.delivery.toggle_pause()
    assert window.delivery.upload_pause.is_set()
    window.delivery.toggle_pause()
    assert not window.delivery.upload_pause.is_set()
    qtbot.waitUntil(job.handled.is_set, timeout=30000)  # a fast job may finish before a signal wait starts
    qtbot.waitUntil(lambda: window.runner.settled())
    assert window.delivery.pause_button.isHidden()


def test_upload_all_tells_the_clerk_what_the_portal_refused(qtbot, workspace, tmp_path, monkeypatch):
    from tests.test_portal import DevPortal
    from upload import Outbox

    portal = DevPortal(tmp_path / "portal")
    try:
        monkeypatch.setenv("SOHOA_PORTAL_CLIENT_ID", "quay-01")
        monkeypatch.setenv("SOHOA_PORTAL_CLIENT_SECRET", "bi-mat")
        good, closed = tmp_path / "a.pdf", tmp_path / "b.pdf"
        good.write_bytes(b"%PDF-1.7 good" * 100)
        closed.write_bytes(b"%PDF-1.7 closed" * 100)
        box = Outbox(workspace.outbox_path)
        box.enqueue(good, dossier="HS-40", component="Đơn")
        box.enqueue(closed, dossier="TUCHOI-40", component="Đơn")
        box.close()
        win = MainWindow(workspace, Settings(portal_url=portal.url))
        qtbot.addWidget(win)
        shown = []
        monkeypatch.setattr(win, "error", shown.append)
        job = win.delivery.upload()
        qtbot.waitUntil(job.handled.is_set, timeout=60000)
        qtbot.waitUntil(lambda: bool(shown))
        assert "TUCHOI-40" in shown[0] and "1" in win.statusBar().currentMessage()
        assert [e["dossier"] for e in portal.journal()] == ["HS-40"]
        qtbot.waitUntil(lambda: win.runner.settled())
    finally:
        portal.stop()


def test_signing_dialog_picks_the_certificate_and_tells_the_citizen_what_they_sign(
    qtbot, workspace, scan_pdf, token, monkeypatch
):
    from PySide6.QtWidgets import QLineEdit

    from app.gui.sign_dialog import SignDialog

    win = MainWindow(workspace, Settings(pkcs11_modules=(token.module,)))
    qtbot.addWidget(win)
    shown = []
    monkeypatch.setattr(win, "error", shown.append)
    dlg = SignDialog([("Đơn đề nghị", 2)], win)
    qtbot.addWidget(dlg)
    job = win.signing.find_tokens(dlg)
    qtbot.waitUntil(job.handled.is_set, timeout=60000)
    qtbot.waitUntil(lambda: bool(dlg.choices))
    holders = {c.holder: c for c in dlg.choices}
    assert token.holder in holders and token.citizen_id in holders[token.holder].id_text
    expired = [c for c in dlg.choices if c.why_not == "expired"]
    assert expired and all(not c.usable for c in expired)  # listed, but cannot be chosen
    row = next(k for k, c in enumerate(dlg.choices) if c.holder == token.holder and c.usable)
    dlg.certs.setCurrentRow(row)
    dlg.next.click()
    assert dlg.pages.currentIndex() == 1
    text = dlg.statement.text()
    assert token.holder in text and "Đơn đề nghị" in text and token.citizen_id in text
    assert dlg.pin.echoMode() == QLineEdit.EchoMode.Password and not dlg.pin.isHidden()
    dlg.role.setCurrentIndex(1)  # the official's certification of a copy
    dlg.next.click()
    assert "SAO Y" in dlg.statement.text()
    dlg.pin.setText(token.pin)
    assert dlg.take_pin() == token.pin and dlg.pin.text() == ""  # not kept after it is taken

    # the chosen certificate signs the dossier's processed part
    (workspace.root / "trust").mkdir(exist_ok=True)
    (workspace.root / "trust" / "root.pem").write_bytes(token.root_pem.read_bytes())
    workspace.create_dossier("HS-030")
    comp = workspace.component("HS-030", "Đơn đề nghị", create=True)
    workspace.add_artifact(comp.id, "ocr_pdf", scan_pdf, status="processed", meta={"pages": 1})
    choice = holders[token.holder]
    job = win.signing.run_sign(
        "HS-030", choice.module, token.pin, token_label=choice.token_label, cert_label=choice.cert_label
    )
    qtbot.waitUntil(job.handled.is_set, timeout=60000)
    assert job.error is None, (job.error, shown)
    assert workspace.component("HS-030", "Đơn đề nghị").status == "queued"
    win.runner.shutdown()


def test_outbox_panel_shows_what_waits_and_what_was_refused_and_requeues(qtbot, window, workspace, tmp_path):
    from upload import Outbox

    for name in ("a", "b"):
        (tmp_path / f"{name}.pdf").write_bytes(b"%PDF-1.7 " + name.encode())
    outbox = Outbox(workspace.outbox_path)
    waiting, _ = outbox.enqueue(tmp_path / "a.pdf", dossier="HS-050", component="Đơn")
    refused, _ = outbox.enqueue(tmp_path / "b.pdf", dossier="HS-050", component="Bản vẽ")
    outbox.fail_permanently(refused.id, "422: thiếu chữ ký")
    outbox.close()
    dlg = window.delivery.show_outbox()
    cells = {(r, c): dlg.table.item(r, c).text() for r in range(dlg.table.rowCount()) for c in range(6)}
    assert dlg.table.rowCount() == 2 and any("422: thiếu chữ ký" in v for v in cells.values())
    assert "1" in dlg.summary.text() and dlg.retry.isEnabled()
    dlg.retry.click()
    outbox = Outbox(workspace.outbox_path)
    assert outbox.get(refused.id).state == "queued" and outbox.get(waiting.id).state == "queued"
    outbox.close()
    assert not dlg.retry.isEnabled()
    dlg.close()


def test_clerk_turns_keeps_and_deletes_pages_from_the_strip(qtbot, window, workspace, page_png, tmp_path):
    from PIL import Image
    from PySide6.QtCore import Qt

    from app import pipeline

    workspace.create_dossier("HS-060")
    window.refresh()
    window.select_code("HS-060")
    job = window.capture.run_import("HS-060", "Đơn", "document", [str(page_png), str(page_png)])
    qtbot.waitUntil(job.handled.is_set, timeout=60000)
    window.select_component("Đơn")
    window.show_pages()
    assert window.page_strip.count() == 2
    first = window.page_strip.item(0).data(Qt.ItemDataRole.UserRole)
    job = window.pages.edit_page(first, "rotate_right")
    qtbot.waitUntil(job.handled.is_set, timeout=30000)
    page = next(p for p in workspace.pages(workspace.component("HS-060", "Đơn").id) if p.id == first)
    assert page.cleanup_dict["rotation_deg"] == 90
    with Image.open(pipeline.thumbnail_path(workspace, page)) as im:  # the preview turned too
        assert (im.width > im.height) != (page.width > page.height)
    job = window.pages.edit_page(first, "keep_as_scanned")
    qtbot.waitUntil(job.handled.is_set, timeout=30000)
    page = next(p for p in workspace.pages(workspace.component("HS-060", "Đơn").id) if p.id == first)
    c = page.cleanup_dict
    assert c["rotation_deg"] == 0 and c["skew_deg"] == 0 and c["crop"] == [0, 0, page.width, page.height]
    job = window.pages.edit_page(first, "delete")
    qtbot.waitUntil(job.handled.is_set, timeout=30000)
    qtbot.waitUntil(lambda: window.page_strip.count() == 1)
    assert len(workspace.pages(workspace.component("HS-060", "Đơn").id)) == 1


def test_new_dossier_takes_the_qr_gun_and_a_scan_of_the_receipt(qtbot, window, tmp_path):
    from app.gui.dialogs import NewDossierDialog
    from tests.test_codes import CCCD, RECEIPT, _scan

    dlg = NewDossierDialog(window)
    qtbot.addWidget(dlg)
    dlg.card.setFocus()
    qtbot.keyClicks(dlg.card, "001203012345|")  # a QR gun types the card's text (QTest types no
    dlg.card.insert(CCCD.split("|", 1)[1])  # Vietnamese letters: the rest goes in as typed text)
    qtbot.keyClick(dlg.card, Qt.Key.Key_Return)
    assert dlg.applicant_name.text() == "Nguyễn Thị Hồng Nhung" and dlg.applicant_id.text() == "001203012345"
    assert dlg.card.text() == "" and "15/06/1990" in dlg.card_details.text()

    receipt = tmp_path / "bien-nhan.jpg"
    receipt.write_bytes(_scan(200))
    other = NewDossierDialog(window)
    qtbot.addWidget(other)
    job = window.capture.read_codes_into(other, str(receipt))
    qtbot.waitUntil(job.handled.is_set, timeout=30000)
    qtbot.waitUntil(lambda: other.code.text() == RECEIPT)
    assert other.applicant_id.text() == "001203012345"


def test_new_dossier_reads_the_card_held_up_to_the_camera(qtbot, window, tmp_path):
    """The camera path end to end, with a recorded clip as the camera (this machine has none)."""
    import numpy as np

    from app.gui.dialogs import NewDossierDialog
    from tests.test_camera import _card, _clip, _frame

    rng = np.random.default_rng(7)
    card = _card()
    clip = _clip(
        tmp_path / "webcam.avi",
        [_frame(card, 120 - 40 * k, 0, 31, rng) for k in range(4)] + [_frame(card, 0, 0, 0, rng)] * 2,
    )
    dlg = NewDossierDialog(window)
    qtbot.addWidget(dlg)
    camera = window.capture.read_card_with_camera(dlg, sources=[clip])
    assert camera.parent() is dlg  # usable while the new-dossier dialog is modal
    camera.start_button.click()
    qtbot.waitUntil(camera.job.handled.is_set, timeout=30000)
    qtbot.waitUntil(lambda: dlg.applicant_id.text() == "001203012345", timeout=5000)
    assert dlg.applicant_name.text() == "Nguyễn Thị Hồng Nhung" and "15/06/1990" in dlg.card_details.text()
    assert camera.result.frames == 5 and not camera.view.pixmap().isNull()  # the clerk saw the frames
    assert not camera.timer.isActive() and not camera.isVisible()

    none = window.capture.read_card_with_camera(dlg, sources=[])
    assert not none.start_button.isEnabled() and "No camera" in none.hint.text()
    none.close()


def test_checklist_shows_what_the_dossier_still_lacks(qtbot, window, workspace, page_png):
    workspace.create_dossier("HS-070", procedure="Đăng ký khai sinh")
    window.refresh()
    window.select_code("HS-070")
    assert (
        "Giấy chứng sinh" in window.checklist.text()
        and "Tờ khai đăng ký khai sinh" in window.checklist.text()
    )
    job = window.capture.run_import("HS-070", "Giấy chứng sinh", "document", [str(page_png)])
    qtbot.waitUntil(job.handled.is_set, timeout=60000)
    qtbot.waitUntil(lambda: "Giấy chứng sinh" not in window.checklist.text())
    assert "Tờ khai đăng ký khai sinh" in window.checklist.text()
    assert "Giấy chứng nhận kết hôn" not in window.checklist.text()  # optional


def test_after_a_crash_the_window_offers_to_resume_the_work_left_half_done(qtbot, workspace, page_png):
    from app import pipeline

    workspace.create_dossier("HS-080")
    pipeline.import_into(workspace, "HS-080", "Đơn", [str(page_png)])  # scanned, not processed
    workspace.record("job.begin", "Recognising text HS-080", {"id": "crashed-1"})  # then the power went
    win = MainWindow(workspace, Settings(ocr_jobs=1))
    qtbot.addWidget(win)
    assert not win.recovery.bar.isHidden() and "1" in win.recovery.text.text()
    assert "Recognising text HS-080" in win.recovery.text.text()
    job = win.recovery.resume_work()
    assert win.recovery.bar.isHidden()
    qtbot.waitUntil(job.handled.is_set, timeout=120000)
    assert job.error is None and workspace.component("HS-080", "Đơn").status == "processed"
    qtbot.waitUntil(lambda: win.runner.settled())
    win.runner.shutdown()
    again = MainWindow(workspace, Settings())  # nothing left: no offer
    qtbot.addWidget(again)
    assert again.recovery.bar.isHidden()


def test_activity_shows_who_did_what_and_diagnostics_go_to_the_clipboard(qtbot, window, workspace, page_png):
    from PySide6.QtWidgets import QApplication

    workspace.create_dossier("HS-090")
    window.refresh()
    window.select_code("HS-090")
    job = window.capture.run_import("HS-090", "Đơn", "document", [str(page_png)])
    qtbot.waitUntil(job.handled.is_set, timeout=60000)
    qtbot.waitUntil(lambda: window.runner.settled())
    dlg = window.support.show_diagnostics()
    actions = [dlg.audit.item(r, 2).text() for r in range(dlg.audit.rowCount())]
    assert "page.capture" in actions and "job.begin" in actions
    job = window.support.copy_diagnostics()
    qtbot.waitUntil(job.handled.is_set, timeout=60000)
    qtbot.waitUntil(
        lambda: (
            "Tesseract" in QApplication.clipboard().text() or "tesseract" in QApplication.clipboard().text()
        )
    )
    text = QApplication.clipboard().text()
    assert "--- log ---" in text and "ocr_languages" in text  # the settings in effect are in the report
    assert dlg.trail.text().startswith("Audit trail intact")
    dlg.close()
    workspace.db.execute("DROP TRIGGER events_no_update")  # someone edits the trail by hand
    workspace.db.execute("UPDATE events SET actor = 'ai đó' WHERE id = 1")
    workspace.db.conn.commit()
    dlg = window.support.show_diagnostics()
    assert "changed outside SoHoa" in dlg.trail.text() and "entry 1" in dlg.trail.text()
    dlg.close()


def test_settings_dialog_saves_applies_and_keeps_the_admins_locks(qtbot, workspace, tmp_path, monkeypatch):
    from app.config import load_settings

    admin = tmp_path / "admin.json"
    admin.write_text(json.dumps({"sign_level": "B-B", "locked": ["sign_level"]}), encoding="utf-8")
    monkeypatch.setenv("SOHOA_ADMIN_CONFIG", str(admin))
    settings, _ = load_settings(workspace.root)
    win = MainWindow(workspace, settings)
    qtbot.addWidget(win)
    dlg = win.support.edit_settings()
    _spec, level = dlg.editors["sign_level"]
    assert not level.isEnabled()  # the administrator fixed it
    _spec, daily = dlg.editors["upload_daily_at"]
    daily.setText("25:99")
    dlg._check_and_accept()
    assert dlg.isVisible() and "upload_daily_at" in dlg.error.text()  # says which value is wrong
    daily.setText("17:30")
    dlg.editors["retention_days"][1].setValue(60)
    dlg._check_and_accept()
    assert win.settings.upload_daily_at == "17:30" and win.delivery.daily_timer.isActive()
    saved = json.loads((workspace.root / "settings.json").read_text(encoding="utf-8"))
    assert saved["retention_days"] == 60 and "sign_level" not in saved
    again, sources = load_settings(workspace.root)
    assert again.retention_days == 60 and sources["sign_level"].startswith("admin")
    win.close()


def test_qts_own_buttons_speak_vietnamese(qapp):
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QDialogButtonBox

    from app import i18n

    try:
        assert i18n.install("vi", qt=True) == "vi"
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Save)
        texts = {b.text().replace("&", "") for b in box.buttons()}
        assert texts == {"Hủy", "Lưu"}, texts
        assert QCoreApplication.translate("QLineEdit", "&Paste") == "&Dán"
    finally:
        i18n.install("en", qt=True)


def test_dragging_a_page_in_the_strip_keeps_the_new_order(qtbot, window, workspace, page_png, tmp_path):
    from PySide6.QtCore import QModelIndex

    workspace.create_dossier("HS-095")
    window.refresh()
    window.select_code("HS-095")
    job = window.capture.run_import("HS-095", "Đơn", "document", [str(page_png)] * 3)
    qtbot.waitUntil(job.handled.is_set, timeout=60000)
    qtbot.waitUntil(lambda: window.runner.settled())
    window.select_component("Đơn")
    window.show_pages()
    before = [window.page_strip.item(k).data(Qt.ItemDataRole.UserRole) for k in range(3)]
    assert window.page_strip.model().moveRow(
        QModelIndex(), 2, QModelIndex(), 0
    )  # the last page dragged first
    qtbot.waitUntil(lambda: window.runner.settled(), timeout=30000)
    after = [p.id for p in workspace.pages(workspace.component("HS-095", "Đơn").id)]
    assert after == [before[2], before[0], before[1]]


def test_time_left_is_said_once_there_is_a_pace():
    from app.gui.jobs import time_left

    assert time_left(0, 20, 5.0) is None and time_left(1, 20, 0.5) is None  # too early to say
    assert time_left(5, 20, 30.0) == pytest.approx(90.0)
    assert time_left(20, 20, 60.0) is None


def test_one_stack_split_into_two_parts_and_merged_back(qtbot, window, workspace, page_png):
    workspace.create_dossier("HS-096")
    window.refresh()
    window.select_code("HS-096")
    job = window.capture.run_import("HS-096", "Đơn", "document", [str(page_png)] * 4)
    qtbot.waitUntil(job.handled.is_set, timeout=60000)
    pages = workspace.pages(workspace.component("HS-096", "Đơn").id)
    job = window.pages.split_at(pages[2].id, "Giấy chứng sinh")
    qtbot.waitUntil(job.handled.is_set, timeout=30000)
    assert job.error is None
    first = workspace.pages(workspace.component("HS-096", "Đơn").id)
    second = workspace.pages(workspace.component("HS-096", "Giấy chứng sinh").id)
    assert [p.id for p in first] == [pages[0].id, pages[1].id]
    assert [p.id for p in second] == [pages[2].id, pages[3].id] and [p.position for p in second] == [0, 1]
    job = window.pages.merge("HS-096", "Giấy chứng sinh", "Đơn")
    qtbot.waitUntil(job.handled.is_set, timeout=30000)
    assert job.error is None
    assert [p.id for p in workspace.pages(workspace.component("HS-096", "Đơn").id)] == [p.id for p in pages]
    assert workspace.find_component("HS-096", "Giấy chứng sinh") is None
    qtbot.waitUntil(lambda: window.runner.settled())


def test_clerk_checks_the_pages_ocr_could_hardly_read_and_the_blank_ones(qtbot, window, workspace, tmp_path):
    from PIL import Image

    from app import pipeline
    from app.gui.review_dialog import ReviewDialog
    from tests.fixtures import save_png, vietnamese_page
    from tests.test_review import DPI, degraded_page

    files = [
        save_png(vietnamese_page(dpi=DPI), tmp_path / "1.png", DPI),
        save_png(degraded_page(), tmp_path / "2.png", DPI),
        save_png(Image.new("L", (1654, 1000), 250), tmp_path / "3.png", DPI),
    ]
    workspace.create_dossier("HS-080")
    window.refresh()
    window.select_code("HS-080")
    job = window.capture.run_import("HS-080", "Đơn", "document", [str(f) for f in files])
    qtbot.waitUntil(job.handled.is_set, timeout=60000)
    job = window.capture.process()
    qtbot.waitUntil(job.handled.is_set, timeout=120000)
    assert job.result == 2 and "2 page(s) to check" in window.statusBar().currentMessage()
    window.select_component("Đơn")
    window.show_pages()
    captions = [window.page_strip.item(k).text() for k in range(3)]
    assert captions == ["1", "2 - hard to read?", "3 - blank?"]
    assert _cells(window.component_view, 2) == ["3 (2 to check)"]

    window.pages.review_pages()
    dlg: ReviewDialog = window.pages.review_dialog
    assert dlg.heading.text() == "Đơn, page 2 (2 to check)" and "hard to read" in dlg.reason.text()
    qtbot.waitUntil(lambda: not dlg.image.pixmap().isNull(), timeout=10000)
    shown = dlg.image.pixmap()
    assert shown.width() >= 600 and abs(shown.width() / shown.height() - 8.27 / 5.0) < 0.05  # large, whole
    dlg.right_button.click()  # a quarter turn: the same page comes back, turned
    qtbot.waitUntil(lambda: window.runner.settled(), timeout=30000)
    qtbot.waitUntil(lambda: dlg.image.pixmap().height() > dlg.image.pixmap().width(), timeout=10000)
    assert dlg.heading.text() == "Đơn, page 2 (2 to check)"
    assert workspace.page(dlg.current[1].page.id).cleanup_dict["rotation_deg"] % 180 == 90
    dlg.left_button.click()
    qtbot.waitUntil(lambda: window.runner.settled(), timeout=30000)
    qtbot.waitUntil(lambda: dlg.image.pixmap().width() > dlg.image.pixmap().height(), timeout=10000)
    dlg.skip_button.click()  # later: the blank one first
    assert dlg.heading.text() == "Đơn, page 3 (2 to check)" and "blank" in dlg.reason.text()
    dlg.delete_button.click()
    assert dlg.heading.text() == "Đơn, page 2 (1 to check)"
    qtbot.waitUntil(lambda: window.runner.settled(), timeout=30000)
    dlg.keep_button.click()
    qtbot.waitUntil(lambda: window.runner.settled(), timeout=30000)
    qtbot.waitUntil(lambda: dlg.heading.text() == "No page left to check in this dossier.", timeout=10000)
    assert not dlg.keep_button.isEnabled()
    comp = workspace.component("HS-080", "Đơn")
    assert len(workspace.pages(comp.id)) == 2 and pipeline.flagged_pages(workspace, comp) == []
    assert comp.status == "captured"  # a page was deleted: the PDF is made again
    dlg.close()
    window.step_component(1)
    assert window.current_component_name() == "Đơn"


def test_keyboard_moves_between_the_parts_of_a_dossier(qtbot, window, workspace, page_png):
    workspace.create_dossier("HS-081")
    window.refresh()
    window.select_code("HS-081")
    for name in ("Đơn", "Bản vẽ", "CCCD"):
        job = window.capture.run_import("HS-081", name, "document", [str(page_png)])
        qtbot.waitUntil(job.handled.is_set, timeout=60000)
    names = [c.name for c, _n in window.components.rows]
    window.select_component(names[0])
    seen = []
    for _ in range(3):
        window.actions_by_name["next_part"].trigger()
        seen.append(window.current_component_name())
    assert seen == [names[1], names[2], names[0]]
    window.actions_by_name["previous_part"].trigger()
    assert window.current_component_name() == names[2]
    assert window.actions_by_name["next_part"].shortcut().toString() == "Ctrl+PgDown"


def test_the_list_shows_todays_and_unsent_dossiers_and_finds_by_name_without_accents(qtbot, workspace):
    for code, name in (
        ("HS-OLD-SENT", "Trần Văn Bình"),
        ("HS-OLD-OPEN", "Lê Thị Đào"),
        ("HS-TODAY", "Nguyễn Văn An"),
    ):
        workspace.create_dossier(code, applicant_name=name)
    workspace.db.execute(
        "UPDATE dossiers SET created_at = '2026-01-05T02:00:00.000+00:00' WHERE code LIKE 'HS-OLD-%'"
    )
    workspace.update_dossier("HS-OLD-SENT", status="uploaded")
    workspace.db.conn.commit()
    win = MainWindow(workspace, Settings())
    qtbot.addWidget(win)
    assert _cells(win.dossier_view, 0) == ["HS-TODAY", "HS-OLD-OPEN"]  # the one sent last January is put away
    win.scope.setCurrentIndex(win.scope.findData("all"))
    assert sorted(_cells(win.dossier_view, 0)) == ["HS-OLD-OPEN", "HS-OLD-SENT", "HS-TODAY"]
    win.find.setText("tran van")  # typed without accents
    assert _cells(win.dossier_view, 0) == ["HS-OLD-SENT"] and win.current_code() == "HS-OLD-SENT"
    win.find.setText("dao")
    assert _cells(win.dossier_view, 0) == ["HS-OLD-OPEN"]
    win.find.clear()
    assert len(_cells(win.dossier_view, 0)) == 3
    assert win.actions_by_name["find"].shortcut().toString() == "Ctrl+F"

"""The remote signing dialog: certificates by holder, CA and validity; the waiting step in large
type with the time left; a refusal brings the clerk back with the message."""

from __future__ import annotations

from signing.certinfo import describe
from signing.remote import RemoteCredential


def _credential(der: bytes, name: str) -> RemoteCredential:
    return RemoteCredential("csc", name, describe(der, has_key=True))


def test_certificates_listed_expired_ones_not_chosen_then_waiting_and_back(qtbot, test_pki):
    from app.gui.remote_dialog import RemoteSignDialog

    users = test_pki.remote
    dlg = RemoteSignDialog(
        [("Đơn đề nghị", 2), ("Bản vẽ", 1)],
        [("csc", "CSC"), ("vnpt-smartca", "VNPT SmartCA")],
        provider="vnpt-smartca",
        user_id="001190012345",
    )
    qtbot.addWidget(dlg)
    assert dlg.provider.currentData() == "vnpt-smartca" and dlg.user_id.text() == "001190012345"
    expired = _credential(users["r_expired"].cert_der, "old")
    good = _credential(users["r_citizen"].cert_der, "new")
    dlg.show_certificates([expired, good])
    assert dlg.certs.count() == 2 and "Hoàng Thị Mai" in dlg.certs.item(1).text()
    assert "SoHoa Test Issuing CA" in dlg.certs.item(1).text()
    assert dlg.chosen() is good and dlg.ask_button.isEnabled()
    dlg.certs.setCurrentRow(0)
    assert dlg.chosen() is None and not dlg.ask_button.isEnabled()  # an expired certificate cannot sign

    dlg.certs.setCurrentRow(1)
    dlg.waiting(95)
    assert dlg.pages.currentIndex() == 1 and dlg.cancel_button.isVisibleTo(dlg)
    assert "Đơn đề nghị" in dlg.statement.text() and "Hoàng Thị Mai" in dlg.statement.text()
    assert "1:3" in dlg.countdown.text()  # 1:35 or 1:34 left
    dlg.show_message("refused on the phone")
    assert dlg.pages.currentIndex() == 0 and dlg.status.text() == "refused on the phone"
    assert not dlg.timer.isActive()


def test_the_window_finishes_a_remote_signature_a_restart_left(
    qtbot, workspace, sohoa_home, test_pki, pki_services, token, scan_pdf, monkeypatch
):
    import shutil

    import httpx

    from app.config import Settings
    from app.gui.main_window import MainWindow
    from tests import remote

    proc, url = remote.ref_service(test_pki, "smartca")
    try:
        remote.control(url, mode="manual")
        remote.processed_dossier("HS-090", scan_pdf, 2)
        asked = remote.killed_while_waiting(
            url, "HS-090", token.citizen_id
        )  # the window closed, the phone not
        for name, value in remote.SP_ENV.items():
            monkeypatch.setenv(name, value)
        (sohoa_home / "trust").mkdir(exist_ok=True)
        shutil.copy(test_pki.root_pem, sohoa_home / "trust" / "root.pem")
        win = MainWindow(workspace, Settings(remote_provider="vnpt-smartca", remote_url=url))
        qtbot.addWidget(win)
        assert not win.recovery.bar.isHidden() and "HS-090" in win.recovery.text.text()
        httpx.post(f"{url}/_control/approve", json={"id": asked["id"]}).raise_for_status()
        job = win.recovery.resume_work()
        qtbot.waitUntil(job.handled.is_set, timeout=60000)
        assert job.error is None and job.result == []  # nothing left unfinished
        assert {c.status for c in workspace.components("HS-090")} == {"queued"}
        qtbot.waitUntil(lambda: win.runner.settled())
        win.runner.shutdown()
    finally:
        proc.stop()


def test_window_citizen_signs_with_pin_and_phone_code_then_the_official_certifies(
    qtbot, workspace, sohoa_home, test_pki, pki_services, scan_pdf, monkeypatch
):
    """Both through the window, at a CSC service whose certificates ask for a PIN and an online code."""
    import shutil
    import subprocess

    import httpx

    from app.config import Settings
    from app.gui.main_window import MainWindow
    from tests import remote

    pin, otp = "482916", "735201"
    proc, url = remote.csc_dummy(test_pki, scal=2, multisign=20, pin=pin, otp=otp)
    try:
        remote.processed_dossier("HS-091", scan_pdf, 2)
        (sohoa_home / "trust").mkdir(exist_ok=True)
        shutil.copy(test_pki.root_pem, sohoa_home / "trust" / "root.pem")
        win = MainWindow(workspace, Settings(remote_provider="csc", remote_url=url))
        qtbot.addWidget(win)
        win.select_code("HS-091")
        for role, user_id in (("citizen", "001190012345"), ("official", "001079033333")):
            dlg = win.signing.sign_remote()
            dlg.role.setCurrentIndex(dlg.role.findData(role))
            dlg.user_id.setText(user_id)
            dlg.find_requested.emit()
            qtbot.waitUntil(lambda d=dlg: d.certs.count() > 0, timeout=30000)
            assert dlg.pin.isVisibleTo(dlg) and dlg.send_code.isVisibleTo(dlg)
            assert not dlg.ask_button.isEnabled()  # not without the PIN and the code
            dlg.send_code.click()
            qtbot.waitUntil(lambda d=dlg: "sent" in d.status.text(), timeout=30000)
            assert httpx.get(url.replace("/csc/v1", "/_test/otp")).json()["sent"] >= 1
            dlg.pin.setText(pin)
            dlg.otp.setText(otp)
            assert dlg.ask_button.isEnabled()
            dlg.ask_button.click()
            assert dlg.pin.text() == "" and dlg.otp.text() == ""  # not kept in the dialog
            qtbot.waitUntil(lambda d=dlg: d.result() == d.DialogCode.Accepted, timeout=120000)
            qtbot.waitUntil(lambda: win.runner.settled(), timeout=60000)
        comps = workspace.components("HS-091")
        assert {c.status for c in comps} == {"queued"}
        from app.workspace import ArtifactKind

        art = workspace.latest_artifact(comps[0].id, ArtifactKind.SIGNED_PDF)
        signed = workspace.blobs.path(art.blob)
        pdfsig = subprocess.run(["pdfsig", str(signed)], capture_output=True, text=True)
        assert pdfsig.stdout.count("Signature is Valid") == 2, pdfsig.stdout
        assert "Hoàng Thị Mai" in pdfsig.stdout and "Ngô Văn Tùng" in pdfsig.stdout
        win.runner.shutdown()
    finally:
        proc.stop()

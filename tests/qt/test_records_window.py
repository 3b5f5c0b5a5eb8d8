"""Data records in the window: look up (the applicant's ID filled in), the answer shown as it will be
printed, saved into the dossier, signed by the official; two records compared side by side."""

from __future__ import annotations

import json
import shutil
import sys

import httpx

from tests import pki

API_KEY = "ndxp-window-key"


def test_look_up_save_sign_and_compare_two_records(
    qtbot, workspace, sohoa_home, test_pki, pki_services, official_token, monkeypatch
):
    from app.config import Settings
    from app.gui.main_window import MainWindow

    port = pki.free_port()
    proc = pki.Process(
        [sys.executable, "-m", "records.devdata", "--port", str(port), "--api-key", API_KEY],
        port,
        sohoa_home / "devdata.log",
    ).start()
    try:
        url = f"http://127.0.0.1:{port}"
        (sohoa_home / "data_services.json").write_text(
            json.dumps({"services": {"population": {"url": f"{url}/dancu/v1/congdan"}}})
        )
        monkeypatch.setenv("SOHOA_DATA_API_KEY", API_KEY)
        (sohoa_home / "trust").mkdir(exist_ok=True)
        shutil.copy(test_pki.root_pem, sohoa_home / "trust" / "root.pem")
        workspace.create_dossier(
            "HS-DL-9", applicant_name="Nguyễn Thị Hồng Nhung", applicant_id="001203012345"
        )
        win = MainWindow(workspace, Settings(tsa_url=test_pki.tsa_url))
        qtbot.addWidget(win)
        win.records.sign_after_save = False
        win.select_code("HS-DL-9")
        for round_ in range(2):
            dlg = win.records.look_up()
            assert dlg.fields["SoDinhDanh"].text() == "001203012345" and not dlg.save.isEnabled()
            dlg.look.click()
            qtbot.waitUntil(lambda d=dlg: d.table.rowCount() > 0, timeout=30000)
            cells = {
                dlg.table.item(r, 0).text(): dlg.table.item(r, 1).text() for r in range(dlg.table.rowCount())
            }
            assert cells["Họ và tên"] == "Nguyễn Thị Hồng Nhung" and dlg.save.isEnabled()
            dlg.save.click()
            qtbot.waitUntil(lambda d=dlg: d.result() == d.DialogCode.Accepted, timeout=30000)
            job = win.signing.run_sign(
                "HS-DL-9",
                official_token.module,
                official_token.pin,
                role="record",
                token_label=official_token.label,
            )
            qtbot.waitUntil(job.handled.is_set, timeout=60000)
            assert job.error is None, job.error
            if round_ == 0:
                httpx.post(f"{url}/_control/advance", json={"subject": "001203012345"}).raise_for_status()
        comps = workspace.components("HS-DL-9")
        assert [c.kind for c in comps] == ["record", "record"] and {c.status for c in comps} == {"queued"}
        events = [e for e in workspace.events(50) if e["action"] == "data.lookup"]
        assert len(events) == 2

        listing = win.records.show_records()
        assert listing.table.rowCount() == 2 and not listing.compare.isEnabled()
        listing.table.selectAll()
        assert listing.compare.isEnabled()
        job = win.records.compare(listing.selected(), listing)
        qtbot.waitUntil(lambda: getattr(win.records, "compare_dialog", None) is not None, timeout=30000)
        shown = win.records.compare_dialog
        kinds = {label: kind for label, _old, _new, kind in shown.rows}
        assert kinds["Nơi thường trú: phường, xã"] == "changed" and kinds["Họ và tên"] == ""
        assert kinds["Tình trạng hôn nhân"] == "removed"
        assert shown.table.rowCount() == len(shown.rows) and job.error is None
        qtbot.waitUntil(lambda: win.runner.settled())
        win.runner.shutdown()
    finally:
        proc.stop()

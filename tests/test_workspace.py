"""The workspace: schema and migrations, atomic blobs, and survival of SIGKILL at any moment."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from app.workspace import SCHEMA_VERSION, BlobStore, DossierExists, DossierNotFound, Workspace, WorkspaceNewer
from tests.conftest import ROOT


def test_dossier_components_pages_and_artifacts(tmp_path):
    with Workspace(tmp_path / "ws") as ws:
        assert ws.schema_version() == SCHEMA_VERSION
        d = ws.create_dossier(
            "HS-1", procedure="Cấp phép", applicant_name="Trần Văn Đức", applicant_id="079123456789"
        )
        assert d.status == "open"
        with pytest.raises(DossierExists):
            ws.create_dossier("HS-1")
        comp = ws.component("HS-1", "Bản vẽ", create=True, kind="drawing")
        assert comp.kind == "drawing" and comp.status == "empty"
        p1 = ws.add_page(comp.id, b"page-one", fmt="png", dpi=300, width=10, height=20, rotation=90)
        p2 = ws.add_page(comp.id, b"page-two", fmt="png", dpi=300, width=10, height=20)
        assert [p.position for p in ws.pages(comp.id)] == [0, 1]
        assert ws.blobs.read_bytes(p1.blob) == b"page-one"
        assert ws.rotate_page(p2.id, 270).rotation == 270
        assert ws.component("HS-1", "Bản vẽ").status == "captured"
        src = tmp_path / "out.pdf"
        src.write_bytes(b"%PDF-1.7 fake")
        art = ws.add_artifact(comp.id, "ocr_pdf", src, status="processed", meta={"pages": 2})
        assert ws.latest_artifact(comp.id, "ocr_pdf") == art and art.meta_dict == {"pages": 2}
        assert ws.component("HS-1", "Bản vẽ").status == "processed"
        assert {e["action"] for e in ws.events()} >= {"dossier.create", "page.capture", "artifact.ocr_pdf"}
        assert ws.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        with pytest.raises(DossierNotFound) as err:
            ws.dossier("HS-404")
        assert "HS-404" in str(err.value)
    if os.name == "posix":
        assert (tmp_path / "ws").stat().st_mode & 0o077 == 0


def test_reopen_keeps_data_and_refuses_a_newer_schema(tmp_path):
    with Workspace(tmp_path) as ws:
        ws.create_dossier("HS-9")
    with Workspace(tmp_path) as ws:
        assert [d.code for d in ws.dossiers()] == ["HS-9"]
        ws.db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    with pytest.raises(WorkspaceNewer):
        Workspace(tmp_path)


def test_a_workspace_of_schema_5_is_migrated_and_its_stitched_sheets_get_their_own_kind(tmp_path):
    """Before schema 6 a drawing's stitched sheet was stored as an OCR PDF; the migration tells it
    apart (documents' OCR PDFs stay what they are) and leaves the audit chain intact."""
    import sqlite_utils

    from app.workspace import schema
    from common.sqlite import connect

    root = tmp_path / "ws"
    root.mkdir()
    db = sqlite_utils.Database(connect(root / "workspace.sqlite"))
    for version, migration in enumerate(schema.MIGRATIONS[:5]):
        migration(db)
        db.execute(f"PRAGMA user_version={version + 1}")
    now = "2026-11-20T08:00:00.000+00:00"
    db.execute("INSERT INTO dossiers (code, created_at, updated_at) VALUES ('HS-5', ?, ?)", [now, now])
    for cid, (name, kind) in enumerate((("Đơn", "document"), ("Bản vẽ", "drawing")), start=1):
        db.execute(
            "INSERT INTO components (id, dossier_id, name, kind, status, created_at, updated_at)"
            " VALUES (?, 1, ?, ?, 'processed', ?, ?)",
            [cid, name, kind, now, now],
        )
        db.execute(
            "INSERT INTO artifacts (component_id, kind, blob, size, created_at) VALUES (?, 'ocr_pdf', ?, 1, ?)",
            [cid, f"{cid:064x}", now],
        )
    db.conn.commit()
    db.conn.close()
    with Workspace(root) as ws:
        assert ws.schema_version() == SCHEMA_VERSION >= 6
        doc, drawing = ws.components("HS-5")
        assert ws.made_pdf(doc.id).kind == "ocr_pdf" and ws.made_pdf(drawing.id).kind == "sheet_pdf"
        assert ws.latest_artifact(drawing.id, "ocr_pdf") is None
        assert ws.verify_audit().ok
        # schema 8: a part may be a data record; rows and pages kept, the CHECK still checks
        record = ws.component("HS-5", "Phiếu kết quả khai thác dữ liệu", create=True, kind="record")
        assert record.kind == "record" and len(ws.components("HS-5")) == 3
        with pytest.raises(sqlite3.IntegrityError):
            ws.db.execute("UPDATE components SET kind = 'other' WHERE id = ?", [record.id])
        assert ws.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_store_refuses_a_move_the_lifecycle_does_not_allow(tmp_path):
    from app.workspace import LOCKED, Status, WorkspaceError

    assert Status.CAPTURED.editable and not any(s.editable for s in LOCKED)
    with Workspace(tmp_path / "ws") as ws:
        ws.create_dossier("HS-6")
        comp = ws.component("HS-6", "Đơn", create=True)
        with pytest.raises(WorkspaceError):
            ws.set_component_status(comp.id, Status.UPLOADED)  # never sent anything
        ws.add_page(comp.id, b"\x89PNG page", fmt="png", dpi=300, width=10, height=10)
        assert ws.component("HS-6", "Đơn").status == Status.CAPTURED
        ws.set_component_status(comp.id, Status.PROCESSED)
        ws.set_component_status(comp.id, Status.SIGNED)
        ws.set_component_status(comp.id, Status.QUEUED)
        ws.set_component_status(comp.id, Status.UPLOADED)
        ws.purge_component(comp.id, reason="test")
        for later in (Status.CAPTURED, Status.SIGNED, Status.UPLOADED):
            with pytest.raises(WorkspaceError):
                ws.set_component_status(comp.id, later)  # a purged part moves no more
        assert ws.component("HS-6", "Đơn").status == Status.PURGED


def test_blob_store_is_content_addressed_and_cleans_crash_leftovers(tmp_path):
    store = BlobStore(tmp_path)
    digest = store.put_bytes(b"abc")
    assert digest == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert store.put_bytes(b"abc") == digest and store.path(digest).read_bytes() == b"abc"
    (store.tmp / "x.part").write_bytes(b"half")  # being written now, by another thread: kept
    assert store.clean_tmp() == 0 and (store.tmp / "x.part").exists()
    old = time.time() - 2 * 3600  # left by a crash two hours ago: removed
    os.utime(store.tmp / "x.part", (old, old))
    assert store.clean_tmp() == 1 and not (store.tmp / "x.part").exists()
    with pytest.raises(ValueError):
        store.path("../../etc/passwd")


WRITER = r"""
import sys, os
sys.path.insert(0, %r)
from app.workspace import Workspace
ws = Workspace(sys.argv[1])
n = 0
while True:
    code = f"HS-{os.getpid()}-{n}"
    ws.create_dossier(code, applicant_name="Lê Thị Mai")
    comp = ws.component(code, "Đơn", create=True)
    for i in range(3):
        ws.add_page(comp.id, os.urandom(20000), fmt="png", dpi=300, width=1, height=1)
    n += 1
    if n == 1:
        print("ready", flush=True)
"""


def test_sigkill_at_any_moment_leaves_a_workspace_that_reopens(tmp_path):
    rng = random.Random(20261127)
    root = tmp_path / "ws"
    for _ in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER % str(ROOT), str(root)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with Workspace(root) as ws:
            assert ws.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            for d in ws.dossiers():
                for comp in ws.components(d.code):
                    for page in ws.pages(comp.id):
                        assert len(ws.blobs.read_bytes(page.blob)) == 20000
    with Workspace(root) as ws:
        assert len(ws.dossiers()) >= 6


def test_retention_deletes_delivered_copies_and_records_it(tmp_path):
    import sqlite3
    from datetime import UTC, datetime, timedelta

    from app import pipeline
    from app.config import Settings
    from upload import Outbox

    ws = Workspace(tmp_path / "ws")
    ws.create_dossier("HS-30")
    sent = ws.component("HS-30", "Đơn", create=True)
    kept = ws.component("HS-30", "Bản vẽ", create=True)
    files = {}
    for comp, content in ((sent, b"%PDF delivered"), (kept, b"%PDF waiting")):
        f = tmp_path / f"{comp.id}.pdf"
        f.write_bytes(content)
        art = ws.add_artifact(comp.id, "signed_pdf", f, status="signed")
        ws.set_component_status(comp.id, "queued")
        files[comp.id] = art.blob
    box = Outbox(ws.outbox_path)
    for comp in (sent, kept):
        box.enqueue(ws.blobs.path(files[comp.id]), dossier="HS-30", component=comp.name)
    box.confirm([1], {1: {"receipt_id": "BN-1"}})
    pipeline.mark_sent(ws, "HS-30", sent.name, files[sent.id])
    assert ws.component("HS-30", "Đơn").status == "uploaded"
    settings = Settings(retention_days=30)
    assert pipeline.purge_expired(ws, settings, box) == []  # confirmed today: kept for 30 days
    long_ago = (datetime.now(UTC) - timedelta(days=31)).isoformat()
    with sqlite3.connect(box.path) as db:
        db.execute("UPDATE items SET confirmed_at = ? WHERE id = 1", [long_ago])
    assert pipeline.purge_expired(ws, settings, box) == [1]
    assert not ws.blobs.exists(files[sent.id]) and ws.blobs.exists(files[kept.id])
    assert ws.component("HS-30", "Đơn").status == "purged"
    assert ws.latest_artifact(sent.id, "signed_pdf").purged_at is not None
    assert ws.check_integrity() == []
    (event,) = [e for e in ws.events() if e["action"] == "retention.purge"]
    assert files[sent.id] in event["detail"]
    assert pipeline.purge_expired(ws, settings, box) == []  # once
    box.close()
    ws.close()

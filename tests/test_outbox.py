"""The outbox and the folder target: queued once, delivered once, recovered after a crash."""

from __future__ import annotations

import hashlib
import json

import pytest

from upload import FolderTarget, Outbox, run_upload
from upload.errors import FileMissing, TargetUnavailable
from upload.runner import new_batch_id


@pytest.fixture
def outbox(tmp_path):
    box = Outbox(tmp_path / "outbox.sqlite")
    yield box
    box.close()


def _file(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_enqueue_is_idempotent_per_content_and_component(tmp_path, outbox):
    f = _file(tmp_path, "a.pdf", b"%PDF signed one")
    item, created = outbox.enqueue(f, dossier="HS-1", component="Đơn")
    assert (
        created and item.state == "queued" and item.sha256 == hashlib.sha256(b"%PDF signed one").hexdigest()
    )
    again, created_again = outbox.enqueue(f, dossier="HS-1", component="Đơn")
    assert not created_again and again.id == item.id
    _, other = outbox.enqueue(f, dossier="HS-1", component="Bản vẽ")
    assert other
    assert len(outbox.items()) == 2
    with pytest.raises(FileMissing):
        outbox.enqueue(tmp_path / "nope.pdf", dossier="HS-1", component="Đơn")


def test_new_version_of_a_part_supersedes_the_one_still_waiting(tmp_path, outbox):
    citizen = _file(tmp_path, "citizen.pdf", b"%PDF signed by the citizen")
    first, _ = outbox.enqueue(citizen, dossier="HS-2", component="Giấy phép")
    sending = _file(tmp_path, "other.pdf", b"%PDF another part")
    other, _ = outbox.enqueue(sending, dossier="HS-2", component="Bản vẽ")
    outbox.begin_batch([other.id], "b1")  # already on its way: must not be touched
    official = _file(tmp_path, "official.pdf", b"%PDF certified by the official")
    second, created = outbox.enqueue(official, dossier="HS-2", component="Giấy phép")
    assert created
    states = {i.id: i.state for i in outbox.items()}
    assert states == {first.id: "superseded", other.id: "uploading", second.id: "queued"}
    assert [i.id for i in outbox.due()] == [second.id]


def test_items_survive_reopening(tmp_path):
    f = _file(tmp_path, "a.pdf", b"x")
    box = Outbox(tmp_path / "o.sqlite")
    box.enqueue(f, dossier="HS-1", component="Đơn")
    box.close()
    box = Outbox(tmp_path / "o.sqlite")
    assert [i.dossier for i in box.due()] == ["HS-1"]
    box.close()


def test_folder_delivery_and_nothing_twice(tmp_path, outbox):
    for n in range(3):
        outbox.enqueue(
            _file(tmp_path, f"{n}.pdf", b"pdf %d" % n),
            dossier="HS-7",
            component=f"Phần {n}",
            signer="Phạm Minh Tuấn",
        )
    target = FolderTarget(tmp_path / "share")
    summary = run_upload(outbox, target)
    assert len(summary.delivered) == 3
    (batch,) = (tmp_path / "share").iterdir()
    manifest = json.loads((batch / "manifest.json").read_text(encoding="utf-8"))
    assert [f["component"] for f in manifest["files"]] == ["Phần 0", "Phần 1", "Phần 2"]
    for entry in manifest["files"]:
        assert hashlib.sha256((batch / entry["file"]).read_bytes()).hexdigest() == entry["sha256"]
    assert {i.state for i in outbox.items()} == {"confirmed"}
    assert run_upload(outbox, target).delivered == []


def test_crash_after_publishing_is_confirmed_without_sending_again(tmp_path, outbox):
    item, _ = outbox.enqueue(_file(tmp_path, "a.pdf", b"content"), dossier="HS-1", component="Đơn")
    target = FolderTarget(tmp_path / "share")
    batch = new_batch_id()
    outbox.begin_batch([item.id], batch)
    target.deliver([outbox.items()[0]], batch)
    # the process dies here, before the outbox records the confirmation
    summary = run_upload(outbox, target)
    assert summary.recovered == [item.id] and summary.delivered == []
    assert len(list((tmp_path / "share").iterdir())) == 1


def test_crash_before_publishing_sends_again_and_leaves_no_half_batch(tmp_path, outbox):
    item, _ = outbox.enqueue(_file(tmp_path, "a.pdf", b"content"), dossier="HS-1", component="Đơn")
    share = tmp_path / "share"
    batch = new_batch_id()
    outbox.begin_batch([item.id], batch)
    (share / f".sohoa-partial-{batch}").mkdir(parents=True)  # what a crash mid-copy leaves
    summary = run_upload(outbox, FolderTarget(share))
    assert summary.delivered == [item.id]
    published = [p.name for p in share.iterdir() if p.name.startswith("sohoa-batch-")]
    assert len(published) == 1


def test_unwritable_target_keeps_items_queued(tmp_path, outbox):
    outbox.enqueue(_file(tmp_path, "a.pdf", b"c"), dossier="HS-1", component="Đơn")
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    with pytest.raises(TargetUnavailable):
        run_upload(outbox, FolderTarget(blocker / "sub"))
    (item,) = outbox.items()
    assert item.state == "queued" and item.last_error and item.attempts == 1


def test_changed_file_is_not_delivered(tmp_path, outbox):
    f = _file(tmp_path, "a.pdf", b"original")
    outbox.enqueue(f, dossier="HS-1", component="Đơn")
    f.write_bytes(b"tampered")
    with pytest.raises(Exception, match="changed after it was queued"):
        run_upload(outbox, FolderTarget(tmp_path / "share"))
    assert not [p for p in (tmp_path / "share").iterdir() if p.name.startswith("sohoa-batch-")]


def test_outbox_of_the_first_version_is_migrated(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE items (id INTEGER PRIMARY KEY, idem_key TEXT NOT NULL, dossier TEXT NOT NULL, "
            "component TEXT NOT NULL, path TEXT NOT NULL, filename TEXT, size INTEGER, sha256 TEXT NOT NULL, "
            "signer TEXT DEFAULT '', target TEXT DEFAULT 'default', state TEXT NOT NULL DEFAULT 'queued', "
            "attempts INTEGER DEFAULT 0, next_attempt_at TEXT, last_error TEXT, receipt TEXT, batch TEXT, "
            "created_at TEXT, updated_at TEXT)"
        )
        db.execute(
            "INSERT INTO items (idem_key, dossier, component, path, filename, size, sha256, state) "
            "VALUES ('k', 'HS-9', 'Đơn', '/x.pdf', 'x.pdf', 3, 'abc', 'queued')"
        )
        db.execute("PRAGMA user_version=1")
    box = Outbox(path)
    (item,) = box.items()
    assert item.dossier == "HS-9" and item.upload_url is None and item.confirmed_at is None
    box.set_upload_url(item.id, "http://portal/files/1")
    assert box.get(item.id).upload_url == "http://portal/files/1"
    box.close()


def test_the_outbox_closes_its_file_when_a_with_block_ends_even_on_an_error(tmp_path):
    import sqlite3

    f = _file(tmp_path, "a.pdf", b"%PDF signed")
    with pytest.raises(RuntimeError), Outbox(tmp_path / "o.sqlite") as box:
        box.enqueue(f, dossier="HS-1", component="Đơn")
        raise RuntimeError("the caller failed half way")
    with pytest.raises(sqlite3.ProgrammingError):
        box.items()  # closed
    with Outbox(tmp_path / "o.sqlite") as again:
        assert [i.component for i in again.items()] == ["Đơn"]  # what was queued stays

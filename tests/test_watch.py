"""The watched folder: complete files imported once, moved to _done; bad ones to _failed with a note."""

from __future__ import annotations

import shutil

import pytest

from app import pipeline
from app.workspace import Workspace
from scanner.watch import FolderWatcher
from tests.conftest import run_json
from tests.fixtures import png_bytes, vietnamese_page


def _page(seed: int) -> bytes:
    return png_bytes(vietnamese_page(dpi=100, height_in=2.0 + seed * 0.1), 100)


def test_only_complete_files_are_taken_and_each_content_once(tmp_path):
    inbox = tmp_path / "scan-to-folder"
    inbox.mkdir()
    (inbox / "a.png").write_bytes(_page(1))
    growing = inbox / "b.png"
    growing.write_bytes(_page(2)[:500])  # the copier is still writing it
    (inbox / "c.pdf.part").write_bytes(b"%PDF partial")
    w = FolderWatcher(inbox, tmp_path / "ledger.sqlite", stable_s=1.0)
    seen = []
    assert w.process(lambda p, sha, retry: seen.append(p.name), now=0.0) == []  # nothing stable yet
    growing.write_bytes(_page(2))  # finished
    results = w.process(lambda p, sha, retry: seen.append(p.name), now=1.5)
    assert [r.name for r in results] == ["a.png"] and seen == ["a.png"]
    results = w.process(lambda p, sha, retry: seen.append(p.name), now=3.0)
    assert [r.name for r in results] == ["b.png"]
    shutil.copy(tmp_path / "scan-to-folder" / "_done" / "a.png", inbox / "a again.png")  # dropped twice
    w.process(lambda p, sha, retry: seen.append(p.name), now=4.0)
    results = w.process(lambda p, sha, retry: seen.append(p.name), now=5.5)
    assert [(r.name, r.outcome) for r in results] == [("a again.png", "duplicate")]
    assert seen == ["a.png", "b.png"] and (inbox / "c.pdf.part").exists()
    assert sorted(p.name for p in (inbox / "_done").iterdir()) == ["a again.png", "a.png", "b.png"]
    w.close()


def test_watch_command_imports_into_the_dossier_and_sets_bad_files_aside(tmp_path, sohoa_home):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "trang 1.png").write_bytes(_page(1))
    (inbox / "hong.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    run_json("dossier", "new", "HS-WATCH")
    data = run_json(
        "watch", str(inbox), "--dossier", "HS-WATCH", "--component", "Đơn", "--once", "--stable", "0.3"
    )
    outcomes = {f["file"]: f["outcome"] for f in data["files"]}
    assert outcomes == {"trang 1.png": "imported", "hong.jpg": "failed"}
    assert (inbox / "_failed" / "hong.jpg").exists()
    assert "hong.jpg" in (inbox / "_failed" / "hong.jpg.txt").read_text(encoding="utf-8")
    with Workspace(sohoa_home) as ws:
        (comp,) = ws.components("HS-WATCH")
        assert len(ws.pages(comp.id)) == 1


def test_a_file_imported_before_a_crash_is_not_imported_again(tmp_path):
    ws = Workspace(tmp_path / "ws")
    ws.create_dossier("HS-CRASH")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "x.png").write_bytes(_page(3))
    w = FolderWatcher(inbox, tmp_path / "ledger.sqlite", stable_s=0.5)
    w.ready(now=0.0)

    def crash_after_import(path, sha, retry):
        pipeline.import_watched(ws, "HS-CRASH", "Đơn", path, sha)
        raise SystemExit("power cut")  # before the ledger says imported and the file is moved

    with pytest.raises(SystemExit):
        w.process(crash_after_import, now=1.0)
    w.close()
    again = FolderWatcher(inbox, tmp_path / "ledger.sqlite", stable_s=0.5)
    again.ready(now=0.0)
    retries = []

    def handler(path, sha, retry):
        retries.append(retry)
        pipeline.import_watched(ws, "HS-CRASH", "Đơn", path, sha)

    (result,) = again.process(handler, now=1.0)
    assert result.outcome == "imported" and retries == [True]
    assert len(ws.pages(ws.component("HS-CRASH", "Đơn").id)) == 1  # not twice
    again.close()
    ws.close()

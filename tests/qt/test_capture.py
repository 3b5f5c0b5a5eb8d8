"""Capture from the window through SANE's test backend (pages shown as they arrive), and guided
capture of a large drawing: the plan, the next part, the stitch run as a job into a component."""

from __future__ import annotations

import pytest
from PIL import Image

from app.config import Settings
from app.gui.drawing_dialog import DrawingDialog
from app.gui.main_window import MainWindow
from tests.test_drawings import DPI, _scan, _sheet

pytestmark = pytest.mark.qt


@pytest.fixture
def tiles(tmp_path):
    parts, _ = _scan(_sheet()[0])
    paths = []
    for n, t in enumerate(parts):
        p = tmp_path / f"part-{n + 1}.png"
        Image.fromarray(t).save(p, dpi=(DPI, DPI))
        paths.append(str(p))
    return paths


def test_dialog_plans_the_scans_and_says_which_part_goes_on_the_glass(qtbot, tiles):
    dlg = DrawingDialog([])
    qtbot.addWidget(dlg)
    dlg.sheet.setCurrentText("A1")
    dlg.bed.setCurrentText("A3")
    assert (dlg.plan.rows, dlg.plan.cols) == (2, 3)
    assert "1" in dlg.instruction.text() and "6" in dlg.instruction.text()
    assert not dlg.stitch_button.isEnabled()
    for path in tiles[:2]:
        dlg.add_tile(path)
    # the third part of an A1 sheet on an A3 glass starts half-way across (from 544 mm)
    assert "544" in dlg.instruction.text() and dlg.stitch_button.isEnabled()
    dlg.remove_last()
    assert len(dlg.files) == 1 and "272" in dlg.instruction.text()
    dlg.sheet.setCurrentText("A0")
    assert len(dlg.plan.tiles) == 9
    name, files, grid = dlg.values()
    assert name == "Bản vẽ" or name
    assert files == tiles[:1] and grid is None  # not as many parts as planned: placed by content


def test_stitching_from_the_window_adds_one_sheet_component(qtbot, workspace, tiles):
    win = MainWindow(workspace, Settings(ocr_jobs=1))
    qtbot.addWidget(win)
    workspace.create_dossier("HS-020", procedure="Cấp giấy phép xây dựng")
    win.refresh()
    job = win.drawings.run_drawing("HS-020", "Bản vẽ mặt bằng", tiles, (2, 2))
    qtbot.waitUntil(job.handled.is_set, timeout=120000)
    assert job.error is None and job.result["verdict"] == "ok"
    comp = workspace.component("HS-020", "Bản vẽ mặt bằng")
    assert comp.kind == "drawing" and comp.status == "processed"
    assert workspace.latest_artifact(comp.id, "sheet_pdf") is not None  # its own kind of file
    assert workspace.latest_artifact(comp.id, "ocr_pdf") is None
    qtbot.waitUntil(lambda: not win.jobs.progress.isVisible())
    # the sheet opens in the viewer: tiles of the zoomed-in level arrive from the render thread
    qtbot.waitUntil(lambda: getattr(win.drawings, "sheet_dialog", None) is not None)
    dlg = win.drawings.sheet_dialog
    assert dlg.weak == [] and "1" not in dlg.note.text()
    dlg.view.resetTransform()
    dlg.view.zoom(4.0)  # 4 screen pixels a point: beyond the overview, tiles at the scan's 200 dpi
    dlg.view.centerOn(dlg.sheet.boundingRect().center())
    dlg.view.viewport().repaint()
    qtbot.waitUntil(lambda: len(dlg.sheet.cache) > 0, timeout=10000)
    scale = next(iter(dlg.sheet.cache))[0]
    assert scale == pytest.approx(DPI / 72.0) and dlg.sheet.cache[next(iter(dlg.sheet.cache))].width() <= 512
    # a seam the drawing could not confirm is outlined, with the parts to scan again
    stitch = dict(comp.meta_dict["stitch"])
    stitch["seams"] = [dict(s, confirmed=s["tiles"] != [0, 1]) for s in stitch["seams"]]
    stitch["rescan_tiles"] = [1]
    from app.gui.sheet_viewer import SheetDialog

    art = workspace.latest_artifact(comp.id, "sheet_pdf")
    weak = SheetDialog(str(workspace.blobs.path(art.blob)), stitch, win)
    assert [(a, b) for a, b, _item in weak.weak] == [(0, 1)] and "2" in weak.note.text()
    weak.done(0)
    # every part pinned, but a seam's drawing does not line up (paper lifted): said, not "checked"
    stitch.update(rescan_tiles=[], review_seams=[[0, 1]])
    warped = SheetDialog(str(workspace.blobs.path(art.blob)), stitch, win)
    assert [(a, b) for a, b, _item in warped.weak] == [(0, 1)] and "1 | 2" in warped.note.text()
    plain = SheetDialog(str(workspace.blobs.path(art.blob)), {}, win)
    assert warped.note.text() != plain.note.text()  # not "every seam was checked"
    plain.done(0)
    warped.done(0)
    dlg.done(0)
    win.runner.shutdown()


def test_scan_next_part_scans_through_sane_into_the_dialog(qtbot, workspace, sane_test_backend):
    win = MainWindow(workspace, Settings(scan_device="test:0", scan_resolution=75))
    qtbot.addWidget(win)
    dlg = DrawingDialog([], win, can_scan=True)
    qtbot.addWidget(dlg)
    assert dlg.scan_button.isEnabled()
    job = win.drawings.scan_tile(dlg)
    qtbot.waitUntil(job.handled.is_set, timeout=60000)
    assert job.error is None
    qtbot.waitUntil(lambda: len(dlg.files) == 1)
    with Image.open(dlg.files[0]) as im:
        assert im.width > 100
    win.runner.shutdown()


def test_scanning_from_the_window_shows_each_page_as_it_arrives(qtbot, workspace, sane_test_backend):
    win = MainWindow(workspace, Settings())
    qtbot.addWidget(win)
    workspace.create_dossier("HS-040")
    win.refresh()
    win.select_code("HS-040")
    seen = []
    job = win.capture.run_scan(
        "HS-040",
        "Giấy tờ tùy thân",
        "test:0",
        {"resolution": 75, "source": "adf", "mode": "gray", "pages": 3},
    )
    job.signals.progress.connect(lambda done, _total: seen.append(win.page_strip.count()))
    qtbot.waitUntil(job.handled.is_set, timeout=60000)
    assert job.error is None and job.result == 3
    qtbot.waitUntil(lambda: win.page_strip.count() == 3)
    assert seen and seen[0] >= 1  # the first page was shown before the feeder was done
    comp = workspace.component("HS-040", "Giấy tờ tùy thân")
    assert len(workspace.pages(comp.id)) == 3 and comp.status == "captured"
    assert not win.page_strip.item(0).icon().isNull()  # its preview was made off the GUI thread
    win.runner.shutdown()


def test_a_part_scanned_again_takes_its_place_and_the_sheet_is_stitched_again(
    qtbot, workspace, tiles, tmp_path
):
    import numpy as np

    win = MainWindow(workspace, Settings(ocr_jobs=1))
    qtbot.addWidget(win)
    workspace.create_dossier("HS-021")
    win.refresh()
    wrong = tmp_path / "wrong.png"  # the second part scanned face up: blank paper
    Image.fromarray(np.full((900, 1400, 3), 236, np.uint8)).save(wrong, dpi=(DPI, DPI))
    parts = [tiles[0], str(wrong), tiles[2], tiles[3]]
    job = win.drawings.run_drawing("HS-021", "Bản vẽ", parts, (2, 2))
    qtbot.waitUntil(job.handled.is_set, timeout=120000)
    assert job.result["verdict"] == "needs_rescan" and 1 in job.result["rescan_tiles"]
    qtbot.waitUntil(lambda: getattr(win.drawings, "sheet_dialog", None) is not None)
    first = win.drawings.sheet_dialog
    assert first.rescan_buttons  # the offer to scan that part again
    job = win.drawings.rescan_tile("HS-021", "Bản vẽ", 1, first, file=tiles[1])
    qtbot.waitUntil(job.handled.is_set, timeout=120000)
    assert job.error is None and job.result["verdict"] == "ok"
    comp = workspace.component("HS-021", "Bản vẽ")
    pages = workspace.pages(comp.id)
    assert len(pages) == 4 and [p.position for p in pages] == [0, 1, 2, 3]
    assert pages[1].source.startswith("part-2")  # the new scan in the old one's place
    qtbot.waitUntil(lambda: win.drawings.sheet_dialog is not first)
    win.drawings.sheet_dialog.done(0)
    win.runner.shutdown()


def test_one_page_scanned_again_takes_its_place(qtbot, workspace, sane_test_backend, tiles):
    win = MainWindow(workspace, Settings(scan_resolution=75))
    qtbot.addWidget(win)
    workspace.create_dossier("HS-041")
    win.refresh()
    win.select_code("HS-041")
    job = win.capture.run_import("HS-041", "Giấy tờ", "document", tiles[:3])
    qtbot.waitUntil(job.handled.is_set, timeout=60000)
    comp = workspace.component("HS-041", "Giấy tờ")
    old = workspace.pages(comp.id)
    job = win.pages.rescan_page(old[1].id, device="test:0")
    qtbot.waitUntil(job.handled.is_set, timeout=60000)
    assert job.error is None
    now = workspace.pages(comp.id)
    assert len(now) == 3 and now[0].id == old[0].id and now[2].id == old[2].id
    assert now[1].id == job.result and now[1].id != old[1].id and now[1].position == 1
    qtbot.waitUntil(lambda: win.runner.settled())
    win.runner.shutdown()

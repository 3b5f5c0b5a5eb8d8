"""app.pipeline.due: which parts a step is for (the one signing rule), and what a dossier lacks."""

from __future__ import annotations

import json

import pytest

from app.pipeline import checklist, due_for
from app.workspace import ArtifactKind, Status, Workspace


@pytest.fixture
def ws(tmp_path):
    with Workspace(tmp_path / "ws") as ws:
        yield ws


def _part(ws: Workspace, tmp_path, name: str, *steps: tuple[str, str | None]):
    """A part taken through `steps`: ("page", None), ("made", None), ("signed", role), ("queued", None)."""
    comp = ws.component("HS-1", name, create=True)
    for n, (step, role) in enumerate(steps):
        f = tmp_path / f"{comp.id}-{n}.pdf"
        f.write_bytes(f"%PDF {name} {n}".encode())
        if step == "page":
            ws.add_page(comp.id, f.read_bytes(), fmt="png", dpi=300, width=10, height=10)
        elif step == "made":
            ws.add_artifact(comp.id, ArtifactKind.OCR_PDF, f, status=Status.PROCESSED)
        elif step == "signed":
            ws.add_artifact(comp.id, ArtifactKind.SIGNED_PDF, f, status=Status.SIGNED, meta={"role": role})
        elif step == "queued":
            ws.set_component_status(comp.id, Status.QUEUED)
    return comp


def test_the_signing_rule_by_role(ws, tmp_path):
    ws.create_dossier("HS-1")
    _part(ws, tmp_path, "captured", ("page", None))
    _part(ws, tmp_path, "made", ("page", None), ("made", None))
    _part(
        ws,
        tmp_path,
        "citizen signed",
        ("page", None),
        ("made", None),
        ("signed", "citizen"),
        ("queued", None),
    )
    _part(ws, tmp_path, "certified", ("page", None), ("made", None), ("signed", "official"), ("queued", None))
    _part(ws, tmp_path, "made again", ("page", None), ("made", None), ("signed", "official"), ("page", None))
    names = lambda parts: [c.name for c in parts]  # noqa: E731
    assert names(due_for(ws, "HS-1", "process")) == ["captured", "made again"]
    assert names(due_for(ws, "HS-1", "sign")) == ["made"]  # a citizen signs what is made, once
    assert names(due_for(ws, "HS-1", "sign", role="official")) == ["made", "citizen signed"]
    with pytest.raises(ValueError):
        due_for(ws, "HS-1", "sign", role="someone")


def test_the_checklist_reads_the_catalogue_and_says_when_it_cannot(ws, tmp_path):
    own = {"procedures": [{"name": "Cấp phép", "components": [{"name": "Đơn"}, {"name": "Bản vẽ"}]}]}
    (ws.root / "procedures.json").write_text(json.dumps(own, ensure_ascii=False), encoding="utf-8")
    ws.create_dossier("HS-1", procedure="Cấp phép")
    _part(ws, tmp_path, "Đơn", ("page", None))
    ws.component("HS-1", "Bản vẽ", create=True)  # made for the requirement, still empty
    needs = checklist(ws, "HS-1")
    assert needs.procedure_known and [p.name for p in needs.missing] == ["Bản vẽ"] and needs.problem is None
    (ws.root / "procedures.json").write_text("{", encoding="utf-8")
    broken = checklist(ws, "HS-1")
    assert not broken.procedure_known and broken.missing == () and "procedures.json" in broken.problem
    from app.catalog import CatalogError

    with pytest.raises(CatalogError):
        checklist(ws, "HS-1", strict=True)

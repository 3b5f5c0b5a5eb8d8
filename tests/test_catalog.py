"""The procedure catalog: what a dossier still lacks, from resources/ or the office's own file."""

from __future__ import annotations

import json

from tests.conftest import run_json, run_sohoa

PERMIT = "Cấp giấy phép xây dựng nhà ở riêng lẻ"


def test_dossier_shows_the_parts_its_procedure_still_needs(sohoa_home, page_png):
    run_json("dossier", "new", "HS-100", "--procedure", PERMIT)
    shown = run_json("dossier", "show", "HS-100")
    assert shown["procedure_known"] and "Bản vẽ thiết kế xây dựng" in shown["missing"]
    before = len(shown["missing"])
    run_json("dossier", "add", "HS-100", str(page_png), "--component", "Đơn đề nghị cấp giấy phép xây dựng")
    shown = run_json("dossier", "show", "HS-100")
    assert (
        len(shown["missing"]) == before - 1 and "Đơn đề nghị cấp giấy phép xây dựng" not in shown["missing"]
    )
    # an optional part is never listed as missing
    assert "Bản kê khai năng lực, kinh nghiệm của tổ chức, cá nhân thiết kế" not in shown["missing"]


def test_an_offices_own_catalog_replaces_the_shipped_one_and_a_broken_one_says_so(sohoa_home):
    sohoa_home.mkdir(parents=True, exist_ok=True)
    own = {"procedures": [{"name": "Cấp phép đào đường", "components": [{"name": "Đơn xin phép"}]}]}
    (sohoa_home / "procedures.json").write_text(json.dumps(own, ensure_ascii=False), encoding="utf-8")
    run_json("dossier", "new", "HS-101", "--procedure", "cấp phép đào đường ")  # case and spaces aside
    shown = run_json("dossier", "show", "HS-101")
    assert shown["procedure_known"] and shown["missing"] == ["Đơn xin phép"]
    run_json("dossier", "new", "HS-102", "--procedure", PERMIT)
    assert run_json("dossier", "show", "HS-102")["procedure_known"] is False  # not in the office's list
    (sohoa_home / "procedures.json").write_text("{not json", encoding="utf-8")
    proc = run_sohoa("dossier", "show", "HS-101", check=False)
    assert (
        proc.returncode != 0
        and "procedures.json" in proc.stderr
        and len(proc.stderr.strip().splitlines()) == 1
    )
    # a dossier is still made with the catalogue broken: the command says so and does not fail
    proc = run_sohoa("dossier", "new", "HS-103", "--procedure", PERMIT, "--json", check=False)
    created = json.loads(proc.stdout)
    assert proc.returncode == 0 and created["code"] == "HS-103" and "procedures.json" in proc.stderr
    assert "procedures.json" in created["catalog_problem"] and created["procedure_known"] is False
    assert run_sohoa("dossier", "list", "--json").returncode == 0

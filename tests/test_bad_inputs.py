"""Every case of the bad-input corpus (tests/badinputs.py) through `sohoa dossier add`, in Vietnamese,
into a dossier that already holds a good page: the right outcome, a clear message naming the file,
no crash, memory under the bound, and the rest of the dossier as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

import pikepdf
import pytest

from tests.badinputs import make_corpus
from tests.conftest import ROOT, SOHOA, run_json, run_sohoa

MEMORY_BOUND_MB = 600  # peak resident memory of one import, whatever the file
VIETNAMESE = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


# A process's peak memory counts what it inherited when it was forked: a child of this (large) test
# process would report this one's size. A small launcher forks the command instead and reports the
# command's own peak (ru_maxrss, kB) on its last stderr line.
MEASURE = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[1:])\n"
    "_pid, status, usage = os.wait4(p.pid, 0)\n"
    "print(f'\\npeak-kb {usage.ru_maxrss}', file=sys.stderr)\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def _add(path, part: str) -> tuple[int, dict, str, float]:
    """`sohoa dossier add` in a child process: exit code, --json output, stderr, its peak memory (MB)."""
    env = {**os.environ, "SOHOA_LANG": "vi"}
    cmd = [sys.executable, "-c", MEASURE, *SOHOA, "dossier", "add", "HS-BAD", str(path), "--component", part]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.run([*cmd, "--json"], stdout=out, stderr=err, env=env, cwd=ROOT, check=False)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    stderr, _, peak = stderr.rstrip().rpartition("\npeak-kb ")
    try:
        data = json.loads(stdout)
    except ValueError:
        data = {}
    return proc.returncode, data, stderr, int(peak) / 1024


@pytest.mark.slow
def test_the_bad_input_corpus(sohoa_home, tmp_path, page_png):
    cases = make_corpus(tmp_path / "corpus")
    assert len(cases) >= 30
    run_sohoa("dossier", "new", "HS-BAD")
    run_sohoa("dossier", "add", "HS-BAD", str(page_png), "--component", "Đơn")
    before = run_json("dossier", "show", "HS-BAD")["components"]

    problems = []
    peaks = []
    for n, case in enumerate(cases):
        part = f"Phần {n:02d}"
        code, data, err, peak = _add(case.path, part)
        peaks.append(peak)
        label = f"{case.name}: "
        if "Traceback" in err:
            problems.append(label + "crashed:\n" + err[-1500:])
            continue
        if case.expect == "ok":
            if code != 0:
                problems.append(label + f"refused ({code}): {data.get('error')}")
        else:
            message = data.get("error", "")
            if code == 0:
                problems.append(label + "accepted")
            elif data.get("kind") != case.kind:
                problems.append(label + f"kind {data.get('kind')}, expected {case.kind}: {message}")
            elif case.path.name not in message or not (set(message) & VIETNAMESE):
                problems.append(label + f"message does not name the file in Vietnamese: {message}")
    assert not problems, "\n".join(problems)
    assert max(peaks) < MEMORY_BOUND_MB, peaks

    shown = run_json("dossier", "show", "HS-BAD")["components"]
    by_name = {c["name"]: c for c in shown}
    assert [c for c in shown if c["name"] == "Đơn"] == [c for c in before if c["name"] == "Đơn"]  # untouched
    for n, case in enumerate(cases):
        part = by_name.get(f"Phần {n:02d}")
        if case.expect == "ok":
            assert part is not None and part["pages"] == case.pages, (case.name, part)
        else:
            assert part is None, case.name  # no empty part left behind
    from app.workspace import Workspace

    with Workspace(sohoa_home) as ws:
        assert ws.check_integrity() == [] and ws.verify_audit().ok

    # active content does not travel: the parts made from the PDFs with JavaScript and an attachment
    for name in ("javascript.pdf", "attachment.pdf"):
        n = next(k for k, c in enumerate(cases) if c.name == name)
        run_sohoa("dossier", "process", "HS-BAD", "--component", f"Phần {n:02d}")
    for name in ("javascript.pdf", "attachment.pdf"):
        n = next(k for k, c in enumerate(cases) if c.name == name)
        part = next(
            c for c in run_json("dossier", "show", "HS-BAD")["components"] if c["name"] == f"Phần {n:02d}"
        )
        with pikepdf.open(part["artifacts"]["ocr_pdf"]["path"]) as pdf:
            assert "/OpenAction" not in pdf.Root and "/Names" not in pdf.Root and not pdf.attachments
    print(f"{len(cases)} bad inputs; peak memory {max(peaks):.0f} MB", file=sys.stderr)

"""The crash harness (tests/crash_harness.py) in the suite: 30 kills at random moments of the whole
pipeline; `make stress` runs 200. The seed is printed and can be set with SOHOA_CRASH_SEED."""

from __future__ import annotations

import os
import random

import pytest

from tests.crash_harness import run

pytestmark = pytest.mark.slow


def test_thirty_kills_lose_nothing_and_send_nothing_twice(token, tmp_path, capsys):
    seed = int(os.environ.get("SOHOA_CRASH_SEED") or random.randrange(100_000))
    lines: list[str] = []
    report = run(30, seed, tmp_path, token, log=lines.append)
    with capsys.disabled():
        print(f"\ncrash harness seed {seed} (SOHOA_CRASH_SEED={seed} repeats it): "
              f"{report.kills} kills, {report.rounds} rounds, {report.pages} pages")  # fmt: skip
    assert report.kills == 30 and report.checks == 30
    assert report.pages == 3 * report.rounds
    assert not report.problems, f"seed {seed}:\n" + "\n".join(report.problems + lines)

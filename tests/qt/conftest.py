"""Qt tier: offscreen platform, and a check that no test leaves a job thread or a timer running."""

from __future__ import annotations

import gc
import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture(autouse=True)
def no_leaked_threads_or_timers(qapp):
    from PySide6.QtCore import QThreadPool, QTimer

    from app.gui.runner import JobRunner

    yield
    qapp.processEvents()
    leaks = []
    for obj in gc.get_objects():
        try:
            if isinstance(obj, JobRunner) and obj.pool.activeThreadCount():
                leaks.append(f"JobRunner with {obj.pool.activeThreadCount()} running thread(s)")
            elif isinstance(obj, QTimer) and obj.isActive():
                leaks.append(f"active QTimer {obj.objectName() or obj}")
        except RuntimeError:  # the C++ object is already gone
            continue
    if QThreadPool.globalInstance().activeThreadCount():
        leaks.append("global QThreadPool still busy")
    assert not leaks, leaks


@pytest.fixture
def workspace(sohoa_home):
    from app.workspace import Workspace

    ws = Workspace(sohoa_home)
    yield ws
    ws.close()


@pytest.fixture
def sane_test_backend(tmp_path, monkeypatch):
    """SANE with only its `test` backend (a real driver with virtual devices)."""
    if shutil.which("scanimage") is None:
        pytest.skip("sane-utils not installed")
    conf = tmp_path / "sane.d"
    conf.mkdir()
    (conf / "dll.conf").write_text("test\n")
    monkeypatch.setenv("SANE_CONFIG_DIR", str(conf))
    return conf

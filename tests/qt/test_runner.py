"""The job runner: a job's end is heard by every slot its caller connects, however quick the job."""

from __future__ import annotations

import threading
import time

from app.gui.runner import JobRunner


def test_a_quick_job_is_heard_by_slots_connected_after_start_even_if_this_thread_stalls(qtbot):
    runner = JobRunner()
    heard: list[object] = []
    job = runner.start("quick", lambda progress, cancel: 42)
    time.sleep(0.3)  # the window's thread held up (the GIL, a busy machine) before it connects
    job.signals.finished.connect(heard.append)
    qtbot.waitUntil(job.handled.is_set, timeout=10000)
    assert heard == [42] and job.result == 42 and runner.settled()
    runner.shutdown()


def test_a_job_cancelled_before_a_worker_takes_it_ends_as_cancelled_without_running(qtbot):
    runner = JobRunner()
    ran = threading.Event()
    ended: list[str] = []
    job = runner.start("never", lambda progress, cancel: ran.set())
    job.signals.cancelled.connect(lambda: ended.append("cancelled"))
    job.signals.finished.connect(lambda _r: ended.append("finished"))
    job.cancel()
    qtbot.waitUntil(job.handled.is_set, timeout=10000)
    assert ended == ["cancelled"] and not ran.is_set() and job.done.is_set() and not job.began.is_set()
    assert not runner.busy() and runner.settled()
    runner.shutdown()

"""Send everything due from the outbox to one target, exactly once, resuming interrupted batches."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from common.errors import Cancelled
from common.progress import Progress
from upload.errors import UploadError
from upload.outbox import Outbox, OutboxItem

log = logging.getLogger(__name__)

RETRY_DELAY_S = 60.0


class Target(Protocol):
    name: str

    def describe(self) -> str: ...

    def is_delivered(self, batch: str) -> bool: ...

    def deliver(self, items, batch: str, *, progress=None, cancel=None) -> dict[int, dict]: ...


@dataclass
class UploadSummary:
    target: str
    delivered: list[int] = field(default_factory=list)
    recovered: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    batch: str | None = None
    retrying: dict[int, str] = field(default_factory=dict)
    bytes_sent: int = 0
    stopped: str | None = None  # why the run stopped early (TLS, credentials), if it did
    purged: list[int] = field(default_factory=list)  # items whose local copies retention deleted

    def as_dict(self) -> dict:
        return {
            "target": self.target,
            "batch": self.batch,
            "delivered": self.delivered,
            "recovered": self.recovered,
            "failed": {str(k): v for k, v in self.failed.items()},
            "retrying": {str(k): v for k, v in self.retrying.items()},
            "bytes_sent": self.bytes_sent,
            "stopped": self.stopped,
            "purged": self.purged,
        }


def new_batch_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def recover(outbox: Outbox, target: Target) -> list[int]:
    """Settle batches a crash left 'uploading': confirmed if the target has them whole, else requeued."""
    recovered = []
    for batch, items in outbox.in_flight().items():
        ids = [i.id for i in items]
        if batch and target.is_delivered(batch):
            outbox.confirm(
                ids, {i.id: {"target": target.name, "batch": batch, "recovered": True} for i in items}
            )
            recovered.extend(ids)
        else:
            outbox.retry_later(ids, "interrupted", 0)
    return recovered


def run_upload(
    outbox: Outbox,
    target: Target,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> UploadSummary:
    """Deliver every due item in one batch; a failure leaves items queued for a later try."""
    summary = UploadSummary(target.describe())
    summary.recovered = recover(outbox, target)
    due: list[OutboxItem] = outbox.due()
    if not due:
        return summary
    batch = new_batch_id()
    ids = [i.id for i in due]
    outbox.begin_batch(ids, batch)
    try:
        receipts = target.deliver(due, batch, progress=progress, cancel=cancel)
    except Cancelled:
        outbox.retry_later(ids, "cancelled", 0)
        raise
    except UploadError as exc:
        outbox.retry_later(ids, exc.render(), RETRY_DELAY_S)
        raise
    outbox.confirm(ids, receipts)
    summary.batch = batch
    summary.delivered = ids
    log.info("batch %s: %d items delivered", batch, len(ids))
    return summary


@dataclass
class TransferStatus:
    """Where a run stands, for a progress bar: items and bytes, and an estimate of the time left."""

    items_total: int
    items_done: int
    bytes_total: int
    bytes_done: int
    eta_s: float | None


class _Tracker:
    def __init__(self, items: list[OutboxItem], progress, on_status) -> None:
        self.sizes = {i.id: i.size for i in items}
        self.done_bytes = dict.fromkeys(self.sizes, 0)
        self.items_done = 0
        self.progress, self.on_status = progress, on_status
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.first_bytes: dict[int, int] = {}
        self.sent = 0

    def update(self, item_id: int, offset: int) -> None:
        with self.lock:
            self.first_bytes.setdefault(item_id, offset)  # resumed uploads start past zero
            self.done_bytes[item_id] = offset
            self._emit()

    def finish(self, item_id: int, ok: bool) -> None:
        with self.lock:
            if ok:
                self.done_bytes[item_id] = self.sizes[item_id]
                self.items_done += 1
            self._emit()

    def _emit(self) -> None:
        total, done = sum(self.sizes.values()), sum(self.done_bytes.values())
        self.sent = sum(max(0, self.done_bytes[i] - self.first_bytes.get(i, 0)) for i in self.done_bytes)
        elapsed = time.monotonic() - self.started
        rate = self.sent / elapsed if elapsed > 0.5 and self.sent else None
        eta = (total - done) / rate if rate else None
        if self.progress is not None:
            self.progress(done, total)
        if self.on_status is not None:
            self.on_status(TransferStatus(len(self.sizes), self.items_done, total, done, eta))


def run_item_upload(
    outbox: Outbox,
    target,
    *,
    parallel: int = 2,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    on_status=None,
    max_time_s: float = 900.0,
    pause: threading.Event | None = None,
) -> UploadSummary:
    """Deliver item by item (the portal): unfinished ones first, `parallel` at a time.

    Transient failures go back to the queue with exponential backoff (and the server's
    Retry-After) and are tried again within this run while `max_time_s` lasts; permanent ones are
    marked failed with the portal's message; a refusal of the whole run (TLS, credentials) stops
    it with every item kept.
    """
    from upload.portal import PortalError, PortalRefusedRun, backoff_s
    from upload.tus import wait_while_paused

    summary = UploadSummary(target.describe())
    seen: set[int] = set()
    items = [i for i in [*outbox.unfinished(), *outbox.due()] if not (i.id in seen or seen.add(i.id))]
    if not items:
        return summary
    tracker = _Tracker(items, progress, on_status)
    stop = threading.Event()
    lock = threading.Lock()

    def one(item: OutboxItem) -> None:
        wait_while_paused(pause, cancel)
        if stop.is_set() or (cancel is not None and cancel.is_set()):
            return
        outbox.begin_item(item.id)
        fresh = outbox.get(item.id)
        ok = False
        try:
            receipt = target.send(
                fresh,
                record_url=lambda url: outbox.set_upload_url(item.id, url),
                mark_uploaded=lambda: outbox.mark_uploaded(item.id),
                progress=lambda offset: tracker.update(item.id, offset),
                cancel=cancel,
                pause=pause,
            )
            outbox.confirm([item.id], {item.id: receipt})
            ok = True
            with lock:
                (summary.recovered if receipt.get("already_attached") else summary.delivered).append(item.id)
        except Cancelled:
            outbox.retry_later([item.id], "cancelled", 0)
            raise
        except PortalRefusedRun as exc:
            stop.set()
            outbox.retry_later([item.id], exc.render(), 0)
            with lock:
                summary.stopped = exc.render()
                summary.retrying[item.id] = exc.render()
        except PortalError as exc:
            with lock:
                if exc.transient:
                    outbox.retry_later([item.id], exc.render(), backoff_s(fresh.attempts, exc.retry_after))
                    summary.retrying[item.id] = exc.render()
                else:
                    outbox.fail_permanently(item.id, exc.render())
                    summary.failed[item.id] = exc.render()
        except UploadError as exc:
            outbox.retry_later([item.id], exc.render(), backoff_s(fresh.attempts, None))
            with lock:
                summary.retrying[item.id] = exc.render()
        finally:
            tracker.finish(item.id, ok)

    deadline = time.monotonic() + max_time_s
    cancelled = False
    batch = items
    with ThreadPoolExecutor(max_workers=max(1, parallel), thread_name_prefix="upload") as pool:
        while batch:
            for future in [pool.submit(one, item) for item in batch]:
                try:
                    future.result()
                except Cancelled:
                    cancelled = True
            if cancelled or stop.is_set() or not summary.retrying:
                break
            batch = _wait_for_retries(outbox, set(summary.retrying), deadline, cancel)
            for item in batch:
                summary.retrying.pop(item.id, None)
    summary.bytes_sent = tracker.sent
    log.info(
        "upload run: %d delivered, %d already there, %d failed, %d to retry",
        len(summary.delivered),
        len(summary.recovered),
        len(summary.failed),
        len(summary.retrying),
    )
    if cancelled:
        raise Cancelled()
    return summary


def _wait_for_retries(outbox: Outbox, ids: set[int], deadline: float, cancel) -> list[OutboxItem]:
    """Wait (within the run's time) for the earliest retry time among `ids`; return those then due."""
    waiting = [i for i in outbox.items("queued") if i.id in ids]
    if not waiting:
        return []
    times = [datetime.fromisoformat(i.next_attempt_at) for i in waiting if i.next_attempt_at]
    wait_s = max(0.0, (min(times) - datetime.now(UTC)).total_seconds()) if times else 0.0
    if time.monotonic() + wait_s > deadline:
        return []
    if cancel is not None:
        if cancel.wait(wait_s):
            return []
    else:
        time.sleep(wait_s)
    return [i for i in outbox.due() if i.id in ids]

"""Send everything due from the outbox to one target, exactly once, resuming interrupted batches."""

from __future__ import annotations

import logging
import secrets
import threading
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

    def as_dict(self) -> dict:
        return {
            "target": self.target,
            "batch": self.batch,
            "delivered": self.delivered,
            "recovered": self.recovered,
            "failed": {str(k): v for k, v in self.failed.items()},
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

"""What a crash or a power cut left half done, and closing it."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.workspace import Status, Workspace
from upload import Outbox


@dataclass
class PendingWork:
    """What a crash or a power cut left: jobs begun and never ended, parts scanned but not
    processed, files on their way to the portal, remote signing requests waiting for a phone."""

    interrupted: list[str]  # the jobs' labels
    unprocessed: list[tuple[str, str]]  # (dossier code, component name)
    unsent: int  # outbox items stopped half way
    remote: list[str] = field(default_factory=list)  # dossier codes whose signer was asked

    def __bool__(self) -> bool:
        return bool(self.interrupted or self.unsent or self.remote)


def pending_work(ws: Workspace) -> PendingWork:
    interrupted = [label for _jid, label in ws.open_jobs()]
    unprocessed = ws.parts_in(Status.CAPTURED)
    with Outbox(ws.outbox_path) as outbox:
        unsent = len(outbox.unfinished())
    remote = [ws.dossier_by_id(r["dossier_id"]).code for r in ws.remote_requests()]
    return PendingWork(interrupted, unprocessed, unsent, remote)


def close_interrupted_jobs(ws: Workspace) -> None:
    """Mark the jobs a crash left as ended (their work is resumed, or let go, by the clerk)."""
    for jid, _label in ws.open_jobs():
        ws.record("job.end", "", {"id": jid, "outcome": "interrupted"})

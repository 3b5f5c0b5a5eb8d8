"""Parts signed through a remote signing service: one approval on the signer's phone for a dossier.

The request is recorded in the workspace before SoHoa waits (the prepared files stay in the
workspace's work folder), so that closing the window, a crash or a power cut never leaves a
half-signed part: `resume_remote` polls a recorded request again and finishes it, or ends it
cleanly and says why. Finished parts are verified, recorded and queued exactly as token-signed ones.
"""

from __future__ import annotations

import logging
import shutil
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.config import Settings
from app.pipeline.sign import Keeper, SignedPart, part_inputs
from app.signsetup import sign_options, trust_roots
from app.workspace import Component, Workspace
from common.errors import UserError
from common.progress import Progress
from signing import SignOptions
from signing.errors import RemoteCancelled, RemoteExpired, RemoteRejected, RemoteUnavailable
from signing.remote import (
    RemoteBatch,
    RemoteCredential,
    RemoteService,
    RemoteState,
    ask,
    check_codes,
    finish,
    prepare,
    wait,
)
from upload import Outbox

log = logging.getLogger(__name__)

Tick = Callable[[RemoteState, float], None]


@dataclass
class RemoteOutcome:
    """What became of a request recorded before a restart."""

    request_id: str
    dossier: str
    state: str  # done, rejected, expired, failed, cancelled
    parts: list[SignedPart]
    message: str = ""


def _folder(ws: Workspace, request_id: str) -> Path:
    return ws.work_dir() / "remote" / request_id


def sign_components_remote(
    ws: Workspace,
    components: Sequence[Component],
    service: RemoteService,
    credential: RemoteCredential,
    user_id: str,
    settings: Settings,
    *,
    options: SignOptions | None = None,
    trust: Sequence[str] = (),
    description: str = "",
    pin: str | None = None,
    otp: str | None = None,
    timeout: float | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    on_tick: Tick | None = None,
    on_asked: Callable[[RemoteBatch], None] | None = None,
) -> list[SignedPart]:
    """Prepare every part, ask the signer once (or as few times as the service allows), wait,
    then verify, record and queue each part. The request stays recorded until it ends."""
    check_codes(credential, service.name, pin, otp)
    options = options or sign_options(settings)
    roots = trust_roots(ws.root, settings, trust)
    inputs = part_inputs(ws, components)
    if not inputs:
        return []
    dossier = ws.dossier_by_id(inputs[0][0].dossier_id)
    request_id = uuid.uuid4().hex
    folder = _folder(ws, request_id)
    pairs = [(ws.blobs.path(a.blob), folder / "out" / f"{c.id}.pdf") for c, a in inputs]
    (folder / "out").mkdir(parents=True)
    try:
        batch = prepare(
            credential,
            user_id,
            pairs,
            options,
            folder / "prepared",
            trust_roots=roots,
            progress=progress,
            cancel=cancel,
            batch_id=request_id,
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    ids = [c.id for c, _ in inputs]
    ws.save_remote_request(batch.id, dossier.id, ids, credential.provider, options.role, batch.to_json())
    text = description or f"{dossier.code}: {', '.join(c.name for c, _ in inputs)}"
    try:
        ask(service, batch, text[:240], pin=pin, otp=otp)
        ws.save_remote_request(batch.id, dossier.id, ids, credential.provider, options.role, batch.to_json())
        if on_asked is not None:
            on_asked(batch)
        return _complete(
            ws,
            service,
            batch,
            {c.id: c for c, _ in inputs},
            roots,
            options.role,
            timeout,
            cancel,
            on_tick,
            progress,
        )
    except RemoteUnavailable:
        raise  # still recorded: resumed when the service answers again
    except UserError as exc:
        _end(ws, batch, _state_of(exc), exc.render())
        raise
    except BaseException:
        _end(ws, batch, "failed", "interrupted")
        raise


def _complete(
    ws, service, batch, comps: dict[int, Component], roots, role, timeout, cancel, on_tick, progress
):
    signatures = wait(service, batch, timeout=timeout, cancel=cancel, on_tick=on_tick)
    parts: list[SignedPart] = []
    by_output = {Path(f.output): comps[int(Path(f.output).stem)] for f in batch.files}
    with Outbox(ws.outbox_path) as outbox:
        finish(
            batch,
            signatures,
            trust_roots=roots,
            progress=progress,
            on_signed=Keeper(ws, outbox, role, roots, by_output, parts),
        )
    _end(ws, batch, "done")
    return parts


def _state_of(exc: BaseException) -> str:
    if isinstance(exc, RemoteRejected):
        return "rejected"
    if isinstance(exc, RemoteExpired):
        return "expired"
    if isinstance(exc, RemoteCancelled):
        return "cancelled"
    return "failed"


def _end(ws: Workspace, batch: RemoteBatch, state: str, message: str = "") -> None:
    shutil.rmtree(_folder(ws, batch.id), ignore_errors=True)  # prepared files and unfinished outputs
    ws.end_remote_request(batch.id, state, message[:300])


def cancel_remote(ws: Workspace, request_id: str) -> None:
    """End a recorded request at the clerk's word: nothing of it is signed."""
    for row in ws.remote_requests():
        if row["id"] == request_id:
            _end(ws, RemoteBatch.from_json(row["batch"]), "cancelled", "cancelled at the counter")


def resume_remote(
    ws: Workspace,
    settings: Settings,
    service_for: Callable[[str], RemoteService],
    *,
    trust: Sequence[str] = (),
    cancel: threading.Event | None = None,
    on_tick: Tick | None = None,
) -> list[RemoteOutcome]:
    """Every request recorded before a restart, polled again: finished, or ended with its reason.

    A request the service can no longer tell about (a CSC approval lost with the process) is ended
    as failed and says so; a service that does not answer leaves the request recorded for later.
    """
    roots = trust_roots(ws.root, settings, trust)
    outcomes = []
    for row in ws.remote_requests():
        batch = RemoteBatch.from_json(row["batch"])
        dossier = ws.dossier_by_id(row["dossier_id"]).code
        comps = {i: ws.component_by_id(i) for i in row["components"]}
        if not batch.transactions:  # stopped before the signer was asked: nothing to wait for
            _end(ws, batch, "cancelled", "stopped before the signer was asked")
            outcomes.append(RemoteOutcome(batch.id, dossier, "cancelled", [], "not asked"))
            continue
        service = service_for(row["provider"])
        try:
            parts = _complete(ws, service, batch, comps, roots, row["role"], None, cancel, on_tick, None)
            outcomes.append(RemoteOutcome(batch.id, dossier, "done", parts))
        except RemoteUnavailable as exc:
            outcomes.append(RemoteOutcome(batch.id, dossier, "waiting", [], exc.render()))
        except UserError as exc:
            state = _state_of(exc)
            _end(ws, batch, state, exc.render())
            outcomes.append(RemoteOutcome(batch.id, dossier, state, [], exc.render()))
        finally:
            service.close()
    return outcomes

"""The outbox sent to its target (a folder or the portal), parts marked sent, old copies purged."""

from __future__ import annotations

import threading
from pathlib import Path

from app.config import Settings
from app.credentials import portal_credentials
from app.pipeline.sign import queue_signed
from app.workspace import ArtifactKind, DossierStatus, Status, Workspace
from common.progress import Progress
from upload import FolderTarget, Outbox, UploadSummary, run_upload
from upload.portal import PortalConfig, PortalTarget, require_tls
from upload.runner import run_item_upload


def mark_sent(ws: Workspace, code: str, name: str, sha256: str) -> None:
    """The target confirmed a part's file: the part is sent when that file is its latest signed one
    (a part signed again since waits for its newer file); the dossier is sent with its last part."""
    comp = ws.find_component(code, name)
    if comp is None or comp.status != Status.QUEUED:
        return
    latest = ws.latest_artifact(comp.id, ArtifactKind.SIGNED_PDF)
    if latest is None or latest.blob != sha256:
        return
    ws.set_component_status(comp.id, Status.UPLOADED)
    parts = [c for c in ws.components(code) if c.status != Status.EMPTY]
    if parts and all(c.status in (Status.UPLOADED, Status.PURGED) for c in parts):
        ws.update_dossier(code, status=DossierStatus.UPLOADED)


def default_upload_folder(ws: Workspace, settings: Settings) -> Path:
    return Path(settings.upload_folder) if settings.upload_folder else ws.root / "delivered"


def purge_expired(ws: Workspace, settings: Settings, outbox: Outbox) -> list[int]:
    """Retention: delete the local copies of parts the target confirmed `retention_days` ago.

    A component still waiting to send a newer version keeps its files, and so does one being made
    again (pages added since its delivery): its old file is purged once its new one is delivered.
    Every purge is an event.
    """
    purged = []
    waiting = {
        (i.dossier, i.component) for i in outbox.items() if i.state in ("queued", "uploading", "uploaded")
    }
    for item in outbox.purgeable(settings.retention_days):
        if (item.dossier, item.component) in waiting:
            continue
        comp = ws.find_component(item.dossier, item.component)
        if comp is not None and comp.status not in (Status.UPLOADED, Status.PURGED):
            continue
        if comp is not None and comp.status == Status.UPLOADED:
            reason = f"delivered {item.confirmed_at}; retention {settings.retention_days} days"
            ws.purge_component(comp.id, reason=reason)
        outbox.mark_purged(item.id)
        purged.append(item.id)
    ws.delete_unreferenced()
    return purged


def portal_target(settings: Settings, url: str) -> PortalTarget:
    require_tls(url)  # before the credentials are even read
    client_id, secret = portal_credentials(settings)
    mb = 1024 * 1024
    config = PortalConfig(
        url=url,
        client_id=client_id,
        client_secret=secret,
        ca_bundle=settings.portal_ca_bundle or None,
        chunk_size=settings.upload_chunk_mb * mb,
        max_file_bytes=settings.upload_max_file_mb * mb or None,
        max_bytes_per_s=settings.upload_max_kbps * 1024 or None,
    )
    return PortalTarget(config)


def upload_due(
    ws: Workspace,
    settings: Settings,
    *,
    folder: str | None = None,
    portal: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    on_status=None,
    pause: threading.Event | None = None,
) -> UploadSummary:
    """Send everything due to the folder target (the default) or the portal, then purge old copies.
    Parts a crash left signed but not queued are queued first."""
    with Outbox(ws.outbox_path) as outbox:
        queue_signed(ws, outbox, settings)
        if portal or (settings.portal_url and not folder):
            target = portal_target(settings, portal or settings.portal_url)
            try:
                summary = run_item_upload(
                    outbox,
                    target,
                    parallel=settings.upload_parallel,
                    progress=progress,
                    cancel=cancel,
                    on_status=on_status,
                    pause=pause,
                )
            finally:
                target.close()
        else:
            target = FolderTarget(folder or default_upload_folder(ws, settings))
            summary = run_upload(outbox, target, progress=progress, cancel=cancel)
        for item in outbox.items("confirmed"):
            if item.id in summary.delivered or item.id in summary.recovered:
                ws.record(
                    "outbox.delivered",
                    item.dossier,
                    {
                        "item": item.id,
                        "component": item.component,
                        "sha256": item.sha256,
                        "target": target.describe(),
                    },
                )
                mark_sent(ws, item.dossier, item.component, item.sha256)
        summary.purged = purge_expired(ws, settings, outbox)
    return summary

"""Parts signed on a token, verified, recorded and queued; a file signed elsewhere queued."""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.config import Settings
from app.pipeline.errors import NotProcessed, NotVerified
from app.signsetup import sign_options, trust_roots
from app.workspace import Artifact, ArtifactKind, Component, Status, Workspace
from common.progress import Progress
from signing import SignOptions, TokenSession, sign_pdfs, verify_pdf
from signing.verify import VerifyReport
from upload import Outbox

log = logging.getLogger(__name__)


@dataclass
class SignedPart:
    component: Component
    artifact: Artifact
    report: VerifyReport
    outbox_id: int
    newly_queued: bool


def sign_components(
    ws: Workspace,
    components: Sequence[Component],
    token: TokenSession,
    settings: Settings,
    *,
    cert_label: str | None = None,
    options: SignOptions | None = None,
    trust: Sequence[str] = (),
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> list[SignedPart]:
    """Sign each component's PDF with a logged-in token, verify it, record it, and queue it."""
    options = options or sign_options(settings)
    roots = trust_roots(ws.root, settings, trust)
    inputs = part_inputs(ws, components)
    parts: list[SignedPart] = []
    with Outbox(ws.outbox_path) as outbox, tempfile.TemporaryDirectory(dir=ws.work_dir()) as tmp:
        by_output = {Path(tmp) / f"{c.id}.pdf": c for c, _ in inputs}
        pairs = [(ws.blobs.path(a.blob), Path(tmp) / f"{c.id}.pdf") for c, a in inputs]
        sign_pdfs(
            token,
            cert_label,
            pairs,
            options,
            trust_roots=roots,
            progress=progress,
            cancel=cancel,
            on_signed=Keeper(ws, outbox, options.role, roots, by_output, parts),
        )
    return parts


def part_inputs(ws: Workspace, components: Sequence[Component]) -> list[tuple[Component, Artifact]]:
    """Each component with the file to sign: the newest of its files (a PDF made since its last
    signature is signed afresh, a signed one is signed again: the official's certification)."""
    inputs = []
    for comp in components:
        art = ws.latest_artifact(comp.id, ArtifactKind.SIGNED_PDF, *ArtifactKind.made())
        if art is None:
            raise NotProcessed(name=comp.name)
        inputs.append((comp, art))
    return inputs


class Keeper:
    """Verifies, records and queues each file as soon as it is signed: if signing stops at the next
    file (a token pulled out, a service gone), what was signed stays signed and queued."""

    def __init__(
        self, ws, outbox, role, roots, by_output: dict[Path, Component], parts: list[SignedPart]
    ) -> None:
        self.ws, self.outbox, self.role, self.roots = ws, outbox, role, roots
        self.by_output, self.parts = by_output, parts

    def __call__(self, result) -> None:
        comp = self.by_output[Path(result.output)]
        report = verify_pdf(result.output, self.roots)
        if not report.ok:
            problems = "; ".join(p for s in report.signatures for p in s.problems) or "no signature"
            raise NotVerified(name=comp.name, problems=problems)
        art = self.ws.add_artifact(
            comp.id,
            ArtifactKind.SIGNED_PDF,
            result.output,
            status=Status.SIGNED,
            meta={"signer": result.signer, "field": result.field, "role": self.role},
        )
        self.parts.append(_queue(self.ws, self.outbox, comp, art, report, result.signer))


def _queue(
    ws: Workspace, outbox: Outbox, comp: Component, art: Artifact, report: VerifyReport, signer: str
) -> SignedPart:
    dossier = ws.dossier_by_id(comp.dossier_id)
    filename = f"{dossier.code} - {comp.name}.pdf"
    item, created = outbox.enqueue(
        ws.blobs.path(art.blob),
        dossier=dossier.code,
        component=comp.name,
        signer=signer,
        filename=filename,
    )
    ws.set_component_status(comp.id, Status.QUEUED)
    ws.record("outbox.queue", str(comp.id), {"item": item.id, "sha256": item.sha256, "new": created})
    return SignedPart(comp, art, report, item.id, created)


def queue_signed(ws: Workspace, outbox: Outbox, settings: Settings) -> list[SignedPart]:
    """Queue the parts a crash left signed but not queued (the signed file recorded, the process
    killed before it reached the outbox): each verified again, then queued as signing would have."""
    stuck = ws.parts_in(Status.SIGNED)
    if not stuck:
        return []
    roots = trust_roots(ws.root, settings)
    parts = []
    for code, name in stuck:
        comp = ws.component(code, name)
        art = ws.latest_artifact(comp.id, ArtifactKind.SIGNED_PDF)
        if art is None:
            continue
        report = verify_pdf(ws.blobs.path(art.blob), roots)
        if not report.ok:
            log.warning("%s/%s: its signed file does not verify; left for the clerk", code, name)
            continue
        parts.append(_queue(ws, outbox, comp, art, report, art.meta_dict.get("signer", "")))
    return parts


def queue_file(
    ws: Workspace,
    path: Path,
    *,
    code: str,
    component_name: str,
    settings: Settings,
    trust: Sequence[str] = (),
) -> tuple[int, bool, VerifyReport]:
    """Queue an already-signed file for a dossier component, after verifying it."""
    roots = trust_roots(ws.root, settings, trust)
    report = verify_pdf(path, roots)
    if not report.ok:
        problems = "; ".join(p for s in report.signatures for p in s.problems) or "no signature"
        raise NotVerified(name=path.name, problems=problems)
    ws.dossier(code)
    comp = ws.component(code, component_name, create=True)
    art = ws.add_artifact(
        comp.id,
        ArtifactKind.SIGNED_PDF,
        path,
        status=Status.SIGNED,
        meta={"signer": report.signatures[-1].signer, "imported": path.name},
    )
    with Outbox(ws.outbox_path) as outbox:
        part = _queue(ws, outbox, comp, art, report, report.signatures[-1].signer)
    return part.outbox_id, part.newly_queued, report

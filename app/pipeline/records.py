"""Data records in a dossier: ask a data service (or take the answer the clerk saved), print it as a
PDF/A-3 with the raw answer embedded, add it to the dossier as a part of its own kind, ready for the
official's signature; check a record and compare two. Every lookup is an audit-trail entry (who
asked about whom, in which service, for which dossier, when); nothing of an answer is logged."""

from __future__ import annotations

import threading
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from app.config import Settings
from app.dataservices import api_headers, query_for, service_entry, service_url
from app.signsetup import sign_options
from app.workspace import Artifact, ArtifactKind, Component, Status, Workspace
from common.errors import QT_TRANSLATE_NOOP, UserError
from common.vntime import iso_vietnam_time
from records import (
    Answer,
    Change,
    RequestFacts,
    fetch,
    flatten,
    parse_answer,
    read_record,
    render_record,
)
from records.answer import MAX_BYTES, label_for, value_at
from records.diff import side_by_side
from records.errors import RecordError

COMPONENT = "Phiếu kết quả khai thác dữ liệu"


class NotSameSubject(UserError):
    context = "records"
    template = QT_TRANSLATE_NOOP(
        "records", "The two records are not about the same subject ({first}: {a}; {second}: {b})."
    )
    exit_code = 2


@dataclass(frozen=True)
class MadeRecord:
    component: Component
    artifact: Artifact
    answer: Answer
    facts: RequestFacts
    subject: str


def lookup(
    ws: Workspace,
    settings: Settings,
    code: str,
    service: str,
    given: dict[str, str],
    *,
    url: str | None = None,
    cancel: threading.Event | None = None,
) -> tuple[Answer, RequestFacts, dict]:
    """Ask `service` about the dossier's subject; the answer exactly as received."""
    dossier = ws.dossier(code)
    entry = service_entry(service, ws.root)
    query = query_for(entry, given, dossier.applicant_id)
    audit = {"service": service, "query": query, "official": ws.actor, "dossier": code}
    try:
        answer, facts = fetch(
            service_url(entry, url),
            query,
            service=service,
            service_name=entry.get("name", service),
            method=entry.get("method", "GET"),
            headers=api_headers(entry),
            request_id_header=entry.get("request_id_header", "X-Request-ID"),
            timeout=settings.data_timeout_s,
            cancel=cancel,
            official=ws.actor,
            dossier=code,
            procedure_code=dossier.procedure,
            agency_code=settings.agency_code,
        )
    except RecordError as exc:
        ws.record("data.lookup", code, {**audit, "outcome": type(exc).__name__})
        raise
    ws.record(
        "data.lookup",
        code,
        {**audit, "outcome": "answered", "request_id": facts.request_id, "sha256": answer.sha256},
    )
    return answer, facts, entry


def saved_answer(
    ws: Workspace, settings: Settings, code: str, service: str, path: Path
) -> tuple[Answer, RequestFacts, dict]:
    """An answer the clerk saved from the service's page or export, taken byte for byte."""
    dossier = ws.dossier(code)
    entry = service_entry(service, ws.root)
    name = entry.get("name", service)
    with open(path, "rb") as fh:
        raw = fh.read(MAX_BYTES + 1)
    answer = parse_answer(raw, name, _media_type(path))
    facts = RequestFacts(
        service=service,
        service_name=name,
        endpoint="",
        query={},
        requested_at=iso_vietnam_time(),
        official=ws.actor,
        dossier=code,
        procedure_code=dossier.procedure,
        agency_code=settings.agency_code,
        media_type=answer.media_type,
        source="saved",
        extra={"file": Path(path).name},
    )
    ws.record(
        "data.saved",
        code,
        {"service": service, "file": Path(path).name, "official": ws.actor, "sha256": answer.sha256},
    )
    return answer, facts, entry


def _media_type(path: Path) -> str:
    return {".json": "application/json", ".xml": "application/xml"}.get(Path(path).suffix.lower(), "")


def subject_of(answer: Answer, entry: dict) -> str:
    values = [value_at(answer.data, p) or "" for p in entry.get("subject", [])]
    return "/".join(values) if any(values) else ""


def make_record(
    ws: Workspace,
    code: str,
    answer: Answer,
    facts: RequestFacts,
    entry: dict,
    *,
    cancel: threading.Event | None = None,
) -> MadeRecord:
    """Print the answer and add it to the dossier as a data record, waiting for its signature."""
    subject = subject_of(answer, entry)
    work = ws.work_dir() / "records"
    work.mkdir(parents=True, exist_ok=True)
    tmp = work / f"{uuid.uuid4().hex}.pdf"
    heading = f"{entry.get('subject_label', '')}: {subject}" if subject else ""
    try:
        rendered = render_record(
            answer, facts, tmp, labels=entry.get("labels", {}), subject_label=heading, cancel=cancel
        )
        when = datetime.fromisoformat(facts.requested_at).strftime("%d/%m/%Y %H:%M:%S")
        name = f"{COMPONENT}: {entry.get('name', facts.service)} - {subject or '?'} - {when}"
        comp = ws.component(code, name, create=True, kind="record")
        meta = {
            "service": facts.service,
            "subject": subject,
            "sha256": answer.sha256,
            "request_id": facts.request_id,
            "requested_at": facts.requested_at,
            "source": facts.source,
            "pages": rendered.pages,
            "fields": rendered.fields,
        }
        art = ws.add_artifact(comp.id, ArtifactKind.RECORD_PDF, tmp, status=Status.PROCESSED, meta=meta)
    finally:
        tmp.unlink(missing_ok=True)
    return MadeRecord(ws.component_by_id(comp.id), art, answer, facts, subject)


def record_options(settings: Settings, **overrides):
    """A record is signed for the long run: B-LTA unless asked otherwise, with the signer's stamp."""
    return sign_options(settings, role="record", **overrides)


def records_of(ws: Workspace, code: str) -> list[tuple[Component, Artifact | None, Artifact | None]]:
    """The dossier's data records with their made and signed files, oldest first."""
    out = []
    for comp in ws.components(code):
        if comp.kind == "record":
            out.append((comp, ws.made_pdf(comp.id), ws.latest_artifact(comp.id, ArtifactKind.SIGNED_PDF)))
    return out


@dataclass(frozen=True)
class RecordCheck:
    path: Path
    signature_ok: bool
    hash_ok: bool
    report: object  # signing.VerifyReport
    facts: RequestFacts
    answer: Answer | None
    answer_name: str
    raw_sha256: str
    printed_sha256: str
    fields: list[tuple[str, str, str]]  # (path, label, value)

    @property
    def ok(self) -> bool:
        return self.signature_ok and self.hash_ok and self.answer is not None

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "file": str(self.path),
            "signature_ok": self.signature_ok,
            "answer": {
                "name": self.answer_name,
                "sha256": self.raw_sha256,
                "printed_sha256": self.printed_sha256,
                "matches": self.hash_ok,
                "readable": self.answer is not None,
            },
            "request": asdict(self.facts),
            "fields": [{"path": p, "label": lab, "value": v} for p, lab, v in self.fields],
            "verify": self.report.as_dict(),
        }


def check_record(path: Path, roots, workspace_root: Path | None = None) -> RecordCheck:
    """The record's signatures, its embedded answer against the hash on the page, and its data."""
    from signing import verify_pdf

    contents = read_record(path)
    report = verify_pdf(path, roots)
    labels = _labels(contents.facts.service, workspace_root)
    fields = []
    if contents.answer is not None:
        fields = [(p, label_for(p, labels), v) for p, v in flatten(contents.answer.data)]
    return RecordCheck(
        Path(path),
        bool(report.ok),
        contents.hash_ok,
        report,
        contents.facts,
        contents.answer,
        contents.answer_name,
        contents.raw_sha256,
        contents.printed_sha256,
        fields,
    )


def _labels(service: str, workspace_root: Path | None) -> dict:
    try:
        return service_entry(service, workspace_root).get("labels", {})
    except UserError:
        return {}


@dataclass(frozen=True)
class RecordDiff:
    service: str
    subject: str
    older: tuple[Path, RequestFacts, str]  # file, request, sha256
    newer: tuple[Path, RequestFacts, str]
    rows: list[tuple[Change, str]]  # every field of both, with its label; kind "" when unchanged

    @property
    def changes(self) -> list[tuple[Change, str]]:
        return [(c, label) for c, label in self.rows if c.kind]

    def as_dict(self) -> dict:
        def side(s):
            return {
                "file": str(s[0]),
                "requested_at": s[1].requested_at,
                "request_id": s[1].request_id,
                "sha256": s[2],
            }

        return {
            "ok": True,
            "service": self.service,
            "subject": self.subject,
            "older": side(self.older),
            "newer": side(self.newer),
            "changes": [{**c.as_dict(), "label": label} for c, label in self.changes],
        }


def compare_records(a: Path, b: Path, workspace_root: Path | None = None) -> RecordDiff:
    """What changed, field by field, from the older record of a subject to the newer one."""
    first, second = read_record(a), read_record(b)
    for path, contents in ((a, first), (b, second)):
        if contents.answer is None:
            raise RecordError(detail=f"{Path(path).name}: the embedded answer cannot be read")
    try:
        entry = service_entry(first.facts.service, workspace_root)
    except UserError:
        entry = {"subject": [], "labels": {}}
    subj_a, subj_b = subject_of(first.answer, entry), subject_of(second.answer, entry)
    if first.facts.service != second.facts.service or subj_a != subj_b:
        raise NotSameSubject(
            first=Path(a).name,
            a=f"{first.facts.service} {subj_a}",
            second=Path(b).name,
            b=f"{second.facts.service} {subj_b}",
        )
    sides = [(Path(a), first), (Path(b), second)]
    sides.sort(key=lambda s: s[1].facts.requested_at)
    (pa, old), (pb, new) = sides
    labels = entry.get("labels", {})
    rows = [(c, label_for(c.path, labels)) for c in side_by_side(old.answer.data, new.answer.data)]
    return RecordDiff(
        first.facts.service,
        subj_a,
        (pa, old.facts, old.raw_sha256),
        (pb, new.facts, new.raw_sha256),
        rows,
    )

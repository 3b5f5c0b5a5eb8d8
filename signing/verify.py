"""Validate every signature of a PDF: intact, chained to a trusted root, what later revisions changed."""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from asn1crypto import pem, x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from signing.certinfo import find_ids
from signing.errors import BadPdf, SigningError

log = logging.getLogger(__name__)


@dataclass
class SignatureReport:
    field: str
    signer: str
    citizen_id: str
    issuer: str
    intact: bool
    valid: bool
    trusted: bool
    signing_time: str | None
    timestamp: str | None
    coverage: str
    modification_level: str
    revocation: str
    ok: bool
    problems: list[str] = field(default_factory=list)


@dataclass
class VerifyReport:
    path: str
    signatures: list[SignatureReport]

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and all(s.ok for s in self.signatures)

    def as_dict(self) -> dict:
        return {"path": self.path, "ok": self.ok, "signatures": [asdict(s) for s in self.signatures]}


def load_trust_roots(paths: list[str | os.PathLike[str]]) -> list[x509.Certificate]:
    """Read root certificates (PEM or DER; files or folders of them)."""
    roots: list[x509.Certificate] = []
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(
                sorted(f for f in p.iterdir() if f.suffix.lower() in (".pem", ".crt", ".cer", ".der"))
            )
        else:
            files.append(p)
    for f in files:
        try:
            data = f.read_bytes()
        except OSError as exc:
            raise SigningError(detail=f"{f}: {exc.strerror}") from exc
        try:
            if pem.detect(data):
                roots.extend(x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True))
            else:
                roots.append(x509.Certificate.load(data))
        except ValueError as exc:
            raise SigningError(detail=f"{f.name}: not a certificate ({exc})") from exc
    return roots


def verify_pdf(path: str | os.PathLike[str], trust_roots: list[x509.Certificate]) -> VerifyReport:
    """Check every embedded signature offline, using embedded revocation data where present."""
    path = Path(path)
    reports = []
    try:
        with open(path, "rb") as fh:
            reader = PdfFileReader(fh, strict=False)
            for sig in reader.embedded_signatures:
                vc = ValidationContext(
                    trust_roots=trust_roots, allow_fetching=False, revocation_mode="soft-fail"
                )
                reports.append(_report(sig, vc))
    except (PdfError, ValueError, KeyError) as exc:
        raise BadPdf(name=path.name, detail=str(exc) or type(exc).__name__) from exc
    except OSError as exc:
        raise SigningError(detail=f"{path.name}: {exc.strerror or exc}") from exc
    return VerifyReport(str(path), reports)


def _report(sig, vc: ValidationContext) -> SignatureReport:
    try:
        status = validate_pdf_signature(sig, vc)
    except Exception as exc:  # pyHanko raises many kinds on malformed signatures
        log.info("signature %s could not be validated: %s", sig.field_name, exc)
        return SignatureReport(
            str(sig.field_name),
            "",
            "",
            "",
            False,
            False,
            False,
            None,
            None,
            "unknown",
            "unknown",
            "unknown",
            False,
            [f"cannot validate: {exc}"],
        )
    cert = status.signing_cert
    ids = find_ids(cert.subject) if cert is not None else ()
    ts = status.timestamp_validity
    problems = []
    if not status.intact:
        problems.append("the signed content was changed")
    if not status.valid:
        problems.append("the cryptographic signature is invalid")
    if not status.trusted:
        problems.append("the signer's certificate does not chain to a trusted root")
    modification = getattr(status.modification_level, "name", str(status.modification_level))
    coverage = getattr(status.coverage, "name", str(status.coverage))
    if coverage not in ("ENTIRE_FILE", "ENTIRE_REVISION") or modification not in (
        "NONE",
        "LTA_UPDATES",
        "FORM_FILLING",
        "None",
    ):
        problems.append(f"later changes not allowed: {modification}")
    return SignatureReport(
        field=str(sig.field_name),
        signer=cert.subject.native.get("common_name", cert.subject.human_friendly) if cert else "",
        citizen_id=next((n for k, n in ids if k in ("CCCD", "CMND", "HC")), ""),
        issuer=cert.issuer.human_friendly if cert else "",
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        signing_time=status.signer_reported_dt.isoformat() if status.signer_reported_dt else None,
        timestamp=ts.timestamp.isoformat() if ts is not None else None,
        coverage=coverage,
        modification_level=modification,
        revocation=_revocation_summary(status),
        ok=not problems,
        problems=problems,
    )


def _revocation_summary(status) -> str:
    """Offline validation: say whether revocation data was found and used, never fetch it."""
    details = getattr(status, "revocation_details", None)
    if details is None:
        return "not checked (offline, none embedded)"
    return "revoked" if getattr(details, "revoked", False) else "good"

"""Validate every signature of a PDF: intact, chained to a trusted root, timestamp, revocation, later changes.

Offline first: revocation data embedded in the document (its DSS, added by B-LT and B-LTA signing) is
used when present; nothing is fetched unless `online=True`. A signature with a trusted timestamp and
embedded revocation data is validated at the timestamp's time, so it stays valid after the signer's
certificate expires.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from asn1crypto import pem, x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
from pyhanko_certvalidator import ValidationContext

from common.errors import QT_TRANSLATE_NOOP, Translator
from common.progress import Progress, check_cancel, report
from signing.certinfo import find_ids
from signing.errors import CannotVerify, SigningError

log = logging.getLogger(__name__)

# What can be wrong with a signature. English source text, translated where it is shown.
CHANGED = QT_TRANSLATE_NOOP("verify", "the signed content was changed")
BAD_SIGNATURE = QT_TRANSLATE_NOOP("verify", "the cryptographic signature is invalid")
UNTRUSTED = QT_TRANSLATE_NOOP("verify", "the signer's certificate does not chain to a trusted root")
REVOKED = QT_TRANSLATE_NOOP("verify", "the signer's certificate was revoked on {date} ({reason})")
EXPIRED = QT_TRANSLATE_NOOP("verify", "the signer's certificate was not valid at the signing time")
REVOCATION_UNKNOWN = QT_TRANSLATE_NOOP("verify", "the revocation status could not be established")
TIMESTAMP_BAD = QT_TRANSLATE_NOOP("verify", "the timestamp is not valid or not from a trusted authority")
LATER_CHANGES = QT_TRANSLATE_NOOP("verify", "later changes not allowed: {level}")
CANNOT_VALIDATE = QT_TRANSLATE_NOOP("verify", "cannot validate: {detail}")

REASONS = {
    "unspecified": QT_TRANSLATE_NOOP("verify", "no reason given"),
    "key_compromise": QT_TRANSLATE_NOOP("verify", "key compromised"),
    "ca_compromise": QT_TRANSLATE_NOOP("verify", "CA compromised"),
    "affiliation_changed": QT_TRANSLATE_NOOP("verify", "affiliation changed"),
    "superseded": QT_TRANSLATE_NOOP("verify", "superseded"),
    "cessation_of_operation": QT_TRANSLATE_NOOP("verify", "no longer used"),
    "certificate_hold": QT_TRANSLATE_NOOP("verify", "suspended"),
    "privilege_withdrawn": QT_TRANSLATE_NOOP("verify", "privilege withdrawn"),
}
_ALLOWED_MODIFICATIONS = ("NONE", "LTA_UPDATES", "FORM_FILLING")


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
    revocation: str  # good | revoked | unknown | not checked
    ok: bool
    problems: list[str] = field(default_factory=list)
    kind: str = "signature"  # signature | document timestamp
    timestamp_trusted: bool | None = None
    revocation_source: str = "none"  # embedded | online | none
    revoked_at: str | None = None
    validated_at: str | None = None
    _problems: list[tuple[str, dict]] = field(default_factory=list, repr=False)

    def add_problem(self, template: str, **params) -> None:
        self._problems.append((template, params))
        self.problems.append(template.format(**params))
        self.ok = False

    def problem_messages(self, translate: Translator) -> list[str]:
        def tr(value):
            return translate("verify", value) if isinstance(value, str) else value

        return [translate("verify", t).format(**{k: tr(v) for k, v in p.items()}) for t, p in self._problems]

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("_problems")
        return d


@dataclass
class VerifyReport:
    path: str
    signatures: list[SignatureReport]

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and all(s.ok for s in self.signatures)

    def as_dict(self) -> dict:
        return {"path": self.path, "ok": self.ok, "signatures": [s.as_dict() for s in self.signatures]}


def load_trust_roots(paths: list[str | os.PathLike[str]]) -> list[x509.Certificate]:
    """Read root certificates (PEM or DER; files, or folders of .pem/.crt/.cer/.der files)."""
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


def verify_pdf(
    path: str | os.PathLike[str],
    trust_roots: list[x509.Certificate],
    *,
    online: bool = False,
    progress: Progress | None = None,
    cancel=None,
) -> VerifyReport:
    """Check every signature and document timestamp of `path`; fetch revocation data only if `online`."""
    path = Path(path)
    reports = []
    try:
        with open(path, "rb") as fh:
            reader = PdfFileReader(fh, strict=False)
            try:
                dss = DocumentSecurityStore.read_dss(reader)
            except NoDSSFoundError:
                dss = None
            sigs = list(reader.embedded_signatures)
            report(progress, 0, len(sigs))
            for n, sig in enumerate(sigs):
                check_cancel(cancel)
                reports.append(_check(sig, trust_roots, dss, online))
                report(progress, n + 1, len(sigs))
    except (PdfError, ValueError, KeyError) as exc:
        raise CannotVerify(name=path.name, detail=str(exc) or type(exc).__name__) from exc
    except OSError as exc:
        raise SigningError(detail=f"{path.name}: {exc.strerror or exc}") from exc
    return VerifyReport(str(path), reports)


def _chain_context(roots, dss) -> ValidationContext:
    """Chain and signature only: the document's certificates, no revocation data, nothing fetched.

    (pyHanko fails even a soft-fail check when the document holds an OCSP answer from the same CA
    about another certificate, e.g. a countersigner's: revocation is judged in a pass of its own.)
    """
    certs = list(dss.load_certs()) if dss is not None else []
    return ValidationContext(
        trust_roots=roots, other_certs=certs, allow_fetching=False, revocation_mode="soft-fail"
    )


def _context(roots, dss, online: bool, *, hard: bool, moment: datetime | None = None) -> ValidationContext:
    kwargs = {
        "trust_roots": roots,
        "allow_fetching": online,
        "revocation_mode": "hard-fail" if hard else "soft-fail",
    }
    if moment is not None:
        kwargs.update(moment=moment, retroactive_revinfo=True)
    if dss is not None:
        return dss.as_validation_context(kwargs)
    return ValidationContext(**kwargs)


def _has_revinfo(dss) -> bool:
    return dss is not None and bool(dss.ocsps or dss.crls)


def _check(sig, roots, dss, online: bool) -> SignatureReport:
    is_doc_ts = str(sig.sig_object_type) == "/DocTimeStamp"
    revinfo = _has_revinfo(dss) or online
    try:
        if is_doc_ts:
            status = validate_pdf_timestamp(sig, validation_context=_chain_context(roots, dss))
            return _timestamp_report(sig, status)
        first = validate_pdf_signature(
            sig,
            signer_validation_context=_chain_context(roots, dss),
            ts_validation_context=_chain_context(roots, dss),
        )
        status, moment = first, None
        if revinfo and first.intact and first.valid:
            ts = first.timestamp_validity
            if ts is not None and ts.intact and ts.valid and ts.trusted:
                moment = ts.timestamp
            status = validate_pdf_signature(
                sig,
                signer_validation_context=_context(roots, dss, online, hard=True, moment=moment),
                ts_validation_context=_chain_context(roots, dss),
            )
    except Exception as exc:  # pyHanko raises many kinds on malformed signatures
        return _unreadable(sig, exc)
    return _signature_report(sig, first, status, revinfo, online, moment)


def _unreadable(sig, exc: Exception) -> SignatureReport:
    log.info("signature %s could not be validated: %s", sig.field_name, exc)
    r = SignatureReport(
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
        True,
    )
    r.add_problem(CANNOT_VALIDATE, detail=str(exc) or type(exc).__name__)
    return r


def _indication(status) -> str:
    indic = getattr(status, "trust_problem_indic", None)
    return getattr(indic, "name", "") if indic is not None else ""


def _signature_report(sig, first, status, revinfo: bool, online: bool, moment) -> SignatureReport:
    cert = status.signing_cert
    ids = find_ids(cert.subject) if cert is not None else ()
    ts = first.timestamp_validity
    modification = getattr(status.modification_level, "name", str(status.modification_level))
    coverage = getattr(status.coverage, "name", str(status.coverage))
    details = status.revocation_details
    indication = _indication(status)
    trusted = bool(status.trusted)
    if details is not None or indication.startswith("REVOKED"):
        revocation = "revoked"
    elif revinfo and trusted:
        revocation = "good"
    elif online:
        # Fetching failed or the answers did not settle it: say what the chain check found.
        revocation = "unknown"
        trusted = bool(first.trusted)
    else:
        # Offline, and the file holds no revocation data that settles this signature (e.g. a
        # citizen's B-B signature beside an official's B-LT one).
        revocation = "not checked"
        trusted = bool(first.trusted)
    r = SignatureReport(
        field=str(sig.field_name),
        signer=cert.subject.native.get("common_name", cert.subject.human_friendly) if cert else "",
        citizen_id=next((n for k, n in ids if k in ("CCCD", "CMND", "HC")), ""),
        issuer=cert.issuer.human_friendly if cert else "",
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=trusted,
        signing_time=status.signer_reported_dt.isoformat() if status.signer_reported_dt else None,
        timestamp=ts.timestamp.isoformat() if ts is not None else None,
        coverage=coverage,
        modification_level=modification,
        revocation=revocation,
        ok=True,
        timestamp_trusted=bool(ts.intact and ts.valid and ts.trusted) if ts is not None else None,
        revocation_source=("online" if online else "embedded")
        if revocation in ("good", "revoked")
        else "none",
        revoked_at=details.revocation_date.isoformat() if details is not None else None,
        validated_at=(moment or status.validation_time).isoformat()
        if (moment or status.validation_time)
        else None,
    )
    if not status.intact:
        r.add_problem(CHANGED)
    if not status.valid:
        r.add_problem(BAD_SIGNATURE)
    if revocation == "revoked":
        reason = getattr(details, "revocation_reason", None) if details is not None else None
        r.add_problem(
            REVOKED,
            date=r.revoked_at[:10] if r.revoked_at else "?",
            reason=REASONS.get(str(getattr(reason, "native", "") or "unspecified"), REASONS["unspecified"]),
        )
    elif indication in ("EXPIRED", "NOT_YET_VALID", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED"):
        r.add_problem(EXPIRED)
    elif not trusted:
        r.add_problem(UNTRUSTED)
    if revocation == "unknown":
        r.add_problem(REVOCATION_UNKNOWN)
    if ts is not None and not r.timestamp_trusted:
        r.add_problem(TIMESTAMP_BAD)
    if coverage not in ("ENTIRE_FILE", "ENTIRE_REVISION") or modification not in _ALLOWED_MODIFICATIONS:
        r.add_problem(LATER_CHANGES, level=modification)
    return r


def _timestamp_report(sig, status) -> SignatureReport:
    cert = status.signing_cert
    modification = getattr(status.modification_level, "name", str(status.modification_level))
    coverage = getattr(status.coverage, "name", str(status.coverage))
    r = SignatureReport(
        field=str(sig.field_name),
        signer=cert.subject.native.get("common_name", cert.subject.human_friendly) if cert else "",
        citizen_id="",
        issuer=cert.issuer.human_friendly if cert else "",
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        signing_time=None,
        timestamp=status.timestamp.isoformat() if status.timestamp else None,
        coverage=coverage,
        modification_level=modification,
        revocation="not checked",
        ok=True,
        kind="document timestamp",
        timestamp_trusted=bool(status.intact and status.valid and status.trusted),
    )
    if not status.intact:
        r.add_problem(CHANGED)
    if not (status.valid and status.trusted):
        r.add_problem(TIMESTAMP_BAD)
    if coverage not in ("ENTIRE_FILE", "ENTIRE_REVISION") or modification not in _ALLOWED_MODIFICATIONS:
        r.add_problem(LATER_CHANGES, level=modification)
    return r

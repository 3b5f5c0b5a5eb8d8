"""What a clerk needs to know about a certificate: holder, ID numbers, issuer, validity, usage."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import x509

_ID_PATTERN = re.compile(r"\b(CCCD|CMND|HC|MST|MNS|CMT)\s*[:\-]?\s*([0-9A-Z\-]{6,20})", re.IGNORECASE)


@dataclass(frozen=True)
class CertificateInfo:
    label: str
    key_id: str  # hex CKA_ID of the certificate object
    holder: str
    ids: tuple[tuple[str, str], ...]  # (kind, number), e.g. ("CCCD", "001203012345")
    organization: str
    issuer: str
    serial: str
    not_before: datetime
    not_after: datetime
    key_usage: tuple[str, ...]
    key_type: str  # "rsa" or "ec"
    is_ca: bool
    has_private_key: bool | None  # None: cannot tell before login
    der: bytes

    @property
    def expired(self) -> bool:
        now = datetime.now(UTC)
        return not (self.not_before <= now <= self.not_after)

    @property
    def can_sign(self) -> bool:
        """A certificate for signing documents: not a CA's, and its key usage allows signatures."""
        return not self.is_ca and (
            not self.key_usage or "digital_signature" in self.key_usage or "non_repudiation" in self.key_usage
        )

    @property
    def citizen_id(self) -> str:
        for kind, number in self.ids:
            if kind in ("CCCD", "CMND", "CMT", "HC"):
                return number
        return ""

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "id": self.key_id,
            "holder": self.holder,
            "ids": [{"kind": k, "number": n} for k, n in self.ids],
            "citizen_id": self.citizen_id,
            "organization": self.organization,
            "issuer": self.issuer,
            "serial": self.serial,
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat(),
            "expired": self.expired,
            "key_usage": list(self.key_usage),
            "key_type": self.key_type,
            "can_sign": self.can_sign,
            "has_private_key": self.has_private_key,
        }


def _name_field(name: x509.Name, field: str) -> str:
    value = name.native.get(field, "")
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return str(value)


def find_ids(name: x509.Name) -> tuple[tuple[str, str], ...]:
    """ID numbers Vietnamese CAs put in the subject (UID=CCCD:..., serialNumber, MST:...)."""
    found: list[tuple[str, str]] = []
    for rdn in name.chosen:
        for attr in rdn:
            value = attr["value"].native
            if not isinstance(value, str):
                continue
            for match in _ID_PATTERN.finditer(value):
                pair = (match.group(1).upper(), match.group(2))
                if pair not in found:
                    found.append(pair)
            if attr["type"].native == "serial_number" and value.isdigit() and len(value) in (9, 12):
                pair = ("CCCD" if len(value) == 12 else "CMND", value)
                if pair not in found:
                    found.append(pair)
    return tuple(found)


def describe(
    der: bytes, *, label: str = "", key_id: bytes = b"", has_key: bool | None = None
) -> CertificateInfo:
    cert = x509.Certificate.load(der)
    subject = cert.subject
    usage = cert.key_usage_value.native if cert.key_usage_value is not None else set()
    validity = cert["tbs_certificate"]["validity"]
    return CertificateInfo(
        label=label,
        key_id=key_id.hex(),
        holder=_name_field(subject, "common_name"),
        ids=find_ids(subject),
        organization=_name_field(subject, "organization_name"),
        issuer=_name_field(cert.issuer, "common_name") or cert.issuer.human_friendly,
        serial=format(cert.serial_number, "X"),
        not_before=validity["not_before"].native.astimezone(UTC),
        not_after=validity["not_after"].native.astimezone(UTC),
        key_usage=tuple(sorted(usage)),
        key_type="ec" if cert.public_key.algorithm == "ec" else cert.public_key.algorithm,
        is_ca=bool(cert.ca),
        has_private_key=has_key,
        der=der,
    )

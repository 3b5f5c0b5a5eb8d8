"""What every remote signing service offers SoHoa, whatever its protocol.

A remote signing service keeps the signer's key with the CA. SoHoa lists a user's certificates,
asks for one approval covering a batch of hashes (the signer approves on their phone), polls the
request until it is approved, refused, expired or failed, and receives one raw signature per hash.
Adapters (`csc`, `sp769`) implement `RemoteService`; `signing.remote.pades` does the PDF side.
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from common.urls import protected
from signing.certinfo import CertificateInfo, describe
from signing.errors import (
    InsecureService,
    RemoteAnswerInvalid,
    RemoteExpired,
    RemoteOtpNeeded,
    RemotePinNeeded,
    RemoteRefused,
    RemoteRejected,
    RemoteSigningError,
    RemoteUnavailable,
)

log = logging.getLogger(__name__)

HTTP_TIMEOUT = 30.0  # seconds for one call; waiting for the phone is done by polling


class RemoteState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"
    FAILED = "failed"


@dataclass(frozen=True)
class RemoteCredential:
    """One signing certificate of a user at a service, and what the service allows with it."""

    provider: str
    credential_id: str  # CSC credentialID, or the certificate's serial number for sp769 services
    info: CertificateInfo
    chain: tuple[bytes, ...] = ()  # DER of the issuing CAs
    max_batch: int = 1  # hashes one approval may cover
    algorithms: tuple[str, ...] = ()  # dotted OIDs the key signs with (empty: not said)
    hash_pinning: bool = True  # the approval is bound to the exact hashes (CSC SCAL2)
    asks_pin: bool = False  # the service wants the certificate's PIN with each request
    asks_otp: str = ""  # a one-time code too: "online" (the service sends it) or "offline" (a device)

    def as_dict(self) -> dict:
        out = self.info.as_dict()
        out.update(
            provider=self.provider,
            credential=self.credential_id,
            max_batch=self.max_batch,
            hash_pinning=self.hash_pinning,
            asks_pin=self.asks_pin,
            asks_otp=self.asks_otp,
        )
        return out


@dataclass
class Transaction:
    """One approval asked of the signer: which hashes, the service's reference, when it lapses.

    `secret` holds what must never be written down (a CSC signature activation data); a
    transaction read back after a restart has none.
    """

    id: str
    digests: list[str]  # hex, in the order the signatures come back
    doc_ids: list[str]
    expires_at: float  # seconds since the epoch
    data: dict[str, Any] = field(default_factory=dict)
    secret: str | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict:
        out = asdict(self)
        out.pop("secret")
        return out

    @classmethod
    def from_dict(cls, d: dict) -> Transaction:
        return cls(
            d["id"], list(d["digests"]), list(d["doc_ids"]), float(d["expires_at"]), dict(d.get("data", {}))
        )


@dataclass(frozen=True)
class PollResult:
    state: RemoteState
    signatures: tuple[bytes, ...] = ()
    detail: str = ""


class RemoteService(Protocol):
    provider: str
    name: str  # shown to the clerk

    def certificates(self, user_id: str) -> list[RemoteCredential]: ...

    def request(
        self,
        credential: RemoteCredential,
        user_id: str,
        digests: list[bytes],
        doc_ids: list[str],
        description: str,
        *,
        pin: str | None = None,
        otp: str | None = None,
    ) -> Transaction: ...

    def send_otp(self, credential: RemoteCredential) -> None:
        """Have the service send the signer a one-time code (a credential that `asks_otp` online)."""
        ...

    def poll(self, credential: RemoteCredential, user_id: str, txn: Transaction) -> PollResult: ...

    def close(self) -> None: ...


def check_codes(credential: RemoteCredential, service: str, pin: str | None, otp: str | None) -> None:
    """Say before anything is prepared that the service will want a PIN or a one-time code."""
    if credential.asks_pin and not pin:
        raise RemotePinNeeded(service=service)
    if credential.asks_otp and not otp:
        raise RemoteOtpNeeded(service=service)


def check_url(url: str) -> str:
    """`url` without a trailing slash; https, or http only to this machine."""
    if not urlsplit(url).hostname or not protected(url):
        raise InsecureService(url=url)
    return url.rstrip("/")


class JsonClient:
    """POSTs JSON to a service and says what went wrong in the clerk's terms. Logs no body."""

    def __init__(self, base_url: str, service: str, *, headers: dict[str, str] | None = None) -> None:
        self.base_url = check_url(base_url)
        self.service = service
        self._http = httpx.Client(timeout=HTTP_TIMEOUT, headers=headers or {}, follow_redirects=False)

    def post(self, path: str, body: dict | None = None, *, timeout: float | None = None) -> tuple[int, dict]:
        url = f"{self.base_url}/{path.lstrip('/')}"
        try:
            resp = self._http.post(
                url, json=body if body is not None else {}, timeout=timeout or HTTP_TIMEOUT
            )
        except httpx.TimeoutException as exc:
            raise RemoteUnavailable(service=self.service, detail=type(exc).__name__) from exc
        except httpx.HTTPError as exc:
            raise RemoteUnavailable(service=self.service, detail=type(exc).__name__) from exc
        log.info("%s %s -> %s", self.service, path, resp.status_code)
        if resp.status_code >= 500:
            raise RemoteUnavailable(service=self.service, detail=f"HTTP {resp.status_code}")
        try:
            data = resp.json() if resp.content else {}
        except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
            if resp.status_code >= 400:
                raise RemoteRefused(service=self.service, detail=f"HTTP {resp.status_code}") from None
            raise RemoteAnswerInvalid(service=self.service, detail="not JSON") from None
        if not isinstance(data, dict):
            raise RemoteAnswerInvalid(service=self.service, detail="not a JSON object")
        return resp.status_code, data

    def close(self) -> None:
        self._http.close()


def b64decode(value: Any, service: str, what: str) -> bytes:
    if not isinstance(value, str) or not value:
        raise RemoteAnswerInvalid(service=service, detail=f"no {what}")
    try:
        return base64.b64decode(value, validate=False)
    except (ValueError, TypeError):
        raise RemoteAnswerInvalid(service=service, detail=f"{what} is not base64") from None


def load_certificate(der: bytes, service: str) -> CertificateInfo:
    try:
        return describe(der, has_key=True)
    except (ValueError, TypeError, KeyError) as exc:
        raise RemoteAnswerInvalid(service=service, detail="a certificate cannot be read") from exc


def matches_user(info: CertificateInfo, user_id: str) -> bool:
    """Whether a certificate belongs to `user_id` when that is an ID number the certificate carries.

    A service that answers for a CCCD number with someone else's certificate must not get a citizen's
    dossier signed in another name. An account name (not a number) is the service's to resolve.
    """
    number = user_id.strip()
    if not number.isdigit():
        return True
    return any(n == number for _, n in info.ids)


def raise_for(state: RemoteState, service: str, detail: str = "") -> None:
    """Raise the error that says why a request ended without signatures."""
    if state == RemoteState.REJECTED:
        raise RemoteRejected()
    if state == RemoteState.EXPIRED:
        raise RemoteExpired()
    raise RemoteSigningError(detail=f"{service}: {detail or state.value}")

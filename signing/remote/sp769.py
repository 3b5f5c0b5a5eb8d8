"""Vietnamese remote signing services of the "769" shape: a sign request returns a transaction, the
signer confirms on their phone, the app polls the transaction until it holds the signatures.

Two publications of that shape, one adapter, differing in paths and the hash encoding (both in
`app/resources/remote_signing.json`):

- `vnpt-smartca`: "Tài liệu tích hợp VNPT SmartCA" (SmartCA integration document, sp769 API),
  sections 3.2 `v1/credentials/get_certificate`, 3.3 `v1/signatures/sign` (hash signing,
  `data_to_be_signed` in hex, batch by several `sign_files`) and 3.4
  `v1/signatures/sign/{tranId}/status`.
- `neac`: the national eSign gateway's CA connection API of Decision 769/QĐ-BTTTT (2022), as its
  public client publishes it: `/get_certificate` (`chain_data` a list) and `/sign`, whose answer
  carries `signed_files` at once (synchronous CA) or only a `transaction_id` (asynchronous CA),
  then polled at `/sign/{transaction_id}/status`.

Neither publication lists the words of a refusal or an expiry: SoHoa reads the status message
(`...REJECT...`, `...REFUSE...`, `...DENIED...`, `...CANCEL...` refused; `...EXPIRE...`,
`...TIMEOUT...` expired; a null signature list pending) and treats any other error as failed.
The service credentials (`sp_id`, `sp_password`) come from the system keyring, never the settings.
"""

from __future__ import annotations

import base64
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from signing.errors import (
    NoRemoteCertificate,
    RemoteAnswerInvalid,
    RemoteRefused,
)
from signing.remote.service import (
    JsonClient,
    PollResult,
    RemoteCredential,
    RemoteState,
    Transaction,
    b64decode,
    load_certificate,
    matches_user,
    raise_for,
)

log = logging.getLogger(__name__)

DEFAULT_EXPIRY = 300  # seconds, when the service does not say (`expired_in`)


@dataclass(frozen=True)
class Paths:
    certificates: str = "v1/credentials/get_certificate"
    sign: str = "v1/signatures/sign"
    status: str = "v1/signatures/sign/{id}/status"
    hash_encoding: str = "hex"  # how `data_to_be_signed` carries a hash: hex or base64
    max_batch: int = 50


class Sp769Service:
    def __init__(
        self,
        provider: str,
        service_url: str,
        *,
        sp_id: str,
        sp_password: str,
        name: str = "",
        paths: Paths = Paths(),
    ) -> None:
        self.provider = provider
        self.name = name or provider
        self.paths = paths
        self._sp = {"sp_id": sp_id, "sp_password": sp_password}
        self._client = JsonClient(service_url, self.name)

    def _post(self, path: str, body: dict) -> tuple[int, dict]:
        status, data = self._client.post(path, {**self._sp, **body})
        code = data.get("status_code", status)
        try:
            code = int(code)
        except (TypeError, ValueError):
            raise RemoteAnswerInvalid(service=self.name, detail="status_code") from None
        return code, data

    def certificates(self, user_id: str) -> list[RemoteCredential]:
        code, data = self._post(
            self.paths.certificates, {"user_id": user_id, "serial_number": "", "transaction_id": _txn_id()}
        )
        if code == 401:  # the counter's own service account (sp_id, sp_password) was refused
            raise RemoteRefused(service=self.name, detail=str(data.get("message") or "401")[:200])
        if code != 200:
            raise NoRemoteCertificate(service=self.name, user_id=user_id)
        payload = data.get("data")
        entries = payload.get("user_certificates") if isinstance(payload, dict) else payload
        if not isinstance(entries, list):
            raise RemoteAnswerInvalid(service=self.name, detail="no user_certificates")
        out = []
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            der = b64decode(entry.get("cert_data"), self.name, "certificate")
            info = load_certificate(der, self.name)
            chain = entry.get("chain_data") or []
            if isinstance(chain, dict):  # SmartCA: {"ca_cert": ..., "root_cert": ...}
                chain = [chain.get("ca_cert"), chain.get("root_cert")]
            ders = tuple(b64decode(c, self.name, "certificate") for c in chain if c)
            serial = str(entry.get("serial_number") or info.serial)
            if info.can_sign and matches_user(info, user_id):
                out.append(
                    RemoteCredential(self.provider, serial, info, ders, max_batch=self.paths.max_batch)
                )
        if not out:
            raise NoRemoteCertificate(service=self.name, user_id=user_id)
        return out

    def send_otp(self, credential) -> None:
        return None  # the 769 shape approves in the provider's app: no code at the counter

    def request(
        self, credential, user_id, digests, doc_ids, description, *, pin=None, otp=None
    ) -> Transaction:
        txn_id = _txn_id()
        files = [
            {
                "data_to_be_signed": d.hex()
                if self.paths.hash_encoding == "hex"
                else base64.b64encode(d).decode(),
                "doc_id": doc_id,
                "file_type": "pdf",
                "sign_type": "hash",
            }
            for d, doc_id in zip(digests, doc_ids, strict=True)
        ]
        started = time.time()
        code, data = self._post(
            self.paths.sign,
            {
                "user_id": user_id,
                "transaction_id": txn_id,
                "transaction_desc": description[:250],
                "serial_number": credential.credential_id,
                "sign_files": files,
                "time_stamp": datetime.now(UTC).strftime("%Y%m%d%H%M%SZ"),
            },
        )
        if code != 200:
            state = _state(str(data.get("message", "")), None)
            if state in (RemoteState.REJECTED, RemoteState.EXPIRED):
                raise_for(state, self.name, str(data.get("message", "")))
            raise RemoteRefused(service=self.name, detail=str(data.get("message") or f"status {code}")[:200])
        body = data.get("data") if isinstance(data.get("data"), dict) else {}
        service_id = str(body.get("transaction_id") or txn_id)
        try:
            expires = float(body.get("expired_in") or DEFAULT_EXPIRY)
        except (TypeError, ValueError):
            expires = DEFAULT_EXPIRY
        txn = Transaction(
            service_id,
            [d.hex() for d in digests],
            list(doc_ids),
            started + expires,
            data={"ours": txn_id, "tran_code": body.get("tran_code")},
        )
        signed = body.get("signed_files") or body.get("signatures")
        if signed:  # a synchronous CA answers with the signatures at once
            txn.data["signed"] = signed
        return txn

    def poll(self, credential, user_id, txn) -> PollResult:
        if txn.data.get("signed"):
            return self._signatures(txn, txn.data["signed"])
        code, data = self._post(self.paths.status.format(id=txn.id), {"transaction_id": txn.id})
        message = str(data.get("message", ""))
        body = data.get("data") if isinstance(data.get("data"), dict) else {}
        signed = body.get("signatures") or body.get("signed_files")
        if code != 200:
            state = _state(message, None)
            return PollResult(
                state if state != RemoteState.PENDING else RemoteState.FAILED, detail=message[:200]
            )
        state = _state(message, signed)
        if state == RemoteState.APPROVED:
            return self._signatures(txn, signed)
        return PollResult(state, detail=message[:200])

    def _signatures(self, txn: Transaction, signed) -> PollResult:
        if not isinstance(signed, list):
            raise RemoteAnswerInvalid(service=self.name, detail="signatures is not a list")
        by_doc = {}
        for item in signed:
            if isinstance(item, dict) and item.get("doc_id") is not None:
                by_doc[str(item["doc_id"])] = item.get("signature_value")
        missing = [d for d in txn.doc_ids if not by_doc.get(d)]
        if missing:
            raise RemoteAnswerInvalid(service=self.name, detail=f"no signature for {', '.join(missing[:3])}")
        return PollResult(
            RemoteState.APPROVED, tuple(b64decode(by_doc[d], self.name, "signature") for d in txn.doc_ids)
        )

    def close(self) -> None:
        self._client.close()


def _txn_id() -> str:
    return f"SOHOA-{uuid.uuid4()}"


def _state(message: str, signed) -> RemoteState:
    m = message.upper()
    if signed:
        return RemoteState.APPROVED
    if any(w in m for w in ("REJECT", "REFUSE", "DENIED", "CANCEL", "TU_CHOI", "TỪ CHỐI")):
        return RemoteState.REJECTED
    if any(w in m for w in ("EXPIRE", "TIMEOUT", "HET_HAN", "HẾT HẠN")):
        return RemoteState.EXPIRED
    if any(w in m for w in ("FAIL", "ERROR", "INVALID")):
        return RemoteState.FAILED
    return RemoteState.PENDING

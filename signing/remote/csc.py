"""The Cloud Signature Consortium API, v1.0.4 and v2 (`credentials/list`, `credentials/info`,
`credentials/authorize`, `signatures/signHash`).

Follows "Architectures and protocols for remote signature applications", CSC, version 1.0.4.0
(2019) and version 2.0.0.2 (2022). URLs and the authorization request come from pyHanko's CSC
client (`CSCServiceSessionInfo`, `CSCAuthorizationManager.format_csc_auth_request`,
`parse_csc_auth_response`); v2 renames `hash`/`hashAlgo` to `hashes`/`hashAlgorithmOID`, which
pyHanko's client does not, so the bodies are adjusted here per version.

SCAL2 binds the approval (the SAD) to the exact hashes: SoHoa always sends them. The SAD lives in
memory only: an approval interrupted by a restart cannot be resumed and is asked again.
"""

from __future__ import annotations

import base64
import logging
import re
import time
import uuid

from asn1crypto import algos
from pyhanko.sign.general import SigningError as HankoSigningError
from pyhanko.sign.signers.csc_signer import CSCAuthorizationManager, CSCServiceSessionInfo

from signing.errors import (
    NoRemoteCertificate,
    RemoteAnswerInvalid,
    RemoteExpired,
    RemoteOtpNeeded,
    RemotePinNeeded,
    RemoteRefused,
    RemoteRejected,
    RemoteWrongOtp,
    RemoteWrongPin,
)
from signing.remote.service import (
    JsonClient,
    PollResult,
    RemoteCredential,
    RemoteState,
    Transaction,
    b64decode,
    check_codes,
    load_certificate,
    matches_user,
)

log = logging.getLogger(__name__)

SHA256 = algos.DigestAlgorithmId("sha256").dotted
# What SoHoa asks the key to do, by key type, best first.
RSA_ALGOS = (
    algos.SignedDigestAlgorithmId("sha256_rsa").dotted,  # sha256WithRSAEncryption
    algos.SignedDigestAlgorithmId("rsassa_pkcs1v15").dotted,  # rsaEncryption with hashAlgo sha256
)
EC_ALGOS = (algos.SignedDigestAlgorithmId("sha256_ecdsa").dotted,)
_VERSIONED = re.compile(r"^(?P<base>.*?)/csc/(?P<ver>v[12])/?$")
APPROVAL_WAIT = 300.0  # seconds a credentials/authorize call may take while the signer approves


def split_url(url: str) -> tuple[str, str]:
    """(base URL, API version) of `https://host/prefix/csc/v1` or of a base URL (v1 then)."""
    m = _VERSIONED.match(url.rstrip("/"))
    if m:
        return m.group("base"), m.group("ver")
    return url.rstrip("/"), "v1"


class _Authorizer(CSCAuthorizationManager):
    """Only to format and parse `credentials/authorize`; SoHoa makes the call itself."""

    async def authorize_signature(self, hash_b64s):  # pragma: no cover - not used
        raise NotImplementedError


class CscService:
    provider = "csc"

    def __init__(
        self,
        service_url: str,
        *,
        name: str = "CSC",
        token: str | None = None,
        approval_wait: float = APPROVAL_WAIT,
    ) -> None:
        base, self.version = split_url(service_url)
        self.name = name
        self._token = token
        self.approval_wait = approval_wait
        session = CSCServiceSessionInfo(base, credential_id="", oauth_token=token, api_ver=self.version)
        self._session = session
        self._client = JsonClient(session.endpoint_url("").rstrip("/"), name, headers=session.auth_headers)

    # -- certificates -------------------------------------------------------------------------

    def certificates(self, user_id: str) -> list[RemoteCredential]:
        body: dict = {"userID": user_id} if user_id else {}
        if self.version == "v2":
            body["onlyValid"] = False
        status, data = self._client.post("credentials/list", body)
        if status >= 400:
            raise self._refused(data, status, user_id)
        ids = data.get("credentialIDs")
        if not isinstance(ids, list):
            raise RemoteAnswerInvalid(service=self.name, detail="no credentialIDs")
        out = []
        for cred_id in ids:
            cred = self._credential(str(cred_id))
            if cred is not None and cred.info.can_sign and matches_user(cred.info, user_id):
                out.append(cred)
        if not out:
            raise NoRemoteCertificate(service=self.name, user_id=user_id)
        return out

    def _credential(self, cred_id: str) -> RemoteCredential | None:
        status, data = self._client.post(
            "credentials/info", {"credentialID": cred_id, "certificates": "chain", "certInfo": False}
        )
        if status >= 400:
            log.info("credential %s: HTTP %s", cred_id, status)
            return None
        key = data.get("key") or {}
        if key.get("status", "enabled") != "enabled":
            return None
        certs = (data.get("cert") or {}).get("certificates") or []
        if not certs:
            return None
        ders = [b64decode(c, self.name, "certificate") for c in certs]
        info = load_certificate(ders[0], self.name)
        try:
            multisign = max(1, int(data.get("multisign", 1)))
            scal = int(data.get("SCAL", 1))
        except (TypeError, ValueError):
            raise RemoteAnswerInvalid(service=self.name, detail="multisign or SCAL") from None
        algo = key.get("algo") or []
        asks_pin, asks_otp = _explicit_auth(data)
        return RemoteCredential(
            self.provider,
            cred_id,
            info,
            tuple(ders[1:]),
            max_batch=multisign,
            algorithms=tuple(str(a) for a in algo),
            hash_pinning=scal == 2,
            asks_pin=asks_pin,
            asks_otp=asks_otp,
        )

    def send_otp(self, credential) -> None:
        """`credentials/sendOTP`: the service sends the signer their one-time code."""
        status, data = self._client.post("credentials/sendOTP", {"credentialID": credential.credential_id})
        if status >= 400:
            raise self._refused(data, status, "")

    # -- one approval ---------------------------------------------------------------------------

    def request(
        self, credential, user_id, digests, doc_ids, description, *, pin=None, otp=None
    ) -> Transaction:
        check_codes(credential, self.name, pin, otp)
        hashes = [base64.b64encode(d).decode("ascii") for d in digests]
        session = CSCServiceSessionInfo(
            self._session.service_url, credential.credential_id, self._token, api_ver=self.version
        )
        body = _Authorizer(
            session, None
        ).format_csc_auth_request(  # type: ignore[arg-type]
            num_signatures=len(hashes),
            pin=pin,
            otp=otp,
            hash_b64s=hashes,
            description=description[:500] or None,
        )
        if self.version == "v2":
            body["hashes"] = body.pop("hash")
            body["hashAlgorithmOID"] = SHA256
        else:
            body["hashAlgo"] = SHA256
        started = time.time()
        status, data = self._client.post("credentials/authorize", body, timeout=self.approval_wait)
        if status >= 400:
            raise self._refused(data, status, user_id, pin=pin, otp=otp)
        try:
            auth = CSCAuthorizationManager.parse_csc_auth_response(data)
        except HankoSigningError as exc:
            raise RemoteAnswerInvalid(service=self.name, detail=str(exc)) from exc
        lifetime = auth.expires_at.timestamp() - time.time() if auth.expires_at else 3600
        return Transaction(
            id=f"csc-{uuid.uuid4()}",
            digests=[d.hex() for d in digests],
            doc_ids=list(doc_ids),
            expires_at=started + max(lifetime, 1),
            data={"version": self.version},
            secret=auth.sad,
        )

    def poll(self, credential, user_id, txn) -> PollResult:
        if txn.secret is None:
            return PollResult(RemoteState.FAILED, detail="the approval was lost when SoHoa stopped")
        if time.time() > txn.expires_at:
            return PollResult(RemoteState.EXPIRED)
        sign_algo = choose_algorithm(credential)
        hashes = [base64.b64encode(bytes.fromhex(d)).decode("ascii") for d in txn.digests]
        body = {"credentialID": credential.credential_id, "SAD": txn.secret, "signAlgo": sign_algo}
        if self.version == "v2":
            body.update(hashes=hashes, hashAlgorithmOID=SHA256, operationMode="S")
        else:
            body.update(hash=hashes, hashAlgo=SHA256)
        status, data = self._client.post("signatures/signHash", body)
        if status >= 400:
            err = str(data.get("error", "")).lower()
            if "expired" in err:
                return PollResult(RemoteState.EXPIRED, detail=err)
            return PollResult(RemoteState.FAILED, detail=err or f"HTTP {status}")
        sigs = data.get("signatures")
        if not isinstance(sigs, list) or len(sigs) != len(hashes):
            raise RemoteAnswerInvalid(service=self.name, detail="signatures do not match the hashes sent")
        txn.secret = None  # single use
        return PollResult(RemoteState.APPROVED, tuple(b64decode(s, self.name, "signature") for s in sigs))

    def _refused(self, data: dict, status: int, user_id: str, *, pin=None, otp=None):
        err = str(data.get("error", "")).lower()
        text = str(data.get("error_description", "") or err or f"HTTP {status}")[:200]
        words = f"{err} {text.lower()}"
        if "otp" in words:  # CSC: invalid_request "Invalid OTP", or invalid_otp
            return RemoteWrongOtp(service=self.name) if otp else RemoteOtpNeeded(service=self.name)
        if re.search(r"\bpin\b|_pin\b", words):
            return RemoteWrongPin(service=self.name) if pin else RemotePinNeeded(service=self.name)
        if any(w in err for w in ("denied", "reject", "refus")):
            return RemoteRejected()
        if "expired" in err or "timeout" in err:
            return RemoteExpired()
        if status == 404 or "user" in err:
            return NoRemoteCertificate(service=self.name, user_id=user_id)
        return RemoteRefused(service=self.name, detail=text)

    def close(self) -> None:
        self._client.close()


def _explicit_auth(info: dict) -> tuple[bool, str]:
    """(PIN asked, one-time code asked: "online", "offline" or "") from `credentials/info`.

    CSC v1.0.4 and v2.0 say it with `authMode` "explicit" and the `PIN` / `OTP` objects (presence
    "true", "false" or "optional"; an OTP of type "online" is sent with `credentials/sendOTP`).
    """
    if str(info.get("authMode", "implicit")).lower() != "explicit":
        return False, ""
    pin, otp = info.get("PIN") or {}, info.get("OTP") or {}
    asks_pin = str(pin.get("presence", "false")).lower() == "true"
    asks_otp = ""
    if str(otp.get("presence", "false")).lower() == "true":
        asks_otp = "online" if str(otp.get("type", "offline")).lower() == "online" else "offline"
    return asks_pin, asks_otp


def choose_algorithm(credential: RemoteCredential) -> str:
    wanted = EC_ALGOS if credential.info.key_type == "ec" else RSA_ALGOS
    if not credential.algorithms:
        return wanted[0]
    for oid in wanted:
        if oid in credential.algorithms:
            return oid
    raise RemoteAnswerInvalid(
        service=credential.provider, detail="the key offers no signature algorithm SoHoa can embed"
    )

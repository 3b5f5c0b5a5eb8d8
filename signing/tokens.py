"""PKCS#11 tokens: load a module, list tokens and certificates, log in once, pick the key by certificate."""

from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import dataclass, field

import pkcs11
from asn1crypto import x509 as asn1_x509
from pkcs11 import Attribute, ObjectClass, TokenFlag
from pkcs11 import exceptions as p11e

from signing.certinfo import CertificateInfo, describe
from signing.errors import (
    CertificateExpired,
    CertificateNotFound,
    ModuleNotFound,
    PinLocked,
    PinRequired,
    SeveralTokens,
    SigningError,
    TokenNotFound,
    TokenRemoved,
    WrongPin,
    WrongPinCountLow,
    WrongPinFinalTry,
)

log = logging.getLogger(__name__)

_LIBS: dict[str, pkcs11.lib] = {}
_LIBS_LOCK = threading.Lock()

REMOVAL_ERRORS = (
    p11e.DeviceRemoved,
    p11e.TokenNotPresent,
    p11e.SessionClosed,
    p11e.SessionHandleInvalid,
    p11e.ObjectHandleInvalid,
    p11e.KeyHandleInvalid,
    p11e.DeviceError,
    p11e.GeneralError,
)


def load_module(path: str) -> pkcs11.lib:
    """Load (once per process) the PKCS#11 module at `path`."""
    with _LIBS_LOCK:
        lib = _LIBS.get(path)
        if lib is None:
            try:
                lib = pkcs11.lib(path)
            except (OSError, RuntimeError, p11e.PKCS11Error) as exc:
                raise ModuleNotFound(module=path, detail=str(exc) or type(exc).__name__) from exc
            _LIBS[path] = lib
        return lib


@dataclass(frozen=True)
class TokenInfo:
    label: str
    slot: int
    manufacturer: str
    model: str
    serial: str
    protected_auth: bool
    pin_count_low: bool
    pin_final_try: bool
    pin_locked: bool
    certificates: tuple[CertificateInfo, ...] = field(default=())

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "slot": self.slot,
            "manufacturer": self.manufacturer,
            "model": self.model,
            "serial": self.serial,
            "pin_pad": self.protected_auth,
            "pin_count_low": self.pin_count_low,
            "pin_final_try": self.pin_final_try,
            "pin_locked": self.pin_locked,
            "certificates": [c.as_dict() for c in self.certificates],
        }


def _token_info(token: pkcs11.Token, certs: tuple[CertificateInfo, ...] = ()) -> TokenInfo:
    flags = token.flags
    return TokenInfo(
        label=token.label.strip(),
        slot=token.slot.slot_id,
        manufacturer=token.manufacturer_id.strip(),
        model=token.model.strip(),
        serial=token.serial.decode("ascii", "replace").strip()
        if isinstance(token.serial, bytes)
        else str(token.serial).strip(),
        protected_auth=bool(flags & TokenFlag.PROTECTED_AUTHENTICATION_PATH),
        pin_count_low=bool(flags & TokenFlag.USER_PIN_COUNT_LOW),
        pin_final_try=bool(flags & TokenFlag.USER_PIN_FINAL_TRY),
        pin_locked=bool(flags & TokenFlag.USER_PIN_LOCKED),
        certificates=certs,
    )


def _public_key_fingerprint(obj) -> bytes | None:
    """A comparable form of the public part of a key object (RSA modulus or EC point)."""
    for attr in (Attribute.MODULUS, Attribute.EC_POINT):
        try:
            value = obj[attr]
        except (p11e.AttributeTypeInvalid, p11e.AttributeSensitive, p11e.PKCS11Error, KeyError):
            continue
        if value:
            if (
                attr is Attribute.EC_POINT
                and value[:1] == b"\x04"
                and len(value) > 2
                and value[1] == len(value) - 2
            ):
                value = value[2:]  # DER OCTET STRING wrapper
            return bytes(value)
    return None


def _cert_fingerprint(der: bytes) -> bytes:
    info = asn1_x509.Certificate.load(der).public_key
    if info.algorithm == "rsa":
        modulus = info["public_key"].parsed["modulus"].native
        return modulus.to_bytes((modulus.bit_length() + 7) // 8, "big")
    return bytes(info["public_key"].native)


def _read_certificates(session: pkcs11.Session) -> list[tuple[bytes, bytes, str]]:
    out = []
    for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
        try:
            der = bytes(obj[Attribute.VALUE])
            cid = bytes(obj[Attribute.ID]) if obj[Attribute.ID] else b""
            label = obj[Attribute.LABEL] or ""
        except p11e.PKCS11Error:
            continue
        out.append((der, cid, label))
    return out


def _key_objects(session: pkcs11.Session, cls: ObjectClass) -> list:
    try:
        return list(session.get_objects({Attribute.CLASS: cls}))
    except p11e.PKCS11Error:
        return []


def _match_key(session: pkcs11.Session, der: bytes, cert_id: bytes, cert_label: str) -> bytes | None:
    """The CKA_ID of the private key for this certificate: by CKA_ID, then public key, then label."""
    privs = _key_objects(session, ObjectClass.PRIVATE_KEY)
    ids = [(bytes(k[Attribute.ID] or b""), k) for k in privs]
    if cert_id and any(kid == cert_id for kid, _ in ids):
        return cert_id
    fingerprint = _cert_fingerprint(der)
    for kid, key in ids:
        if _public_key_fingerprint(key) == fingerprint:
            return kid
    for pub in _key_objects(session, ObjectClass.PUBLIC_KEY):
        if _public_key_fingerprint(pub) == fingerprint:
            pub_id = bytes(pub[Attribute.ID] or b"")
            if any(kid == pub_id for kid, _ in ids):
                return pub_id
    for kid, key in ids:
        if cert_label and (key[Attribute.LABEL] or "") == cert_label:
            return kid
    return None


def _pick_token(lib: pkcs11.lib, label: str | None) -> pkcs11.Token:
    try:
        tokens = [slot.get_token() for slot in lib.get_slots(token_present=True)]
    except p11e.PKCS11Error as exc:
        raise TokenNotFound(label=label or "") from exc
    tokens = [t for t in tokens if t.flags & TokenFlag.TOKEN_INITIALIZED]
    if label:
        tokens = [t for t in tokens if t.label.strip() == label]
    if not tokens:
        raise TokenNotFound(label=label or "")
    if len(tokens) > 1:
        raise SeveralTokens(labels=", ".join(t.label.strip() for t in tokens))
    return tokens[0]


def list_tokens(module: str, *, pin: str | None = None, token_label: str | None = None) -> list[TokenInfo]:
    """Every token of `module` (or the one labelled `token_label`) with its certificates.

    Without a PIN, whether a certificate's private key is on the token may be unknown (None). A PIN
    belongs to one token: with several plugged in, `token_label` must say which.
    """
    lib = load_module(module)
    result = []
    try:
        tokens = [slot.get_token() for slot in lib.get_slots(token_present=True)]
    except p11e.PKCS11Error as exc:
        raise SigningError(detail=type(exc).__name__) from exc
    tokens = [t for t in tokens if t.flags & TokenFlag.TOKEN_INITIALIZED]
    if token_label is not None:
        tokens = [t for t in tokens if t.label.strip() == token_label]
        if not tokens:
            raise TokenNotFound(label=token_label)
    if pin and len(tokens) > 1:
        raise SeveralTokens(labels=", ".join(t.label.strip() for t in tokens))
    for token in tokens:
        slot = token.slot
        try:
            with token.open(user_pin=pin) if pin else token.open() as session:
                certs = []
                for der, cid, label in _read_certificates(session):
                    key = _match_key(session, der, cid, label)
                    has_key = True if key is not None else (False if pin else None)
                    info = describe(der, label=label, key_id=cid, has_key=has_key)
                    if info.can_sign and has_key is not False:  # CA certificates, keyless ones: hidden
                        certs.append(info)
        except p11e.PinIncorrect:
            raise wrong_pin_error(_token_info(token)) from None
        except p11e.PKCS11Error as exc:
            log.warning("cannot read token in slot %s: %s", slot.slot_id, type(exc).__name__)
            certs = []
        result.append(_token_info(token, tuple(certs)))
    return result


def modules_with_tokens(modules: list[str], token_label: str | None = None) -> list[str]:
    """Those of `modules` (driver paths) that see a plugged-in token (labelled `token_label`, if given).

    A driver that cannot be loaded or answers with an error is skipped: another CA's driver being
    broken must not stop a citizen's token from signing.
    """
    found = []
    for module in modules:
        try:
            lib = load_module(module)
            tokens = [slot.get_token() for slot in lib.get_slots(token_present=True)]
        except (SigningError, p11e.PKCS11Error) as exc:
            log.info("driver %s skipped: %s", module, exc)
            continue
        labels = [t.label.strip() for t in tokens if t.flags & TokenFlag.TOKEN_INITIALIZED]
        if labels and (token_label is None or token_label in labels):
            found.append(module)
    return found


class TokenSession:
    """One logged-in session on one token, for a whole batch. Use from one thread at a time."""

    def __init__(self, module: str, *, token_label: str | None = None) -> None:
        self.module = module
        self.token_label = token_label
        self._lib = load_module(module)
        self._token = _pick_token(self._lib, token_label)
        self._session: pkcs11.Session | None = None
        self.lock = threading.Lock()

    @property
    def info(self) -> TokenInfo:
        return _token_info(self._token)

    def login(self, pin: str | None, *, pin_pad: bool = False) -> None:
        """Log in with `pin` (or through the token's PIN pad). A wrong PIN is never retried here."""
        info = self.info
        if info.pin_locked:
            raise PinLocked()
        if not pin_pad and not pin:
            raise PinRequired()
        user_pin = pkcs11.PROTECTED_AUTH if pin_pad else pin
        try:
            self._session = self._token.open(user_pin=user_pin)
        except p11e.PinIncorrect:
            raise wrong_pin_error(self._fresh_info()) from None
        except p11e.PinLocked as exc:
            raise PinLocked() from exc
        except (p11e.PinLenRange, p11e.PinInvalid):
            raise WrongPin() from None
        except REMOVAL_ERRORS as exc:
            raise TokenRemoved(detail=type(exc).__name__) from exc

    def _fresh_info(self) -> TokenInfo:
        try:
            return _token_info(_pick_token(self._lib, self.info.label))
        except SigningError:
            return self.info

    @property
    def session(self) -> pkcs11.Session:
        if self._session is None:
            raise SigningError(detail="not logged in")
        return self._session

    def certificates(self) -> list[CertificateInfo]:
        out = []
        for der, cid, label in _read_certificates(self.session):
            key = _match_key(self.session, der, cid, label)
            out.append(describe(der, label=label, key_id=cid, has_key=key is not None))
        return out

    def choose_certificate(self, label: str | None = None) -> tuple[CertificateInfo, bytes]:
        """The certificate to sign with (by label, or the only signing one) and its key's CKA_ID."""
        candidates = []
        for der, cid, cert_label in _read_certificates(self.session):
            if label and label not in (cert_label, cid.hex()):
                continue
            key_id = _match_key(self.session, der, cid, cert_label)
            if key_id is None:
                continue
            info = describe(der, label=cert_label, key_id=cid, has_key=True)
            if info.can_sign:
                candidates.append((info, key_id))
        if not candidates:
            raise CertificateNotFound(label=label or "")
        valid = [c for c in candidates if not c[0].expired]
        if not valid:
            info = candidates[0][0]
            raise CertificateExpired(
                holder=info.holder, not_before=info.not_before.date(), not_after=info.not_after.date()
            )
        return valid[0]

    def chain_certificates(self, signer_der: bytes) -> list[asn1_x509.Certificate]:
        """The other certificates on the token (issuing CAs), to embed beside the signer's."""
        return [
            asn1_x509.Certificate.load(der)
            for der, _, _ in _read_certificates(self.session)
            if der != signer_der
        ]

    def close(self) -> None:
        if self._session is not None:
            with contextlib.suppress(p11e.PKCS11Error):
                self._session.close()
            self._session = None

    def __enter__(self) -> TokenSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def wrong_pin_error(info: TokenInfo) -> SigningError:
    """The error for a wrong PIN, saying what the token tells of the tries left."""
    if info.pin_locked:
        return PinLocked()
    if info.pin_final_try:
        return WrongPinFinalTry()
    if info.pin_count_low:
        return WrongPinCountLow()
    return WrongPin()

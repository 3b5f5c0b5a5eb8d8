"""Errors raised while talking to tokens, signing or validating. Never carry a PIN."""

from common.errors import QT_TRANSLATE_NOOP, UserError


class SigningError(UserError):
    """Base of signing errors."""

    context = "signing"
    template = QT_TRANSLATE_NOOP("signing", "Signing failed: {detail}")
    exit_code = 5


class ModuleNotFound(SigningError):
    template = QT_TRANSLATE_NOOP(
        "signing", "The token driver {module} cannot be loaded ({detail}). Install the driver from your CA."
    )


class TokenNotFound(SigningError):
    template = QT_TRANSLATE_NOOP(
        "signing", "No token {label} is plugged in. Insert the USB token and try again."
    )


class SeveralTokens(SigningError):
    template = QT_TRANSLATE_NOOP(
        "signing", "Several tokens are plugged in ({labels}): choose one, or unplug the others."
    )


class WrongPin(SigningError):
    template = QT_TRANSLATE_NOOP(
        "signing",
        "The PIN is wrong. The token locks itself after too many wrong PINs: check it before trying again.",
    )


class WrongPinCountLow(WrongPin):
    template = QT_TRANSLATE_NOOP(
        "signing", "The PIN is wrong and few tries are left before the token locks itself."
    )


class WrongPinFinalTry(WrongPin):
    template = QT_TRANSLATE_NOOP(
        "signing", "The PIN is wrong. Only one try is left: a further wrong PIN locks the token."
    )


class PinRequired(SigningError):
    template = QT_TRANSLATE_NOOP(
        "signing", "Enter the token's PIN (only a token with its own keypad needs none)."
    )


class PinLocked(SigningError):
    template = QT_TRANSLATE_NOOP(
        "signing", "The token's PIN is locked after too many wrong tries. Ask your CA to unlock it."
    )


class TokenRemoved(SigningError):
    template = QT_TRANSLATE_NOOP(
        "signing",
        "The token was removed or stopped answering ({detail}). Files already signed stay signed; "
        "insert it and sign the rest again.",
    )


class CertificateNotFound(SigningError):
    template = QT_TRANSLATE_NOOP(
        "signing", "No certificate {label} with a private key was found on the token."
    )


class CertificateExpired(SigningError):
    template = QT_TRANSLATE_NOOP(
        "signing", "The certificate of {holder} is not valid now (valid {not_before} to {not_after})."
    )


class BadPdf(SigningError):
    template = QT_TRANSLATE_NOOP("signing", "{name} cannot be signed: it is not a readable PDF ({detail}).")


class VerifyFailed(SigningError):
    template = QT_TRANSLATE_NOOP("signing", "{name}: the signature check failed: {detail}")


class CertificateRevoked(SigningError):
    template = QT_TRANSLATE_NOOP(
        "signing", "The certificate of {holder} has been revoked by its CA: it can no longer sign."
    )


class CertificateUntrusted(SigningError):
    template = QT_TRANSLATE_NOOP(
        "signing",
        "The certificate of {holder} does not chain to a trusted root. Ask the administrator to add "
        "the CA's root certificate to the trust folder.",
    )


class RevocationUnavailable(SigningError):
    template = QT_TRANSLATE_NOOP(
        "signing",
        "The revocation status of {holder}'s certificate could not be fetched ({detail}). Check the "
        "network, or sign at level B-B or B-T and add revocation data later.",
    )


class TimestampUnavailable(SigningError):
    template = QT_TRANSLATE_NOOP(
        "signing",
        "The timestamp server {url} did not answer ({detail}). Nothing was signed; check the "
        "network and try again.",
    )


class CannotVerify(SigningError):
    template = QT_TRANSLATE_NOOP("signing", "{name} cannot be checked: it is not a readable PDF ({detail}).")


class RemoteSigningError(SigningError):
    """Base of the errors of a remote signing service (the key stays with the CA)."""

    template = QT_TRANSLATE_NOOP("signing", "The remote signing service failed: {detail}")
    exit_code = 12


class RemoteUnavailable(RemoteSigningError):
    template = QT_TRANSLATE_NOOP(
        "signing",
        "The remote signing service {service} cannot be reached ({detail}). Nothing was signed; check "
        "the network and try again, or sign with a token.",
    )


class RemoteAnswerInvalid(RemoteSigningError):
    template = QT_TRANSLATE_NOOP(
        "signing",
        "The remote signing service {service} gave an answer SoHoa cannot use ({detail}). Nothing was "
        "signed.",
    )


class RemoteRefused(RemoteSigningError):
    template = QT_TRANSLATE_NOOP(
        "signing", "The remote signing service {service} refused the request: {detail}"
    )


class InsecureService(RemoteSigningError):
    template = QT_TRANSLATE_NOOP(
        "signing",
        "The signing service address {url} is not https. Only a service on this computer may be "
        "reached without encryption.",
    )
    exit_code = 2


class NoRemoteCertificate(RemoteSigningError):
    template = QT_TRANSLATE_NOOP(
        "signing",
        "The signing service {service} has no valid signing certificate for {user_id}. Check the "
        "number, or sign with a token.",
    )
    exit_code = 5


class RemotePinNeeded(RemoteSigningError):
    template = QT_TRANSLATE_NOOP(
        "signing",
        "The signing service {service} needs the PIN of the signer's certificate. Enter it and ask again.",
    )
    exit_code = 5


class RemoteWrongPin(RemoteSigningError):
    template = QT_TRANSLATE_NOOP(
        "signing",
        "The signing service {service} did not accept the PIN. Nothing was signed; the service may lock "
        "the certificate after too many wrong PINs.",
    )
    exit_code = 5


class RemoteOtpNeeded(RemoteSigningError):
    template = QT_TRANSLATE_NOOP(
        "signing",
        "The signing service {service} needs the one-time code sent to the signer. Enter it and ask again.",
    )
    exit_code = 5


class RemoteWrongOtp(RemoteSigningError):
    template = QT_TRANSLATE_NOOP(
        "signing",
        "The signing service {service} did not accept the one-time code. Nothing was signed; ask for a new "
        "code and try again.",
    )
    exit_code = 5


class RemoteRejected(RemoteSigningError):
    template = QT_TRANSLATE_NOOP(
        "signing",
        "The signer refused the request on their phone. Nothing was signed; ask again, or sign with a token.",
    )
    exit_code = 10


class RemoteExpired(RemoteSigningError):
    template = QT_TRANSLATE_NOOP(
        "signing",
        "The request was not approved in time and has expired. Nothing was signed; ask again when the "
        "signer has their phone at hand.",
    )
    exit_code = 11


class RemoteCancelled(RemoteSigningError):
    template = QT_TRANSLATE_NOOP(
        "signing", "The remote signing request was cancelled at the counter. Nothing was signed."
    )
    exit_code = 130


class RemoteBadSignature(RemoteSigningError):
    template = QT_TRANSLATE_NOOP(
        "signing",
        "The signing service returned a signature that does not match {name} and the certificate of "
        "{holder}. It was not used: no file was written.",
    )

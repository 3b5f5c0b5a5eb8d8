"""Signing: PKCS#11 tokens, PAdES signatures with pyHanko, validation against a trust store."""

from signing.errors import SigningError
from signing.pades import SignOptions, SignResult, sign_pdf, sign_pdfs
from signing.tokens import CertificateInfo, TokenInfo, TokenSession, list_tokens
from signing.verify import SignatureReport, VerifyReport, verify_pdf

__all__ = [
    "CertificateInfo",
    "SignOptions",
    "SignResult",
    "SignatureReport",
    "SigningError",
    "TokenInfo",
    "TokenSession",
    "VerifyReport",
    "list_tokens",
    "sign_pdf",
    "sign_pdfs",
    "verify_pdf",
]

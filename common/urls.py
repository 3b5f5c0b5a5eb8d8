"""Network addresses: the one rule for leaving TLS out."""

from __future__ import annotations

from urllib.parse import urlsplit

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def protected(url: str) -> bool:
    """https, or plain http to this machine only (a local test portal)."""
    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)

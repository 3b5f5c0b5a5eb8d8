"""The portal's client credentials: the ID in the settings, the secret in the OS keyring.

For unattended runs (a scheduled day's-end upload) both can come from the environment,
SOHOA_PORTAL_CLIENT_ID and SOHOA_PORTAL_CLIENT_SECRET. The secret is never written to the
settings, the workspace database or the log.
"""

from __future__ import annotations

import os

from app.config import Settings
from common.errors import QT_TRANSLATE_NOOP, UserError

SERVICE = "sohoa-portal"
PORTAL_ENV = "SOHOA_PORTAL_CLIENT_ID and SOHOA_PORTAL_CLIENT_SECRET"


class CredentialsError(UserError):
    context = "credentials"
    template = QT_TRANSLATE_NOOP(
        "credentials",
        "No portal credentials on this workstation. Run `sohoa portal set-credentials --client-id ID` "
        "(the secret goes to the system keyring) or set SOHOA_PORTAL_CLIENT_ID and SOHOA_PORTAL_CLIENT_SECRET.",
    )
    exit_code = 6


class KeyringUnavailable(CredentialsError):
    template = QT_TRANSLATE_NOOP(
        "credentials",
        "The system keyring cannot be used ({detail}). Use {env} for this run.",
    )


def portal_credentials(settings: Settings) -> tuple[str, str]:
    env_id = os.environ.get("SOHOA_PORTAL_CLIENT_ID")
    env_secret = os.environ.get("SOHOA_PORTAL_CLIENT_SECRET")
    if env_id and env_secret:
        return env_id, env_secret
    client_id = env_id or settings.portal_client_id
    if not client_id:
        raise CredentialsError()
    secret = _keyring_get(client_id)
    if not secret:
        raise CredentialsError()
    return client_id, secret


def store_secret(client_id: str, secret: str, *, service: str = SERVICE, env: str = PORTAL_ENV) -> None:
    try:
        import keyring
        from keyring.errors import KeyringError

        keyring.set_password(service, client_id, secret)
    except (ImportError, KeyringError, RuntimeError) as exc:
        raise KeyringUnavailable(detail=type(exc).__name__, env=env) from None


def _keyring_get(client_id: str, service: str = SERVICE, env: str = PORTAL_ENV) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError

        return keyring.get_password(service, client_id)
    except (ImportError, KeyringError, RuntimeError) as exc:
        raise KeyringUnavailable(detail=type(exc).__name__, env=env) from None

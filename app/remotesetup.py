"""Which remote signing service a counter signs through, where it is, and the counter's account there.

The catalogue (`resources/remote_signing.json`) names each provider's protocol, endpoint, paths and
batch limit. The settings choose the counter's provider (`remote_provider`), may move its endpoint
(`remote_url`) and name the counter's service account (`remote_account`); the account's secret is
in the system keyring (`sohoa remote set-credentials`), or for an unattended run in
SOHOA_REMOTE_ACCOUNT and SOHOA_REMOTE_SECRET. No secret is written to the settings, the workspace or
the log.
"""

from __future__ import annotations

import json
import os

from app.config import Settings
from app.credentials import _keyring_get, store_secret
from app.paths import resources_dir
from common.errors import QT_TRANSLATE_NOOP, UserError

KEYRING_SERVICE = "sohoa-remote-signing"
ENV = "SOHOA_REMOTE_ACCOUNT and SOHOA_REMOTE_SECRET"


class RemoteSetupError(UserError):
    context = "credentials"
    template = QT_TRANSLATE_NOOP("credentials", "Remote signing is not set up: {detail}")
    exit_code = 2


class UnknownProvider(RemoteSetupError):
    template = QT_TRANSLATE_NOOP("credentials", "Unknown remote signing provider {provider}. Known: {known}.")


class NoServiceAddress(RemoteSetupError):
    template = QT_TRANSLATE_NOOP(
        "credentials",
        "No address for the remote signing service {provider}: set remote_url in the settings or pass "
        "--service-url.",
    )


class NoServiceAccount(RemoteSetupError):
    template = QT_TRANSLATE_NOOP(
        "credentials",
        "No service account for {provider} on this workstation. Run `sohoa remote set-credentials "
        "--provider {provider} --account ID` (the secret goes to the system keyring) or set "
        "SOHOA_REMOTE_ACCOUNT and SOHOA_REMOTE_SECRET.",
    )
    exit_code = 6


def catalog() -> dict:
    path = resources_dir() / "remote_signing.json"
    return json.loads(path.read_text(encoding="utf-8"))["providers"]


def provider_entry(provider: str) -> dict:
    entries = catalog()
    if provider not in entries:
        raise UnknownProvider(provider=provider, known=", ".join(sorted(entries)))
    return entries[provider]


def service_credentials(settings: Settings, provider: str, *, required: bool) -> tuple[str, str] | None:
    env_account, env_secret = os.environ.get("SOHOA_REMOTE_ACCOUNT"), os.environ.get("SOHOA_REMOTE_SECRET")
    if env_account and env_secret:
        return env_account, env_secret
    account = env_account or settings.remote_account
    secret = _keyring_get(f"{provider}:{account}", KEYRING_SERVICE, ENV) if account else None
    if account and secret:
        return account, secret
    if required:
        raise NoServiceAccount(provider=provider)
    return None


def store_service_secret(provider: str, account: str, secret: str) -> None:
    provider_entry(provider)
    store_secret(f"{provider}:{account}", secret, service=KEYRING_SERVICE, env=ENV)


def remote_service(settings: Settings, provider: str | None = None, url: str | None = None):
    """A connected `signing.remote` service for `provider` (default: the counter's)."""
    from signing.remote import CscService, Paths, Sp769Service

    provider = provider or settings.remote_provider
    if not provider:
        raise RemoteSetupError(detail="pass --remote PROVIDER or set remote_provider")
    entry = provider_entry(provider)
    if not url and provider == settings.remote_provider:
        url = settings.remote_url
    url = url or entry.get("url", "")
    if not url:
        raise NoServiceAddress(provider=provider)
    name = entry.get("name", provider)
    if entry["protocol"] == "csc":
        creds = service_credentials(settings, provider, required=False)
        return CscService(url, name=name, token=creds[1] if creds else None)
    account, secret = service_credentials(settings, provider, required=True)
    paths = Paths(
        **entry.get("paths", {}),
        hash_encoding=entry.get("hash_encoding", "hex"),
        max_batch=int(entry.get("max_batch", 50)),
    )
    return Sp769Service(provider, url, sp_id=account, sp_password=secret, name=name, paths=paths)

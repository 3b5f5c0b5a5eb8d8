"""The central portal over HTTP (docs/portal-api.md): OAuth2 client credentials, tus uploads, attach.

One item goes up as: look the attachment up by its idempotency key (already attached: take the
receipt, send nothing); resume the recorded tus upload from the server's offset, or create one and
record its URL before the first byte; send the rest; attach the upload to the dossier component and
keep the receipt. A 401 refreshes the token and repeats the call. Errors are sorted into transient
(retry later), permanent for this item (the portal's message is kept) and fatal for the run (TLS,
credentials).
"""

from __future__ import annotations

import logging
import os
import random
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import httpx

from common.errors import QT_TRANSLATE_NOOP
from common.urls import protected
from upload.errors import UploadError
from upload.outbox import OutboxItem
from upload.tus import DEFAULT_CHUNK, RateLimiter, TusClient, TusProtocolError

log = logging.getLogger(__name__)

API = "api/v1/"
_RETRY_STATUSES = {401, 408, 425, 429, 500, 502, 503, 504}


class PortalError(UploadError):
    """Something the portal or the network said about one item."""

    template = QT_TRANSLATE_NOOP("upload", "The portal refused {name}: {message}")

    def __init__(
        self, template: str | None = None, /, *, transient: bool, retry_after: float | None = None, **params
    ):
        self.transient = transient
        self.retry_after = retry_after
        super().__init__(template, **params)


class PortalUnreachable(PortalError):
    template = QT_TRANSLATE_NOOP(
        "upload", "The portal cannot be reached ({detail}). The files stay queued and go up on the next try."
    )


class PortalRefusedRun(UploadError):
    """Nothing can go up until someone fixes the configuration: stop the whole run, keep every item."""


class TlsRefused(PortalRefusedRun):
    template = QT_TRANSLATE_NOOP(
        "upload",
        "The portal's certificate is not trusted ({detail}). If the portal uses its own CA, ask the "
        "administrator to set portal_ca_bundle. Nothing was sent.",
    )


class PlainHttpRefused(PortalRefusedRun):
    template = QT_TRANSLATE_NOOP(
        "upload",
        "The portal address {url} does not use https: citizens' files and the portal's password would "
        "cross the network unprotected. Use the portal's https:// address. Nothing was sent.",
    )


def require_tls(url: str) -> None:
    """TLS cannot be left out: plain http only to this machine (a local test portal)."""
    if not protected(url):
        raise PlainHttpRefused(url=url)


class CredentialsRefused(PortalRefusedRun):
    template = QT_TRANSLATE_NOOP(
        "upload",
        "The portal refused this workstation's credentials ({detail}). Ask the administrator to check "
        "the client ID and secret. Nothing was sent.",
    )


class TooLarge(PortalError):
    template = QT_TRANSLATE_NOOP(
        "upload", "{name} is {size_mb} MB; the portal accepts at most {limit_mb} MB per file."
    )


@dataclass(frozen=True)
class PortalConfig:
    url: str
    client_id: str
    client_secret: str = ""  # never logged, never stored by SoHoa outside the OS keyring
    ca_bundle: str | None = None
    timeout_s: float = 60.0
    chunk_size: int = DEFAULT_CHUNK
    max_file_bytes: int | None = None
    max_bytes_per_s: float | None = None

    def __post_init__(self) -> None:
        require_tls(self.url)

    def __repr__(self) -> str:  # keep the secret out of tracebacks and logs
        return f"PortalConfig(url={self.url!r}, client_id={self.client_id!r}, ...)"


def _retry_after(response: httpx.Response | None) -> float | None:
    if response is None:
        return None
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def _portal_message(response: httpx.Response | None) -> str:
    if response is None:
        return ""
    try:
        data = response.json()
        if isinstance(data, dict):
            return str(data.get("message") or data.get("error_description") or data.get("error") or "")[:500]
    except ValueError:
        pass
    return response.text[:200].strip()


def _is_tls_error(exc: BaseException) -> bool:
    while exc is not None:
        if isinstance(exc, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


class OAuthSession:
    """Client-credentials bearer token, fetched on first use and again after a 401 or expiry."""

    def __init__(self, http: httpx.Client, token_url: str, client_id: str, client_secret: str) -> None:
        self.http = http
        self.token_url = token_url
        self.client_id = client_id
        self._secret = client_secret
        self._token: str | None = None
        self._expires = 0.0
        self._lock = threading.Lock()

    def headers(self) -> dict[str, str]:
        with self._lock:
            if self._token is None or time.monotonic() > self._expires - 30:
                self._fetch()
            return {"Authorization": f"Bearer {self._token}"}

    def invalidate(self, used: dict[str, str] | None = None) -> None:
        with self._lock:
            if used is None or used.get("Authorization") == f"Bearer {self._token}":
                self._token = None

    def _fetch(self) -> None:
        try:
            r = self.http.post(
                self.token_url,
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.client_id,
                    "client_secret": self._secret,
                },
            )
        except httpx.HTTPError as exc:
            raise _network_error(exc) from None
        if r.status_code in (400, 401, 403):
            raise CredentialsRefused(detail=_portal_message(r) or f"HTTP {r.status_code}")
        if r.status_code != 200:
            raise PortalUnreachable(
                detail=f"token: HTTP {r.status_code}", transient=True, retry_after=_retry_after(r)
            )
        data = r.json()
        self._token = data["access_token"]
        self._expires = time.monotonic() + float(data.get("expires_in", 300))
        log.info("portal token obtained for client %s", self.client_id)


def _network_error(exc: httpx.HTTPError) -> UploadError:
    if _is_tls_error(exc):
        return TlsRefused(detail=type(exc).__name__)
    return PortalUnreachable(detail=f"{type(exc).__name__}: {exc}"[:200], transient=True)


class PortalTarget:
    """Deliver outbox items to the portal at `config.url`, one at a time per calling thread."""

    name = "portal"

    def __init__(self, config: PortalConfig, *, limiter: RateLimiter | None = None) -> None:
        self.config = config
        base = config.url if config.url.endswith("/") else config.url + "/"
        self.base = base
        verify: str | bool = config.ca_bundle or True  # TLS verification is never switched off
        self.http = httpx.Client(
            verify=ssl.create_default_context(cafile=config.ca_bundle) if config.ca_bundle else verify,
            timeout=httpx.Timeout(config.timeout_s, connect=15.0),
            trust_env=True,  # system proxy settings (HTTPS_PROXY, NO_PROXY)
            follow_redirects=False,
            headers={"User-Agent": "SoHoa"},
        )
        self.oauth = OAuthSession(self.http, base + "oauth/token", config.client_id, config.client_secret)
        self.tus = TusClient(
            self.http,
            base + "files/",
            auth=self.oauth.headers,
            chunk_size=config.chunk_size,
            limiter=limiter or RateLimiter(config.max_bytes_per_s),
        )

    def describe(self) -> str:
        return self.base

    def close(self) -> None:
        self.http.close()

    # -- calls with token refresh and error sorting ---------------------------------------------------
    def _call(self, fn: Callable[[], httpx.Response | object], name: str, *, tries: int = 5):
        """Run `fn`, refreshing the token after a 401 and retrying transient failures (5xx, 408, 429,
        cut connections) a few times with backoff and the server's Retry-After; sort what remains."""
        for attempt in range(1, tries + 1):
            response, status, error = None, None, None
            try:
                result = fn()
            except TusProtocolError as exc:
                response, status = exc.response, exc.status
            except httpx.HTTPError as exc:
                if _is_tls_error(exc):
                    raise TlsRefused(detail=type(exc).__name__) from None
                error = exc
            else:
                if not isinstance(result, httpx.Response) or result.status_code not in _RETRY_STATUSES:
                    return result
                response, status = result, result.status_code
            last = attempt == tries
            if status == 401:
                self.oauth.invalidate()
                if not last:
                    continue
            elif error is not None:
                if last:
                    raise _network_error(error) from None
            elif status not in _RETRY_STATUSES or last:
                raise self._http_error(response, name, status) from None
            delay = _retry_after(response) if response is not None else None
            time.sleep(min(60.0, delay if delay is not None else 0.25 * 2**attempt))
        raise PortalUnreachable(detail="the portal keeps refusing fresh tokens", transient=True)

    def _http_error(self, response: httpx.Response | None, name: str, status: int | None) -> PortalError:
        message = _portal_message(response) or f"HTTP {status}"
        if status is None or status in (401, 408, 409, 423, 425, 429) or status >= 500:
            return PortalUnreachable(detail=message, transient=True, retry_after=_retry_after(response))
        return PortalError(name=name, message=message, transient=False)

    def _api(self, method: str, path: str, **kwargs) -> httpx.Response:
        return self.http.request(method, self.base + API + path, headers=self.oauth.headers(), **kwargs)

    # -- one item ---------------------------------------------------------------------------------
    def lookup(self, item: OutboxItem) -> dict | None:
        """The portal's receipt if this file is already attached to its component."""
        r = self._call(lambda: self._api("GET", f"attachments/{quote(item.idem_key)}"), item.filename)
        if r.status_code == 404:
            return None
        if r.status_code != 200:
            raise self._http_error(r, item.filename, r.status_code)
        return r.json()

    def check_size(self, item: OutboxItem) -> None:
        limits = [v for v in (self.config.max_file_bytes, self._server_max()) if v]
        if limits and item.size > min(limits):
            mb = 1024 * 1024
            raise TooLarge(
                name=item.filename,
                size_mb=f"{item.size / mb:.1f}",
                limit_mb=f"{min(limits) / mb:.0f}",
                transient=False,
            )

    def _server_max(self) -> int | None:
        return self._call(self.tus.server, "OPTIONS").max_size

    def send(
        self,
        item: OutboxItem,
        *,
        record_url: Callable[[str | None], None],
        mark_uploaded: Callable[[], None],
        progress: Callable[[int], None] | None = None,
        cancel: threading.Event | None = None,
        pause: threading.Event | None = None,
    ) -> dict:
        """Deliver `item` and return the portal's receipt. Safe to call again after any interruption."""
        receipt = self.lookup(item)
        if receipt is not None:
            log.info("item %s already attached (%s): nothing sent", item.id, receipt.get("receipt_id"))
            return {**receipt, "already_attached": True}
        self.check_size(item)
        if not os.path.exists(item.path):
            raise PortalError(name=item.filename, message="the local copy is missing", transient=False)
        url, offset = item.upload_url, None
        if url and item.state != "uploaded":
            offset = self._call(lambda: self.tus.offset(url), item.filename)
        elif url:
            offset = item.size
        if url is None or offset is None:
            metadata = {
                "filename": item.filename,
                "filetype": "application/pdf",  # some tus servers refuse HEAD without it
                "sha256": item.sha256,
                "dossier": item.dossier,
                "component": item.component,
                "idempotency_key": item.idem_key,
            }
            url = self._call(lambda: self.tus.create(item.size, metadata), item.filename)
            record_url(url)
            offset = 0
        if offset < item.size:
            self._upload_rest(item, url, offset, record_url, progress, cancel, pause)
        mark_uploaded()
        return self._attach(item, url, record_url)

    def _upload_rest(
        self, item, url, offset, record_url, progress, cancel, pause=None, *, stalls: int = 6
    ) -> None:
        """Send from `offset`; after a cut connection, an error or an expired token, ask the server's
        offset and go on. Gives up (for a later run) only after `stalls` tries that moved nothing."""
        stalled = 0
        while True:
            if progress is not None:
                progress(offset)
            try:
                self.tus.upload(
                    url, item.path, item.size, offset, progress=progress, cancel=cancel, pause=pause
                )
                return
            except TusProtocolError as exc:
                retryable = exc.status in (401, 408, 409, 423, 429) or (exc.status or 0) >= 500
                if exc.status in (404, 410):  # the portal dropped the partial upload: start again
                    record_url(None)
                    raise PortalUnreachable(
                        detail="upload expired on the portal", transient=True, retry_after=0
                    ) from None
                if not retryable or stalled + 1 >= stalls:
                    raise self._http_error(exc.response, item.filename, exc.status) from None
                if exc.status == 401:
                    self.oauth.invalidate()
                delay = _retry_after(exc.response)
            except httpx.HTTPError as exc:
                if _is_tls_error(exc) or stalled + 1 >= stalls:
                    raise _network_error(exc) from None
                log.info("upload of item %s interrupted (%s); resuming", item.id, type(exc).__name__)
                delay = None
            new_offset = self._call(lambda: self.tus.offset(url), item.filename)
            if new_offset is None:
                record_url(None)
                raise PortalUnreachable(detail="upload expired on the portal", transient=True, retry_after=0)
            stalled = 0 if new_offset > offset else stalled + 1
            if stalled:
                time.sleep(min(30.0, delay if delay is not None else 0.25 * 2**stalled))
            offset = new_offset

    def _attach(self, item: OutboxItem, url: str, record_url: Callable[[str | None], None]) -> dict:
        body = {
            "idempotency_key": item.idem_key,
            "dossier": item.dossier,
            "component": item.component,
            "filename": item.filename,
            "sha256": item.sha256,
            "size": item.size,
            "signer": item.signer,
            "upload_url": url,
        }
        r = self._call(lambda: self._api("POST", "attachments", json=body), item.filename)
        if r.status_code in (200, 201):
            return r.json()
        if r.status_code == 409:  # the bytes on the portal do not match: drop them, send the file again
            try:
                self.tus.terminate(url)
            except (httpx.HTTPError, TusProtocolError) as exc:
                log.info("could not terminate upload of item %s: %s", item.id, type(exc).__name__)
            record_url(None)
            raise PortalError(
                name=item.filename,
                message=_portal_message(r) or "checksum mismatch",
                transient=True,
                retry_after=0,
            )
        raise self._http_error(r, item.filename, r.status_code)


def backoff_s(attempt: int, retry_after: float | None, *, base: float = 2.0, cap: float = 600.0) -> float:
    """Exponential backoff with full jitter; the server's Retry-After wins when it asks for longer."""
    delay = random.uniform(0, min(cap, base * 2 ** max(0, attempt - 1)))
    return max(delay, retry_after or 0.0)

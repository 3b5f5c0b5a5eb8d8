"""A tus 1.0 client over httpx: creation, resume from the server's offset, termination, checksums.

Bytes go up from the file through one reused buffer, with an explicit Content-Length, so memory
stays flat whatever the file or chunk size; a chunk is one PATCH request. After an interruption
the server's offset (HEAD) says where to go on: at most the unacknowledged part of one chunk is
sent again.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx

from common.progress import check_cancel
from upload.errors import UploadError

log = logging.getLogger(__name__)

TUS_VERSION = "1.0.0"
DEFAULT_CHUNK = 32 * 1024 * 1024
IO_BUFFER = 1024 * 1024


class TusProtocolError(UploadError):
    """The server answered something the protocol does not allow (kept with its HTTP status)."""

    def __init__(self, detail: str, *, status: int | None = None, response: httpx.Response | None = None):
        self.status = status
        self.response = response
        super().__init__(detail=detail)


@dataclass
class TusServer:
    version: str = TUS_VERSION
    extensions: set[str] = field(default_factory=set)
    max_size: int | None = None
    checksum_algorithms: tuple[str, ...] = ()


class RateLimiter:
    """Caps the bytes per second of everything that passes through it (shared by parallel uploads)."""

    def __init__(self, bytes_per_s: float | None) -> None:
        self.rate = bytes_per_s
        self._lock = threading.Lock()
        self._next = time.monotonic()

    def take(self, n: int) -> None:
        if not self.rate:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + n / self.rate
            wait = start - now
        if wait > 0:
            time.sleep(wait)


def wait_while_paused(pause: threading.Event | None, cancel: threading.Event | None) -> None:
    """Block while `pause` is set; a cancel ends the wait (the caller then checks it)."""
    while pause is not None and pause.is_set() and not (cancel is not None and cancel.is_set()):
        time.sleep(0.1)


def encode_metadata(metadata: dict[str, str]) -> str:
    return ",".join(
        f"{key} {base64.b64encode(value.encode('utf-8')).decode('ascii')}" for key, value in metadata.items()
    )


class TusClient:
    """Uploads to one tus endpoint. `auth` returns the headers to add (e.g. a fresh bearer token)."""

    def __init__(
        self,
        http: httpx.Client,
        endpoint: str,
        *,
        auth: Callable[[], dict[str, str]] | None = None,
        chunk_size: int = DEFAULT_CHUNK,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.http = http
        self.endpoint = endpoint if endpoint.endswith("/") else endpoint + "/"
        self.auth = auth or dict
        self.chunk_size = chunk_size
        self.limiter = limiter or RateLimiter(None)
        self._server: TusServer | None = None

    def _headers(self, **extra: str) -> dict[str, str]:
        return {"Tus-Resumable": TUS_VERSION, **self.auth(), **extra}

    def _check(self, response: httpx.Response, *expected: int) -> httpx.Response:
        if response.status_code not in expected:
            raise TusProtocolError(
                f"{response.request.method} {response.request.url.path}: HTTP {response.status_code}",
                status=response.status_code,
                response=response,
            )
        return response

    def server(self) -> TusServer:
        """What the server supports (OPTIONS), asked once."""
        if self._server is None:
            r = self._check(self.http.options(self.endpoint, headers=self._headers()), 200, 204)
            ext = {e.strip() for e in r.headers.get("Tus-Extension", "").split(",") if e.strip()}
            algos = tuple(
                a.strip() for a in r.headers.get("Tus-Checksum-Algorithm", "").split(",") if a.strip()
            )
            max_size = r.headers.get("Tus-Max-Size")
            self._server = TusServer(
                r.headers.get("Tus-Version", TUS_VERSION).split(",")[0],
                ext,
                int(max_size) if max_size and max_size.isdigit() else None,
                algos,
            )
        return self._server

    def create(self, size: int, metadata: dict[str, str]) -> str:
        """A new upload of `size` bytes; returns its absolute URL."""
        headers = self._headers(**{"Upload-Length": str(size), "Upload-Metadata": encode_metadata(metadata)})
        r = self._check(self.http.post(self.endpoint, headers=headers), 201)
        location = r.headers.get("Location")
        if not location:
            raise TusProtocolError("creation answered without a Location", status=r.status_code)
        return urljoin(self.endpoint, location)

    def offset(self, url: str) -> int | None:
        """Bytes the server holds for `url`, or None when the upload is gone (404, 410)."""
        r = self.http.head(url, headers=self._headers())
        if r.status_code in (404, 410):
            return None
        self._check(r, 200, 204)
        try:
            return int(r.headers["Upload-Offset"])
        except (KeyError, ValueError):
            raise TusProtocolError("HEAD answered without Upload-Offset", status=r.status_code) from None

    def terminate(self, url: str) -> None:
        if "termination" in self.server().extensions:
            r = self.http.delete(url, headers=self._headers())
            if r.status_code not in (204, 404, 410):
                self._check(r, 204)

    def upload(
        self,
        url: str,
        path: str | os.PathLike[str],
        size: int,
        offset: int,
        *,
        progress: Callable[[int], None] | None = None,
        cancel: threading.Event | None = None,
        pause: threading.Event | None = None,
    ) -> int:
        """Send `path` from `offset` to the end, chunk by chunk; returns the final offset.

        While `pause` is set, no new chunk starts (the one on the wire finishes).
        """
        checksum = "sha1" in self.server().checksum_algorithms and "checksum" in self.server().extensions
        buffer = bytearray(IO_BUFFER)
        with open(path, "rb") as fh:
            while offset < size:
                wait_while_paused(pause, cancel)
                check_cancel(cancel)
                length = min(self.chunk_size, size - offset)
                extra = {
                    "Upload-Offset": str(offset),
                    "Content-Type": "application/offset+octet-stream",
                    "Content-Length": str(length),
                }
                if checksum:
                    extra["Upload-Checksum"] = "sha1 " + _sha1_b64(fh, offset, length, buffer)
                body = _file_range(fh, offset, length, buffer, self.limiter, progress, offset)
                r = self.http.patch(url, headers=self._headers(**extra), content=body)
                self._check(r, 204, 200)
                try:
                    new_offset = int(r.headers["Upload-Offset"])
                except (KeyError, ValueError):
                    raise TusProtocolError(
                        "PATCH answered without Upload-Offset", status=r.status_code
                    ) from None
                if new_offset <= offset:
                    raise TusProtocolError(
                        f"the server kept no bytes at offset {offset}", status=r.status_code
                    )
                offset = new_offset
                if progress is not None:
                    progress(offset)
        return offset


def _sha1_b64(fh, offset: int, length: int, buffer: bytearray) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    view = memoryview(buffer)
    fh.seek(offset)
    left = length
    while left:
        n = fh.readinto(view[: min(len(buffer), left)])
        if not n:
            raise UploadError(detail="the file became shorter while it was being sent")
        digest.update(view[:n])
        left -= n
    return base64.b64encode(digest.digest()).decode("ascii")


def _file_range(fh, offset, length, buffer, limiter: RateLimiter, progress, base) -> Iterator[bytes]:
    """`length` bytes of `fh` from `offset`, read into one reused buffer (a copy per piece for httpx)."""
    view = memoryview(buffer)
    fh.seek(offset)
    left, sent = length, 0
    while left:
        n = fh.readinto(view[: min(len(buffer), left)])
        if not n:
            raise UploadError(detail="the file became shorter while it was being sent")
        limiter.take(n)
        yield bytes(view[:n])
        left -= n
        sent += n
        if progress is not None:
            progress(base + sent)

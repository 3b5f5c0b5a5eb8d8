"""Asking a data service over HTTP: https only (plain http to this machine), a timeout, a size
limit, and the answer's bytes kept exactly as they came. Nothing of the answer is logged."""

from __future__ import annotations

import logging
import threading
import uuid

import httpx

from common.errors import Cancelled
from common.urls import protected
from common.vntime import iso_vietnam_time
from records.answer import MAX_BYTES, Answer, RequestFacts, parse_answer
from records.errors import (
    AnswerTooLarge,
    InsecureDataService,
    ServiceRefused,
    ServiceTimeout,
    ServiceUnavailable,
)

log = logging.getLogger(__name__)


def fetch(
    url: str,
    query: dict[str, str],
    *,
    service: str,
    service_name: str = "",
    method: str = "GET",
    headers: dict[str, str] | None = None,
    request_id_header: str = "X-Request-ID",
    timeout: float = 20.0,
    max_bytes: int = MAX_BYTES,
    cancel: threading.Event | None = None,
    **facts: str,
) -> tuple[Answer, RequestFacts]:
    """Ask `url` with `query` (parameters for GET, a JSON body for POST); the answer and the facts.

    `headers` carry the service credentials (never recorded); `facts` fill the rest of
    `RequestFacts` (official, dossier, procedure_code, agency_code).
    """
    if not protected(url):
        raise InsecureDataService(url=url)
    our_id = uuid.uuid4().hex
    sent = {**(headers or {}), request_id_header: our_id, "Accept": "application/json, application/xml"}
    requested_at = iso_vietnam_time()
    name = service_name or service
    kwargs = {"params": query} if method.upper() == "GET" else {"json": query}
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=False) as client,
            client.stream(method.upper(), url, headers=sent, **kwargs) as response,
        ):
            raw = _read_capped(response, max_bytes, name, cancel)
    except httpx.TimeoutException:
        raise ServiceTimeout(service=name, seconds=int(timeout)) from None
    except httpx.HTTPError as exc:
        raise ServiceUnavailable(service=name, detail=type(exc).__name__) from None
    log.info("data service %s answered HTTP %s, %d bytes", service, response.status_code, len(raw))
    content_type = response.headers.get("content-type", "")
    if response.status_code >= 300:
        raise ServiceRefused(service=name, status=response.status_code, detail=_refusal(raw, response))
    answer = parse_answer(raw, name, content_type, max_bytes=max_bytes)
    request_facts = RequestFacts(
        service=service,
        service_name=name,
        endpoint=str(response.request.url.copy_with(query=None)),
        query=dict(query),
        requested_at=requested_at,
        request_id=response.headers.get(request_id_header, our_id),
        http_status=response.status_code,
        media_type=answer.media_type,
        **facts,
    )
    return answer, request_facts


def _read_capped(response: httpx.Response, max_bytes: int, name: str, cancel) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise AnswerTooLarge(service=name, limit=max_bytes // 1024)
    chunks, size = [], 0
    for chunk in response.iter_bytes():  # the body as the service wrote it (transfer coding undone)
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        size += len(chunk)
        if size > max_bytes:
            raise AnswerTooLarge(service=name, limit=max_bytes // 1024)
        chunks.append(chunk)
    return b"".join(chunks)


def _refusal(raw: bytes, response: httpx.Response) -> str:
    """A short reason: the service's own message field when it gives one, else the HTTP reason."""
    import json

    try:
        body = json.loads(raw.decode("utf-8"))
        for key in ("message", "error_description", "error", "detail"):
            if isinstance(body, dict) and isinstance(body.get(key), str):
                return body[key][:160]
    except (ValueError, UnicodeDecodeError):
        pass
    return response.reason_phrase or "error"

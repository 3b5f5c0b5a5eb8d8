"""The reference portal: docs/portal-api.md on FastAPI, with tuspyserver for the tus endpoint.

For tests, demos and a province's integration team. Files are kept on disk under `root`:
`uploads/` (tus), `dossiers/<dossier>/<component>/<file>` (attached), `attached.jsonl` (a journal of
every attach call, so exactly-once delivery can be checked). Faults are injected by `Faults`.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from tuspyserver import create_tus_router

from common.hashing import sha256_file

FAULTS = ("drop", "error-500", "busy-503", "expire-token", "slow")


@dataclass
class Faults:
    """Switches, changeable at run time (POST /_dev/faults): which faults hit which requests."""

    active: set[str] = field(default_factory=set)
    every: int = 3  # error-500, busy-503 and expire-token each hit every n-th request they apply to
    counters: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hit(self, name: str) -> bool:
        if name not in self.active:
            return False
        with self.lock:
            self.counters[name] = self.counters.get(name, 0) + 1
            return self.counters[name] % self.every == 0


@dataclass
class PortalState:
    root: Path
    client_id: str | None = None
    client_secret: str | None = None
    token_ttl_s: int = 3600
    reject_prefix: str = "TUCHOI-"
    cutting_proxy: bool = False
    faults: Faults = field(default_factory=Faults)
    tokens: dict[str, float] = field(default_factory=dict)
    attachments: dict[str, dict] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def journal(self) -> Path:
        return self.root / "attached.jsonl"

    def load(self) -> None:
        (self.root / "uploads").mkdir(parents=True, exist_ok=True)
        if self.journal.exists():
            for line in self.journal.read_text(encoding="utf-8").splitlines():
                entry = json.loads(line)
                if not entry.get("duplicate"):
                    self.attachments[entry["idempotency_key"]] = entry["receipt"]


def _error(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


def create_app(state: PortalState) -> FastAPI:  # noqa: C901 (the routes are nested handlers, each simple)
    state.load()
    app = FastAPI(title="SoHoa reference portal", docs_url=None, redoc_url=None)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail), str(exc.detail), exc.headers)

    async def require_token(request: Request) -> None:
        header = request.headers.get("authorization", "")
        token = header[7:] if header.lower().startswith("bearer ") else ""
        expires = state.tokens.get(token)
        if expires is None or expires < time.time():
            raise HTTPException(401, "invalid_token", headers={"WWW-Authenticate": "Bearer"})
        if state.faults.hit("expire-token"):
            state.tokens.pop(token, None)
            raise HTTPException(401, "invalid_token", headers={"WWW-Authenticate": "Bearer"})

    @app.middleware("http")
    async def inject_faults(request: Request, call_next):
        path = request.url.path
        if path.startswith("/_dev"):
            return await call_next(request)
        if "slow" in state.faults.active:
            await asyncio.sleep(0.3)
        if path.startswith(("/files", "/api")):
            if state.faults.hit("error-500"):
                return _error(500, "server_error", "Lỗi máy chủ (thử nghiệm)")
            if state.faults.hit("busy-503"):
                return _error(503, "busy", "Máy chủ đang bận (thử nghiệm)", {"Retry-After": "1"})
        return await call_next(request)

    @app.post("/oauth/token")
    async def token(request: Request) -> JSONResponse:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8")).items()}
        grant_type, client_id = form.get("grant_type", ""), form.get("client_id", "")
        client_secret = form.get("client_secret", "")
        if grant_type != "client_credentials":
            return _error(400, "unsupported_grant_type", "only client_credentials")
        if state.client_id is not None and (
            client_id != state.client_id
            or not secrets.compare_digest(client_secret, state.client_secret or "")
        ):
            return _error(401, "invalid_client", "Sai mã ứng dụng hoặc khóa bí mật")
        value = secrets.token_urlsafe(24)
        state.tokens[value] = time.time() + state.token_ttl_s
        return JSONResponse({"access_token": value, "token_type": "Bearer", "expires_in": state.token_ttl_s})

    app.include_router(
        create_tus_router(
            prefix="files",
            files_dir=str(state.root / "uploads"),
            max_size=int(os.environ.get("SOHOA_DEVPORTAL_MAX_BYTES", str(2 * 1024**3))),
            auth=require_token,
            days_to_keep=2,
        )
    )

    @app.get("/api/v1/attachments/{key}")
    async def get_attachment(key: str, request: Request) -> JSONResponse:
        await require_token(request)
        receipt = state.attachments.get(key)
        if receipt is None:
            return _error(404, "not_found", "Chưa đính kèm")
        return JSONResponse(receipt)

    @app.post("/api/v1/attachments")
    async def attach(request: Request) -> JSONResponse:
        await require_token(request)
        body = await request.json()
        missing = [
            k
            for k in ("idempotency_key", "dossier", "component", "filename", "sha256", "size", "upload_url")
            if k not in body
        ]
        if missing:
            return _error(422, "invalid", f"Thiếu trường: {', '.join(missing)}")
        key = body["idempotency_key"]
        with state.lock:
            existing = state.attachments.get(key)
        if existing is not None:
            _journal(state, body, existing, duplicate=True)
            return JSONResponse(existing, status_code=200)
        if body["dossier"].startswith(state.reject_prefix):
            return _error(
                422,
                "dossier_closed",
                f"Hồ sơ {body['dossier']} đã kết thúc, không nhận thêm thành phần hồ sơ",
            )
        upload_id = body["upload_url"].rstrip("/").rsplit("/", 1)[-1]
        upload = state.root / "uploads" / upload_id
        if not upload.is_file() or upload.stat().st_size != int(body["size"]):
            return _error(409, "incomplete", "Tệp tải lên chưa đủ hoặc không tồn tại")
        digest, _size = await asyncio.to_thread(sha256_file, upload)
        if digest != body["sha256"]:
            return _error(409, "checksum_mismatch", "Mã băm SHA-256 không khớp với tệp đã nhận")
        dest = (
            state.root
            / "dossiers"
            / _safe(body["dossier"])
            / _safe(body["component"])
            / _safe(body["filename"])
        )
        dest.parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(shutil.copyfile, upload, dest)
        receipt = {
            "receipt_id": "BN-" + secrets.token_hex(6).upper(),
            "dossier": body["dossier"],
            "component": body["component"],
            "filename": body["filename"],
            "sha256": digest,
            "size": int(body["size"]),
            "attached_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        with state.lock:
            if key in state.attachments:  # a concurrent call won the race
                receipt = state.attachments[key]
                _journal(state, body, receipt, duplicate=True)
                return JSONResponse(receipt, status_code=200)
            state.attachments[key] = receipt
            _journal(state, body, receipt, duplicate=False)
        return JSONResponse(receipt, status_code=201)

    @app.post("/_dev/faults")
    async def set_faults(request: Request) -> JSONResponse:
        body = await request.json()
        unknown = set(body.get("faults", [])) - set(FAULTS)
        if unknown:
            return _error(422, "invalid", f"unknown faults {sorted(unknown)}")
        if "drop" in set(body.get("faults", [])) - state.faults.active and not state.cutting_proxy:
            return _error(422, "invalid", "start the portal with --fault drop to cut connections")
        state.faults.active = set(body.get("faults", []))
        state.faults.every = int(body.get("every", state.faults.every))
        return JSONResponse({"faults": sorted(state.faults.active), "every": state.faults.every})

    @app.put("/_dev/raw/{name}")
    async def raw_sink(name: str, request: Request) -> Response:
        """A plain streaming upload, the yardstick for the tus client's throughput (bench/upload.py)."""
        dest = state.root / "raw" / _safe(name)
        dest.parent.mkdir(parents=True, exist_ok=True)
        size = 0
        with open(dest, "wb") as out:
            async for chunk in request.stream():
                out.write(chunk)
                size += len(chunk)
        return JSONResponse({"size": size}, status_code=201)

    return app


def _journal(state: PortalState, body: dict, receipt: dict, *, duplicate: bool) -> None:
    entry = {
        "dossier": body["dossier"],
        "component": body["component"],
        "sha256": body["sha256"],
        "size": int(body["size"]),
        "idempotency_key": body["idempotency_key"],
        "duplicate": duplicate,
        "receipt": receipt,
        "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
    }
    with open(state.journal, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def _safe(text: str) -> str:
    return "".join("_" if c in '/\\:*?"<>|\0' else c for c in text).strip(". ") or "_"

"""A reference remote signing service of the 769 shape, for tests and demos (`python -m signing.devremote`).

It answers as `signing.remote.sp769` expects of VNPT SmartCA (`--shape smartca`: paths under `v1/`,
`chain_data` an object, hashes in hex) or of the national eSign gateway (`--shape neac`: `/get_certificate`,
`/sign`, `/sign/{id}/status`, `chain_data` a list, hashes in base64). Keys stay on PKCS#11 tokens
(SoftHSM2 in the tests): the users file maps an ID number to its tokens:

    {"module": "/usr/lib/softhsm/libsofthsm2.so",
     "sp": {"sp_id": "counter-1", "sp_password": "..."},
     "users": {"001203012345": [{"token": "SoHoa Test", "pin": "123456"}]}}

A transaction is pending until the "phone" acts. Test-only controls (POST `/_control`, JSON):
`mode` approve | refuse | expire | fail | manual, `delay` seconds before the phone acts,
`expires_in` seconds a request lives, `wrong_bytes` (sign other bytes), `errors` (the next N
status calls answer 503), `cut` (the next N status calls close the connection unanswered),
`max_batch`. POST `/_control/approve` or `/_control/refuse` with {"id": ...} acts on one request in
manual mode; GET `/_control/requests` lists the requests asked (for counting approvals).
This is a test double of a CA: never run it with real keys.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pkcs11
from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass

SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
SHAPES = {
    "smartca": {
        "certificates": "/v1/credentials/get_certificate",
        "sign": "/v1/signatures/sign",
        "status": "/v1/signatures/sign/{id}/status",
        "encoding": "hex",
    },
    "neac": {
        "certificates": "/get_certificate",
        "sign": "/sign",
        "status": "/sign/{id}/status",
        "encoding": "base64",
    },
}


class Service:
    def __init__(self, config: dict, shape: str) -> None:
        self.shape = shape
        self.paths = SHAPES[shape]
        self.sp = config.get("sp") or {}
        self.users = config["users"]
        self.lib = pkcs11.lib(config["module"])
        self.lock = threading.Lock()
        self.controls = {
            "mode": "approve",
            "delay": 0.0,
            "expires_in": 120,
            "wrong_bytes": False,
            "errors": 0,
            "cut": 0,
            "max_batch": 50,
        }
        self.requests: dict[str, dict] = {}

    # -- keys on the tokens ----------------------------------------------------------------------

    def _certificates(self, user: dict) -> list[tuple[bytes, bytes]]:
        token = self.lib.get_token(token_label=user["token"])
        with token.open(user_pin=user["pin"]) as session:
            certs = [
                (bytes(c[Attribute.VALUE]), bytes(c[Attribute.ID] or b""))
                for c in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})
            ]
        return certs

    def _sign(self, user: dict, digest: bytes) -> bytes:
        """The token's one key signs a SHA-256 hash (ECDSA answers r||s, as a token does)."""
        token = self.lib.get_token(token_label=user["token"])
        with self.lock, token.open(user_pin=user["pin"]) as session:
            key = next(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}))
            if key.key_type == KeyType.EC:
                return key.sign(digest, mechanism=Mechanism.ECDSA)
            return key.sign(SHA256_DIGEST_INFO + digest, mechanism=Mechanism.RSA_PKCS)

    # -- the API -------------------------------------------------------------------------------

    def get_certificate(self, body: dict) -> tuple[int, dict]:
        from asn1crypto import x509

        users = self.users.get(str(body.get("user_id", "")))
        if not users:
            return 200, {"status_code": 404, "message": "CREDENTIAL_NOT_FOUND", "data": None}
        entries = []
        for user in users:
            certs = self._certificates(user)
            leaves = [d for d, _ in certs if not x509.Certificate.load(d).ca]
            chain = [base64.b64encode(d).decode() for d, _ in certs if x509.Certificate.load(d).ca]
            for der in leaves:
                entry = {
                    "cert_id": str(uuid.uuid5(uuid.NAMESPACE_OID, der.hex())),
                    "cert_data": base64.b64encode(der).decode(),
                    "serial_number": format(x509.Certificate.load(der).serial_number, "x"),
                    "transaction_id": body.get("transaction_id"),
                    "cert_status": "Đang hoạt động",
                }
                if self.shape == "smartca":
                    entry["chain_data"] = {"ca_cert": chain[0] if chain else None, "root_cert": None}
                else:
                    entry["chain_data"] = chain
                entries.append(entry)
        data = {"user_certificates": entries} if self.shape == "smartca" else entries
        return 200, {"status_code": 200, "message": "SUCCESS", "data": data}

    def sign(self, body: dict) -> tuple[int, dict]:
        users = self.users.get(str(body.get("user_id", "")))
        files = body.get("sign_files") or []
        if not users:
            return 200, {"status_code": 404, "message": "CREDENTIAL_NOT_FOUND", "data": None}
        if not files or len(files) > self.controls["max_batch"]:
            return 200, {"status_code": 400, "message": "BAD_REQUEST: too many sign_files", "data": None}
        tid = f"TX-{uuid.uuid4()}"
        digests = []
        for f in files:
            raw = f["data_to_be_signed"]
            digests.append(bytes.fromhex(raw) if self.paths["encoding"] == "hex" else base64.b64decode(raw))
        with self.lock:
            self.requests[tid] = {
                "id": tid,
                "user": users[0],
                "serial": body.get("serial_number", ""),
                "docs": [str(f["doc_id"]) for f in files],
                "digests": digests,
                "created": time.time(),
                "expires_in": self.controls["expires_in"],
                "state": "pending",
                "description": body.get("transaction_desc", ""),
            }
        data = {
            "transaction_id": tid,
            "tran_code": str(uuid.uuid4()),
            "expired_in": self.controls["expires_in"],
        }
        return 200, {"status_code": 200, "message": "WAITING_FOR_SIGNER_CONFIRM", "data": data}

    def status(self, tid: str) -> tuple[int, dict]:
        req = self.requests.get(tid)
        if req is None:
            return 200, {"status_code": 404, "message": "TRANSACTION_NOT_FOUND", "data": None}
        self._advance(req)
        state = req["state"]
        if state == "approved":
            key = "signatures" if self.shape == "smartca" else "signed_files"
            data = {"transaction_id": tid, key: req["signatures"]}
            return 200, {"status_code": 200, "message": "SUCCESS", "data": data}
        message = {
            "pending": "WAITING_FOR_SIGNER_CONFIRM",
            "rejected": "SIGNER_REJECTED",
            "expired": "TRANSACTION_EXPIRED",
            "failed": "SIGN_FAILED",
        }[state]
        code = 500 if state == "failed" else 200
        return 200, {
            "status_code": code,
            "message": message,
            "data": {"transaction_id": tid, "signatures": None},
        }

    def _advance(self, req: dict) -> None:
        if req["state"] != "pending":
            return
        age = time.time() - req["created"]
        mode = self.controls["mode"]
        if age > req["expires_in"] or (mode == "expire" and age >= self.controls["delay"]):
            req["state"] = "expired"
        elif mode == "manual" or age < self.controls["delay"]:
            return
        elif mode == "refuse":
            req["state"] = "rejected"
        elif mode == "fail":
            req["state"] = "failed"
        elif mode == "approve":
            self._approve(req)

    def control(self, path: str, body: dict) -> tuple[int, dict]:
        """The test-only switches, and the phone's own answer in manual mode."""
        if path == "/_control":
            self.controls.update(body)
            return 200, self.controls
        req = self.requests.get(body.get("id", ""))
        if req is None:
            return 404, {}
        if path.endswith("approve"):
            self._approve(req)
        else:
            req["state"] = "rejected"
        return 200, {"state": req["state"]}

    def _approve(self, req: dict) -> None:
        sigs = []
        for doc, digest in zip(req["docs"], req["digests"], strict=True):
            if self.controls["wrong_bytes"]:
                digest = hashlib.sha256(b"other bytes than were asked").digest()
            sig = self._sign(req["user"], digest)
            sigs.append(
                {
                    "doc_id": doc,
                    "signature_value": base64.b64encode(sig).decode(),
                    "timestamp_signature": None,
                }
            )
        req["signatures"] = sigs
        req["state"] = "approved"


def make_handler(service: Service):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet: the tests read the answers, not the log
            pass

        def _reply(self, status: int, payload: dict) -> None:
            body = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path == "/_control/requests":
                with service.lock:
                    listed = [
                        {k: v for k, v in r.items() if k in ("id", "docs", "state", "description")}
                        for r in service.requests.values()
                    ]
                return self._reply(200, {"requests": listed})
            return self._reply(404, {"message": "not found"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except json.JSONDecodeError:
                return self._reply(400, {"status_code": 400, "message": "BAD_REQUEST"})
            path = self.path.rstrip("/")
            if path.startswith("/_control"):
                return self._reply(*service.control(path, body))
            if service.sp and (body.get("sp_id"), body.get("sp_password")) != (
                service.sp.get("sp_id"),
                service.sp.get("sp_password"),
            ):
                return self._reply(
                    200, {"status_code": 401, "message": "SP_CREDENTIAL_INVALID", "data": None}
                )
            if path == service.paths["certificates"]:
                return self._reply(*service.get_certificate(body))
            if path == service.paths["sign"]:
                return self._reply(*service.sign(body))
            prefix, suffix = service.paths["status"].split("{id}")
            if path.startswith(prefix) and path.endswith(suffix):
                with service.lock:
                    if service.controls["cut"] > 0:
                        service.controls["cut"] -= 1
                        self.close_connection = True
                        return None
                    if service.controls["errors"] > 0:
                        service.controls["errors"] -= 1
                        return self._reply(503, {"message": "busy"})
                return self._reply(*service.status(path[len(prefix) : len(path) - len(suffix)]))
            return self._reply(404, {"status_code": 404, "message": "not found"})

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", required=True, help="JSON file: module, sp, users")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="smartca")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8769)
    args = parser.parse_args(argv)
    with open(args.users, encoding="utf-8") as fh:
        config = json.load(fh)
    server = ThreadingHTTPServer((args.host, args.port), make_handler(Service(config, args.shape)))
    server.serve_forever()


if __name__ == "__main__":
    main()

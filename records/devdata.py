"""A reference data service, for tests and demos (`python -m records.devdata --port N`).

It answers as the data-sharing platform's services do for the catalogue's `population` (a
citizen's record in the population database, JSON: GET `/dancu/v1/congdan?SoDinhDanh=...`) and
`land` (a land parcel, XML: GET `/datdai/v1/thuadat?MaXa=...&SoToBanDo=...&SoThuTuThua=...`). Each
call needs the header `X-Api-Key` (`--api-key`) and gets an `X-Request-ID` back. The data changes
over time: every subject has versions, and POST `/_control/advance` {"subject": ...} moves it to the
next one (an address moved, a member added, a field dropped).

Test-only controls (POST `/_control`, JSON): `mode` ok | refuse (403) | error (500) | html (an
error page with status 200) | malformed | latin1 (not UTF-8) | huge (a body of `huge_kb` KB) |
cut (the connection closed unanswered); `delay` seconds before answering. GET `/_control/calls`
counts the calls answered. Never run it with real personal data.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

PEOPLE = {
    "001203012345": [
        {
            "SoDinhDanh": "001203012345",
            "HoVaTen": "Nguyễn Thị Hồng Nhung",
            "NgayThangNamSinh": "15/06/1990",
            "GioiTinh": "Nữ",
            "DanToc": "Kinh",
            "QuocTich": "Việt Nam",
            "QueQuan": {"TinhThanh": "Tỉnh Nam Định", "PhuongXa": "Xã Hải Hậu"},
            "NoiThuongTru": {
                "TinhThanh": "Thành phố Hồ Chí Minh",
                "PhuongXa": "Phường Bến Thành",
                "ChiTiet": "12 Lê Lợi",
            },
            "ChuHo": {"HoVaTen": "Trần Văn Bình", "QuanHeVoiChuHo": "Vợ"},
            "ThanhVienHo": [
                {"HoVaTen": "Trần Văn Bình", "QuanHe": "Chủ hộ"},
                {"HoVaTen": "Trần Minh Khôi", "QuanHe": "Con"},
            ],
            "TinhTrangHonNhan": "Đã kết hôn",
        }
    ]
}
PARCELS = {
    ("26734", "12", "345"): [
        {
            "MaXa": "26734",
            "SoToBanDo": "12",
            "SoThuTuThua": "345",
            "DienTich": "86.5",
            "MucDichSuDung": "Đất ở tại đô thị",
            "ThoiHanSuDung": "Lâu dài",
            "NguonGocSuDung": "Nhà nước công nhận quyền sử dụng đất",
            "DiaChi": "12 Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh",
            "ChuSuDung": [{"HoVaTen": "Trần Văn Bình", "SoDinhDanh": "001085004321"}],
        }
    ]
}


def _next_person(v: dict) -> dict:
    """The same citizen some months later: moved, one more in the household, a field gone."""
    n = json.loads(json.dumps(v))
    n["NoiThuongTru"] = {
        "TinhThanh": "Thành phố Hồ Chí Minh",
        "PhuongXa": "Phường Sài Gòn",
        "ChiTiet": "45 Đồng Khởi",
    }
    n["ThanhVienHo"].append({"HoVaTen": "Trần Minh An", "QuanHe": "Con"})
    n.pop("TinhTrangHonNhan", None)
    n["NgayCapNhat"] = "01/12/2026"
    return n


def _next_parcel(v: dict) -> dict:
    n = json.loads(json.dumps(v))
    n["DienTich"] = "84.0"
    n["ChuSuDung"].append({"HoVaTen": "Nguyễn Thị Hồng Nhung", "SoDinhDanh": "001203012345"})
    return n


def parcel_xml(p: dict) -> bytes:
    owners = "".join(
        f"<ChuSuDung><HoVaTen>{escape(o['HoVaTen'])}</HoVaTen><SoDinhDanh>{o['SoDinhDanh']}</SoDinhDanh></ChuSuDung>"
        for o in p["ChuSuDung"]
    )
    fields = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in p.items() if k != "ChuSuDung")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<ThuaDat xmlns="urn:vn:datdai:thuadat:1.0" phienBan="1">{fields}{owners}</ThuaDat>\n'
    ).encode()


class DataService:
    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self.lock = threading.Lock()
        self.controls = {"mode": "ok", "delay": 0.0, "huge_kb": 4096}
        self.people = {k: list(v) for k, v in PEOPLE.items()}
        self.parcels = {k: list(v) for k, v in PARCELS.items()}
        self.calls = 0

    def answer(self, path: str, q: dict) -> tuple[int, bytes, str]:
        with self.lock:
            if path == "/dancu/v1/congdan":
                versions = self.people.get(q.get("SoDinhDanh", ""))
                if not versions:
                    return 404, _json_body({"message": "Không tìm thấy công dân"}), "application/json"
                body = json.dumps({"MaKetQua": "0", "DuLieu": versions[-1]}, ensure_ascii=False, indent=2)
                return 200, body.encode("utf-8"), "application/json; charset=utf-8"
            if path == "/datdai/v1/thuadat":
                key = (q.get("MaXa", ""), q.get("SoToBanDo", ""), q.get("SoThuTuThua", ""))
                versions = self.parcels.get(key)
                if not versions:
                    return 404, _json_body({"message": "Không tìm thấy thửa đất"}), "application/json"
                return 200, parcel_xml(versions[-1]), "application/xml"
        return 404, _json_body({"message": "not found"}), "application/json"

    def advance(self, subject: str) -> None:
        with self.lock:
            if subject in self.people:
                self.people[subject].append(_next_person(self.people[subject][-1]))
            for key, versions in self.parcels.items():
                if subject == "/".join(key):
                    versions.append(_next_parcel(versions[-1]))


def _json_body(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def trouble(mode: str, controls: dict) -> tuple[int, bytes, str] | None:
    """What a misbehaving service sends instead of the answer, by test mode."""
    if mode == "refuse":
        return (
            403,
            _json_body({"message": "Cơ quan chưa được cấp quyền khai thác dịch vụ này"}),
            "application/json",
        )
    if mode == "error":
        return 500, _json_body({"message": "internal error"}), "application/json"
    if mode == "html":
        return 200, b"<!DOCTYPE html><html><body><h1>Session expired</h1></body></html>", "text/html"
    if mode == "malformed":
        return 200, b'{"SoDinhDanh": "0012", "HoVaTen": ', "application/json"
    if mode == "latin1":
        return 200, '{"HoVaTen": "Đặng Văn Ân"}'.encode("cp1258", "replace"), "application/json"
    if mode == "huge":
        return 200, _json_body({"Du": "x" * (int(controls["huge_kb"]) * 1024)}), "application/json"
    return None


def make_handler(svc: DataService):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # no personal data in any log
            pass

        def _send(self, status: int, body: bytes, ctype: str, extra: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, obj) -> None:
            self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), "application/json")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            if self.path == "/_control":
                with svc.lock:
                    svc.controls.update(body)
                return self._json(200, svc.controls)
            if self.path == "/_control/advance":
                svc.advance(str(body.get("subject", "")))
                return self._json(200, {"ok": True})
            self._json(404, {"message": "not found"})

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/_control/calls":
                return self._json(200, {"calls": svc.calls})
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            if self.headers.get("X-Api-Key") != svc.api_key:
                return self._json(401, {"message": "API key missing or wrong"})
            with svc.lock:
                controls = dict(svc.controls)
            if controls["delay"]:
                time.sleep(float(controls["delay"]))
            mode = controls["mode"]
            if mode == "cut":
                self.close_connection = True
                self.connection.close()
                return
            svc.calls += 1
            rid = {"X-Request-ID": f"NDXP-{uuid.uuid4().hex[:16]}"}
            status, body, ctype = trouble(mode, controls) or svc.answer(url.path, q)
            self._send(status, body, ctype, rid)

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--api-key", default="demo-key")
    args = parser.parse_args(argv)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(DataService(args.api_key)))
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()

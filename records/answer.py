"""A data service's answer kept exactly as received, the request that produced it, and the answer
read as data (JSON or XML) for printing and comparing. The bytes are hashed as they came."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from records.errors import AnswerIsHtml, AnswerMalformed, AnswerNotUtf8, AnswerTooLarge

MAX_BYTES = 2 * 1024 * 1024  # an answer about one subject; anything larger is not one
_HTML = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.I | re.S)


@dataclass(frozen=True)
class RequestFacts:
    """What was asked, of whom, by whom and when: kept beside the answer in the record."""

    service: str  # the catalogue's key, e.g. "population"
    service_name: str  # as printed, e.g. "Cơ sở dữ liệu quốc gia về dân cư"
    endpoint: str  # the URL asked (no credentials), or "" for an answer saved by the clerk
    query: dict[str, str]
    requested_at: str  # ISO 8601 with the time zone
    official: str = ""  # who asked
    dossier: str = ""
    procedure_code: str = ""
    agency_code: str = ""
    request_id: str = ""  # the platform's reference for this request
    http_status: int = 0
    media_type: str = ""  # "application/json" or "application/xml"
    source: str = "fetched"  # "fetched" by SoHoa, or "saved" (a file the clerk brought)
    extra: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> RequestFacts:
        d = json.loads(data.decode("utf-8"))
        known = {k: d[k] for k in cls.__dataclass_fields__ if k in d}
        return cls(**known)


@dataclass(frozen=True)
class Answer:
    """The answer's bytes as received, their SHA-256, and what they say."""

    raw: bytes
    kind: str  # "json" or "xml"
    data: Any  # the answer read: dicts, lists and strings

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    @property
    def media_type(self) -> str:
        return "application/json" if self.kind == "json" else "application/xml"

    @property
    def filename(self) -> str:
        return f"answer.{self.kind}"


def parse_answer(raw: bytes, service: str, content_type: str = "", *, max_bytes: int = MAX_BYTES) -> Answer:
    """Read `raw` (JSON or XML, UTF-8) without changing it; each way it can be wrong has its error."""
    if len(raw) > max_bytes:
        raise AnswerTooLarge(service=service, limit=max_bytes // 1024)
    ctype = content_type.split(";")[0].strip().lower()
    if ctype in ("text/html", "application/xhtml+xml") or _HTML.match(raw[:4096]):
        raise AnswerIsHtml(service=service)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise AnswerNotUtf8(service=service) from None
    body = text.lstrip("\ufeff \t\r\n")
    kind = "json" if ctype.endswith("json") else "xml" if ctype.endswith("xml") else ""
    if not kind:
        kind = "xml" if body.startswith("<") else "json"
    if kind == "json":
        try:
            return Answer(raw, "json", json.loads(body))
        except (ValueError, RecursionError) as exc:
            raise AnswerMalformed(service=service, kind="JSON", detail=str(exc)[:120]) from None
    return Answer(raw, "xml", _read_xml(raw, service))


def _read_xml(raw: bytes, service: str) -> Any:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(raw, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise AnswerMalformed(service=service, kind="XML", detail=str(exc)[:120]) from None
    return {_local(root.tag): _element(root)}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _element(el) -> Any:
    """An element as data: its children by name (a list when repeated), attributes as @name."""
    children = list(el)
    text = (el.text or "").strip()
    if not children and not el.attrib:
        return text
    out: dict[str, Any] = {f"@{_local(k)}": v for k, v in el.attrib.items()}
    for child in children:
        name, value = _local(child.tag), _element(child)
        if name in out:  # a repeated element: a list (an element's own value is never one)
            if not isinstance(out[name], list):
                out[name] = [out[name]]
            out[name].append(value)
        else:
            out[name] = value
    if text:
        out["#text"] = text
    return out


def flatten(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Every leaf of the answer as (path, text), in the answer's order: `A.B`, `List[2].C`."""
    out: list[tuple[str, str]] = []
    if isinstance(data, dict):
        if not data and prefix:
            out.append((prefix, ""))
        for key, value in data.items():
            out.extend(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(data, list):
        if not data and prefix:
            out.append((prefix, ""))
        for i, value in enumerate(data, start=1):
            out.extend(flatten(value, f"{prefix}[{i}]"))
    else:
        out.append((prefix or "(value)", _text(data)))
    return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def label_for(path: str, labels: dict[str, str]) -> str:
    """The catalogue's label for a path (indices left out), else for its last name, else the key."""
    plain = re.sub(r"\[\d+\]", "", path)
    if plain in labels:
        label = labels[plain]
    else:
        last = plain.rsplit(".", 1)[-1]
        label = labels.get(last, path)
        if label == path:
            return path
    numbers = re.findall(r"\[(\d+)\]", path)
    return f"{label} ({', '.join(numbers)})" if numbers else label


def value_at(data: Any, path: str) -> str | None:
    """The leaf at `path` (as `flatten` names it), or None."""
    for p, v in flatten(data):
        if p == path:
            return v
    return None

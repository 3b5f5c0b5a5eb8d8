"""A data record read back: the embedded answer and request facts, and the answer checked against
the SHA-256 printed on the page (read from the page's text, as a person would)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from records.answer import Answer, RequestFacts, parse_answer
from records.errors import NotARecord, RecordError
from records.render import FACTS_FILE, HASH_LINE

_HASH = re.compile(re.escape(HASH_LINE.split("(")[0]) + r"\(([^)]*)\):\s*([0-9a-f]{64})")


@dataclass(frozen=True)
class RecordContents:
    answer: Answer | None  # None when the embedded bytes cannot be read as data
    facts: RequestFacts
    raw_sha256: str  # of the embedded answer's bytes, computed now
    printed_sha256: str  # as printed on the page ("" when not found)
    answer_name: str

    @property
    def hash_ok(self) -> bool:
        return bool(self.printed_sha256) and self.printed_sha256 == self.raw_sha256


def read_record(path: Path) -> RecordContents:
    """The record's embedded answer and facts, and the hash printed on its pages."""
    try:
        with pikepdf.open(path) as pdf:
            files = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
            rel = {name: str(spec.obj.get("/AFRelationship", "")) for name, spec in pdf.attachments.items()}
    except (pikepdf.PdfError, OSError) as exc:
        raise NotARecord(name=Path(path).name, detail=str(exc)[:120]) from None
    sources = [n for n, r in rel.items() if r == "/Source"]
    if not sources or FACTS_FILE not in files:
        raise NotARecord(name=Path(path).name, detail="no Source answer or no request facts")
    name = sources[0]
    raw = files[name]
    try:
        facts = RequestFacts.from_json(files[FACTS_FILE])
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise NotARecord(name=Path(path).name, detail=f"request facts: {exc}"[:120]) from None
    try:
        answer = parse_answer(
            raw, facts.service_name or facts.service, facts.media_type, max_bytes=len(raw) + 1
        )
    except RecordError:
        answer = None
    return RecordContents(answer, facts, hashlib.sha256(raw).hexdigest(), _printed_hash(path, name), name)


def _printed_hash(path: Path, name: str) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    text = text.replace("\r", "").replace("\ufffe", "").replace("\x02", "")
    found = [h for n, h in _HASH.findall(re.sub(r"\n(?=[0-9a-f])", "", text)) if n == name]
    return found[-1] if found else ""

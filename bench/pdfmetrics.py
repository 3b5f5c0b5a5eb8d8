"""Helpers for the benchmarks: text of each PDF page by poppler and PDFium, CER, bytes per page."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pypdfium2
from rapidfuzz.distance import Levenshtein


def normalise(text: str) -> str:
    """NFC, whitespace folded: how the corpus's ground truth is compared."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(truth: str, text: str) -> tuple[int, int]:
    """(edit distance, length of truth) after normalisation."""
    t, h = normalise(truth), normalise(text)
    return Levenshtein.distance(t, h), len(t)


def poppler_pages(pdf: Path, count: int) -> list[str]:
    out = []
    for i in range(1, count + 1):
        proc = subprocess.run(
            ["pdftotext", "-f", str(i), "-l", str(i), "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        out.append(proc.stdout)
    return out


def pdfium_pages(pdf: Path) -> list[str]:
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def page_bytes(pdf: Path) -> list[int]:
    """Bytes of the streams each page draws (images, masks, content); shared objects counted once, first use."""
    seen: set[tuple[int, int]] = set()
    sizes = []
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            total = 0
            stack = [page.obj]
            while stack:
                obj = stack.pop()
                if isinstance(obj, (pikepdf.Stream, pikepdf.Dictionary, pikepdf.Array)):
                    if obj.is_indirect:
                        key = obj.objgen
                        if key in seen:
                            continue
                        seen.add(key)
                    if isinstance(obj, pikepdf.Stream):
                        total += len(obj.read_raw_bytes())
                    if isinstance(obj, pikepdf.Array):
                        stack.extend(obj)
                    else:
                        for k, v in obj.items():
                            if k in ("/Parent", "/Font"):
                                continue
                            stack.append(v)
            sizes.append(total)
    return sizes

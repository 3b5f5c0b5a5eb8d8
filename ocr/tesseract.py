"""Tesseract: what is installed, and recognition of one page into a text-only PDF layer."""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass

import pytesseract

from ocr.errors import LanguageMissing, PageFailed, TesseractMissing


@dataclass(frozen=True)
class TesseractInfo:
    path: str
    version: str
    languages: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def tesseract_info() -> TesseractInfo:
    """Probe the Tesseract binary; raise TesseractMissing when it is not usable."""
    exe = shutil.which(pytesseract.pytesseract.tesseract_cmd)
    if exe is None:
        raise TesseractMissing(detail=pytesseract.pytesseract.tesseract_cmd)
    try:
        version = str(pytesseract.get_tesseract_version())
        languages = tuple(sorted(pytesseract.get_languages(config="")))
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError) as exc:
        raise TesseractMissing(detail=str(exc)) from exc
    return TesseractInfo(exe, version, languages)


def check_languages(lang: str) -> None:
    """Raise LanguageMissing unless every language in `lang` ("vie+eng") is installed."""
    installed = set(tesseract_info().languages)
    missing = [code for code in lang.split("+") if code and code not in installed]
    if missing:
        raise LanguageMissing(missing="+".join(missing))


def _run_tsv(image_path: str, *, lang: str, dpi: float, timeout: float, page_no: int, psm: int) -> str:
    exe = pytesseract.pytesseract.tesseract_cmd
    cmd = [exe, image_path, "stdout", "-l", lang, "--dpi", str(round(dpi)), "--psm", str(psm), "tsv"]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise PageFailed(page=page_no, detail=f"timeout after {timeout:.0f} s") from exc
    except OSError as exc:
        raise PageFailed(page=page_no, detail=str(exc)) from exc
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PageFailed(page=page_no, detail=detail[-1] if detail else f"tesseract exit {proc.returncode}")
    out = proc.stdout.decode("utf-8", "replace")
    if not out.startswith("level\t"):  # no TSV at all: Tesseract's 'tsv' config is missing or broken
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PageFailed(page=page_no, detail=detail[-1] if detail else "Tesseract wrote no TSV output")
    return out


def is_noise(text: str, conf: float) -> bool:
    """Marks of a signature, a seal or dirt read as 'words': unsure and with little that is a letter."""
    text = text.strip()
    letters = sum(ch.isalnum() for ch in text)
    if conf < 30 and (letters <= 2 or letters < len(text) / 2):
        return True
    return conf < 10


def recognise(
    image_path: str, *, lang: str, dpi: float, timeout: float, page_no: int, psm: int = 3
) -> tuple[list, float]:
    """Words grouped in lines, in Tesseract's reading order, and the mean word confidence (0-100).

    `image_path` is an image file Tesseract reads directly (a G4 TIFF of the binarised page: no
    re-encoding on our side).
    """
    from ocr.textlayer import Line, Word

    tsv = _run_tsv(image_path, lang=lang, dpi=dpi, timeout=timeout, page_no=page_no, psm=psm)
    lines: dict[tuple[int, int, int], dict] = {}
    confidences = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12:
            continue
        level = int(cols[0])
        key = (int(cols[2]), int(cols[3]), int(cols[4]))
        left, top, width, height = (int(c) for c in cols[6:10])
        if level == 4:
            lines[key] = {"box": (left, top, left + width, top + height), "words": []}
        elif level == 5 and cols[11].strip():
            conf = float(cols[10])
            if conf >= 0:
                confidences.append(conf)
            if is_noise(cols[11], conf):
                continue
            lines.setdefault(key, {"box": (left, top, left + width, top + height), "words": []})
            lines[key]["words"].append(Word(cols[11], left, top, left + width, top + height))
    out = []
    for entry in lines.values():
        words = entry["words"]
        if not words:
            continue
        _, top, _, bottom = entry["box"]
        height = max(bottom - top, 1)
        out.append(Line(tuple(words), baseline=bottom - 0.2 * height, height=0.85 * height))
    mean_conf = sum(confidences) / len(confidences) if confidences else 0.0
    return out, mean_conf


def orientation_osd(image, *, timeout: float = 30.0) -> tuple[int, float] | None:
    """Tesseract's own orientation guess: (clockwise rotation to apply, confidence), or None."""
    try:
        osd = pytesseract.image_to_osd(image, config="--psm 0 -c min_characters_to_try=10", timeout=timeout)
    except (RuntimeError, pytesseract.TesseractError, subprocess.SubprocessError, OSError):
        return None
    rotate = conf = None
    for line in osd.splitlines():
        if line.startswith("Rotate:"):
            rotate = int(line.split(":")[1])
        elif line.startswith("Orientation confidence:"):
            conf = float(line.split(":")[1])
    if rotate is None:
        return None
    return rotate % 360, conf or 0.0

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


def text_layer_pdf(image, *, lang: str, dpi: float, timeout: float, page_no: int) -> bytes:
    """Run Tesseract on a PIL image and return a one-page PDF holding only the invisible text layer."""
    config = f"--dpi {round(dpi)} -c textonly_pdf=1"
    try:
        return pytesseract.image_to_pdf_or_hocr(
            image, lang=lang, extension="pdf", config=config, timeout=timeout
        )
    except RuntimeError as exc:  # pytesseract raises RuntimeError on timeout
        raise PageFailed(page=page_no, detail=f"timeout after {timeout:.0f} s") from exc
    except (pytesseract.TesseractError, subprocess.SubprocessError, OSError) as exc:
        raise PageFailed(page=page_no, detail=str(exc)) from exc

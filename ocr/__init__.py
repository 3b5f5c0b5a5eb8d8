"""OCR and compression: Tesseract text layer over each page image, assembled as PDF/A-2b."""

from ocr.errors import OcrError
from ocr.model import PageSource
from ocr.pipeline import OcrOptions, OcrResult, ocr_to_pdf
from ocr.tesseract import TesseractInfo, tesseract_info

__all__ = [
    "OcrError",
    "OcrOptions",
    "OcrResult",
    "PageSource",
    "TesseractInfo",
    "ocr_to_pdf",
    "tesseract_info",
]

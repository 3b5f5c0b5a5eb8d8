"""Errors raised while recognising text or building the PDF."""

from common.errors import QT_TRANSLATE_NOOP, UserError


class OcrError(UserError):
    """Base of OCR errors."""

    context = "ocr"
    template = QT_TRANSLATE_NOOP("ocr", "Text recognition failed: {detail}")
    exit_code = 4


class TesseractMissing(OcrError):
    template = QT_TRANSLATE_NOOP(
        "ocr",
        "Tesseract OCR is not installed or not found ({detail}). Install it, e.g. 'apt install tesseract-ocr'.",
    )


class LanguageMissing(OcrError):
    template = QT_TRANSLATE_NOOP(
        "ocr",
        "Tesseract has no data for language(s) {missing}. Install them, e.g. 'apt install tesseract-ocr-vie'.",
    )


class PageFailed(OcrError):
    template = QT_TRANSLATE_NOOP("ocr", "Page {page} could not be processed: {detail}")


class NoPages(OcrError):
    template = QT_TRANSLATE_NOOP("ocr", "There are no pages to process.")

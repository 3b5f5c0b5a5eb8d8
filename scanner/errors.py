"""Errors raised while capturing or importing pages."""

from common.errors import QT_TRANSLATE_NOOP, UserError


class ScannerError(UserError):
    """Base of capture errors."""

    context = "scanner"
    template = QT_TRANSLATE_NOOP("scanner", "Capture failed: {detail}")
    exit_code = 3


class UnreadableFile(ScannerError):
    template = QT_TRANSLATE_NOOP(
        "scanner", "Cannot read {name}: the file is damaged or not an image or PDF ({detail})."
    )


class EmptyFile(ScannerError):
    template = QT_TRANSLATE_NOOP("scanner", "{name} is empty (0 bytes): scan or copy it again.")


class TooLarge(ScannerError):
    template = QT_TRANSLATE_NOOP(
        "scanner",
        "{name} is too large ({pixels} megapixels, the limit is {limit}): scan it at a lower resolution.",
    )


class PasswordProtected(ScannerError):
    template = QT_TRANSLATE_NOOP(
        "scanner", "{name} is protected by a password: ask for an unprotected copy or print and scan it."
    )


class UnsupportedFormat(ScannerError):
    template = QT_TRANSLATE_NOOP(
        "scanner", "{name} is not a supported file (PNG, JPEG, TIFF or PDF are accepted)."
    )

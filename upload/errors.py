"""Errors raised while queueing or delivering files. Never carry a secret."""

from common.errors import QT_TRANSLATE_NOOP, UserError


class UploadError(UserError):
    """Base of upload errors."""

    context = "upload"
    template = QT_TRANSLATE_NOOP("upload", "Upload failed: {detail}")
    exit_code = 6


class FileMissing(UploadError):
    template = QT_TRANSLATE_NOOP("upload", "The file {name} to queue does not exist or cannot be read.")


class TargetUnavailable(UploadError):
    template = QT_TRANSLATE_NOOP(
        "upload", "The destination {target} cannot be written ({detail}). Nothing was lost; try again later."
    )

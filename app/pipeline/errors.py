"""What a pipeline step refuses, in the clerk's words."""

from __future__ import annotations

from common.errors import QT_TRANSLATE_NOOP, UserError


class PipelineError(UserError):
    context = "pipeline"
    template = QT_TRANSLATE_NOOP("pipeline", "{detail}")
    exit_code = 8


class NothingToProcess(PipelineError):
    template = QT_TRANSLATE_NOOP("pipeline", "Component {name} has no pages yet: scan or import them first.")


class NotProcessed(PipelineError):
    template = QT_TRANSLATE_NOOP("pipeline", "Component {name} has not been processed (OCR) yet.")


class NotVerified(PipelineError):
    template = QT_TRANSLATE_NOOP(
        "pipeline", "{name} was not queued: its signature check failed ({problems})."
    )


class PageLocked(PipelineError):
    template = QT_TRANSLATE_NOOP(
        "pipeline", "{name} is already signed or sent: its pages cannot be changed any more."
    )

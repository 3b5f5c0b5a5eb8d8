"""The pipeline: each stage of a dossier part's way from scanner to portal, one module a stage, all
working on the workspace. The command line and the window call these; nothing here imports Qt.

capture (files, stacks, a watched folder, a scanner) -> cleanup (each page's facts, previews) ->
pages (a clerk's edits) -> process (OCR into PDF/A; drawings: stitched sheets) -> sign (token,
verify, queue) -> deliver (outbox to target, retention); recovery after a crash; due: what a dossier
lacks and which parts a step is for.
"""

from app.pipeline.capture import (
    StackImport,
    codes_from_file,
    import_into,
    import_stack,
    import_watched,
    saved_scanner,
    scan_into,
    scan_one_page,
    watch_folder,
)
from app.pipeline.cleanup import THUMB_PX, clean_pages, make_thumbnail, thumbnail_path, upright_image
from app.pipeline.deliver import default_upload_folder, mark_sent, portal_target, purge_expired, upload_due
from app.pipeline.due import Checklist, checklist, due_for
from app.pipeline.errors import NothingToProcess, NotProcessed, NotVerified, PageLocked, PipelineError
from app.pipeline.pages import (
    PAGE_EDITS,
    Flagged,
    edit_page,
    flagged_pages,
    mark_reviewed,
    merge_components,
    reorder_pages,
    replace_page,
    split_component,
)
from app.pipeline.process import LOW_CONFIDENCE, process_component
from app.pipeline.recovery import PendingWork, close_interrupted_jobs, pending_work
from app.pipeline.remote import RemoteOutcome, cancel_remote, resume_remote, sign_components_remote
from app.pipeline.sign import SignedPart, queue_file, sign_components

__all__ = [
    "LOW_CONFIDENCE",
    "PAGE_EDITS",
    "THUMB_PX",
    "Checklist",
    "Flagged",
    "NotProcessed",
    "NotVerified",
    "NothingToProcess",
    "PageLocked",
    "PendingWork",
    "PipelineError",
    "RemoteOutcome",
    "SignedPart",
    "StackImport",
    "cancel_remote",
    "checklist",
    "clean_pages",
    "close_interrupted_jobs",
    "codes_from_file",
    "default_upload_folder",
    "due_for",
    "edit_page",
    "flagged_pages",
    "import_into",
    "import_stack",
    "import_watched",
    "make_thumbnail",
    "mark_reviewed",
    "mark_sent",
    "merge_components",
    "pending_work",
    "portal_target",
    "process_component",
    "purge_expired",
    "queue_file",
    "reorder_pages",
    "replace_page",
    "resume_remote",
    "saved_scanner",
    "scan_into",
    "scan_one_page",
    "sign_components",
    "sign_components_remote",
    "split_component",
    "thumbnail_path",
    "upload_due",
    "upright_image",
    "watch_folder",
]

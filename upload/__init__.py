"""Upload: a durable outbox and the targets it delivers to (folder hand-over, central portal)."""

from upload.errors import UploadError
from upload.folder import FolderTarget
from upload.outbox import Outbox, OutboxItem
from upload.runner import UploadSummary, run_upload

__all__ = ["FolderTarget", "Outbox", "OutboxItem", "UploadError", "UploadSummary", "run_upload"]

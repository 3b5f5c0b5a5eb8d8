"""A dossier part's lifecycle, the moves allowed between its states, and the kinds of stored file."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where a dossier part (component) stands. Stored as its value; compares equal to it."""

    EMPTY = "empty"  # no pages (made for a requirement, or its pages moved away)
    CAPTURED = "captured"  # pages scanned or imported; its PDF is still to be made (again)
    PROCESSED = "processed"  # its searchable PDF (or stitched sheet) is made
    SIGNED = "signed"  # signed and verified, not yet in the outbox
    QUEUED = "queued"  # its latest signed file waits in the outbox
    UPLOADED = "uploaded"  # the target confirmed its latest signed file
    PURGED = "purged"  # delivered long enough ago: its local copies were deleted (retention)

    @property
    def editable(self) -> bool:
        """Whether its pages may still change: not once it is signed or sent."""
        return self not in LOCKED

    def may_become(self, new: Status) -> bool:
        return new in TRANSITIONS[self]


# Signed or sent: its pages can no longer be turned, moved, split or deleted.
LOCKED = frozenset({Status.SIGNED, Status.QUEUED, Status.UPLOADED, Status.PURGED})

# Every move the workspace accepts; anything else is a mistake in the code that asks for it.
# - pages added to a part (a new version of it) take it back to captured from any live state;
# - a part whose PDF was made or signed elsewhere can start from it (`outbox add`), so an empty part
#   may become processed or signed;
# - a signed or queued part may be signed again (the official certifies after the citizen);
# - a purged part keeps its rows; nothing moves it again.
_LIVE = (Status.EMPTY, Status.CAPTURED, Status.PROCESSED, Status.SIGNED, Status.QUEUED, Status.UPLOADED)
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.EMPTY: frozenset({Status.EMPTY, Status.CAPTURED, Status.PROCESSED, Status.SIGNED}),
    Status.CAPTURED: frozenset({Status.EMPTY, Status.CAPTURED, Status.PROCESSED, Status.SIGNED}),
    Status.PROCESSED: frozenset({Status.EMPTY, Status.CAPTURED, Status.PROCESSED, Status.SIGNED}),
    Status.SIGNED: frozenset({Status.CAPTURED, Status.SIGNED, Status.QUEUED}),
    Status.QUEUED: frozenset({Status.CAPTURED, Status.SIGNED, Status.QUEUED, Status.UPLOADED}),
    Status.UPLOADED: frozenset({Status.CAPTURED, Status.SIGNED, Status.UPLOADED, Status.PURGED}),
    Status.PURGED: frozenset({Status.PURGED}),
}
assert set(TRANSITIONS) == set(Status) and all(s in TRANSITIONS for s in _LIVE)


class DossierStatus(StrEnum):
    OPEN = "open"
    UPLOADED = "uploaded"  # every part with pages was delivered


class ArtifactKind(StrEnum):
    """What a stored file produced for a part is."""

    OCR_PDF = "ocr_pdf"  # the pages recognised into one searchable PDF/A
    SHEET_PDF = "sheet_pdf"  # a large drawing's scans stitched into one sheet at true size
    SIGNED_PDF = "signed_pdf"  # the PDF as signed (and verified): what the outbox sends
    RECORD_PDF = "record_pdf"  # a data service's answer printed, with the raw answer embedded

    @classmethod
    def made(cls) -> tuple[ArtifactKind, ...]:
        """The kinds a part's own PDF comes as, before it is signed."""
        return (cls.OCR_PDF, cls.SHEET_PDF, cls.RECORD_PDF)


# a part's kind: pages recognised one by one, tiles of one sheet, or a data record (no pages: what a
# data service answered, printed and signed by the official)
KINDS = ("document", "drawing", "record")

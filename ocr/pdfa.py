"""PDF/A-2b essentials: XMP identification and metadata, sRGB output intent."""

from __future__ import annotations

import functools
from datetime import UTC, datetime

import pikepdf
from PIL import ImageCms

PRODUCER = "SoHoa"


@functools.lru_cache(maxsize=1)
def srgb_icc() -> bytes:
    """An sRGB ICC profile, built by LittleCMS (through Pillow)."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def make_pdfa(pdf: pikepdf.Pdf, *, title: str, subject: str = "", keywords: str = "") -> None:
    """Mark `pdf` as PDF/A-2b: XMP metadata matching the document info, and an sRGB output intent."""
    icc = pdf.make_stream(srgb_icc())
    icc.N = 3
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String("sRGB"),
        Info=pikepdf.String("sRGB IEC61966-2.1"),
        DestOutputProfile=icc,
    )
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
    now = datetime.now(UTC).astimezone()
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        meta["dc:title"] = title
        if subject:
            meta["dc:description"] = subject
        if keywords:
            meta["pdf:Keywords"] = keywords
        meta["pdf:Producer"] = PRODUCER
        meta["xmp:CreatorTool"] = PRODUCER
        meta["xmp:CreateDate"] = now.isoformat(timespec="seconds")
        meta["xmp:ModifyDate"] = now.isoformat(timespec="seconds")
        meta["xmp:MetadataDate"] = now.isoformat(timespec="seconds")

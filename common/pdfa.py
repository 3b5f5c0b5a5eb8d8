"""PDF/A-2b and -3b essentials: XMP identification and metadata, sRGB output intent, and a
structural check (associated files included)."""

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


def make_pdfa(pdf: pikepdf.Pdf, *, title: str, subject: str = "", keywords: str = "", part: int = 2) -> None:
    """Mark `pdf` as PDF/A-2b (or -3b: embedded files as associated files): XMP metadata matching
    the document info, and an sRGB output intent."""
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
        meta["pdfaid:part"] = str(part)
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


def check_pdfa(path) -> list[str]:
    """Structural PDF/A-2 and -3 checks that catch what breaks archiving; an empty list means none
    failed.

    Not a full validator: identification and metadata, output intent, encryption, JavaScript,
    embedded files (only in PDF/A-3, each an associated file with its relationship and MIME type),
    font embedding, forbidden filters and image interpolation.
    """
    problems: list[str] = []
    with pikepdf.open(path) as pdf:
        if pdf.is_encrypted:
            problems.append("encrypted")
        if "/ID" not in pdf.trailer:
            problems.append("trailer has no /ID")
        root = pdf.Root
        if "/Metadata" not in root:
            problems.append("no XMP metadata")
        else:
            meta = pdf.open_metadata()
            part = meta.get("pdfaid:part")
            if part not in ("2", "3") or meta.get("pdfaid:conformance") not in ("B", "U"):
                problems.append(
                    f"XMP does not claim PDF/A-2 or -3 B or U ({part}{meta.get('pdfaid:conformance')})"
                )
            title = meta.get("dc:title")
            if not title:
                problems.append("XMP has no dc:title")
            info_title = str(pdf.docinfo.get("/Title", "")) if pdf.docinfo is not None else ""
            if info_title and title and info_title != title:
                problems.append("document info title differs from XMP")
        intents = root.get("/OutputIntents")
        if not intents or not any(i.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in i for i in intents):
            problems.append("no PDF/A output intent with an ICC profile")
        names = root.get("/Names")
        if names is not None and "/JavaScript" in names:
            problems.append("JavaScript")
        if pdf.attachments:
            if "/Metadata" in root and pdf.open_metadata().get("pdfaid:part") == "3":
                problems.extend(_associated_file_problems(pdf))
            else:
                problems.append("embedded files (PDF/A-3 only, as associated files)")
        if "/OpenAction" in root or "/AA" in root:
            problems.append("document actions")
        version = str(root.get("/Version", "")).lstrip("/") or pdf.pdf_version
        if _version_tuple(pdf.pdf_version) > (1, 7) or _version_tuple(version) > (1, 7):
            problems.append(f"PDF version {max(pdf.pdf_version, version)} is above PDF/A-2's 1.7")
        for number, page in enumerate(pdf.pages, start=1):
            problems.extend(f"page {number}: {p}" for p in _page_problems(page))
            problems.extend(f"page {number}: {p}" for p in _annotation_problems(page))
    return problems


RELATIONSHIPS = ("/Source", "/Data", "/Alternative", "/Supplement", "/Unspecified")


def _associated_file_problems(pdf: pikepdf.Pdf) -> list[str]:
    """PDF/A-3: every embedded file is an associated file (in an /AF array), says its relationship
    and its MIME type, and its file specification names it (/F and /UF)."""
    out = []
    associated = {obj.objgen for obj in pdf.Root.get("/AF", [])}
    for page in pdf.pages:
        associated |= {obj.objgen for obj in page.obj.get("/AF", [])}
    for name, spec in pdf.attachments.items():
        obj = spec.obj
        if obj.objgen not in associated:
            out.append(f"embedded file {name}: not referenced from an /AF array")
        if str(obj.get("/AFRelationship", "")) not in RELATIONSHIPS:
            out.append(f"embedded file {name}: no valid /AFRelationship")
        if "/F" not in obj or "/UF" not in obj:
            out.append(f"embedded file {name}: file specification lacks /F or /UF")
        stream = obj.get("/EF", {}).get("/F")
        if stream is None or "/Subtype" not in stream:
            out.append(f"embedded file {name}: no MIME type (/Subtype)")
    return out


def _version_tuple(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return (0,)


_HIDDEN, _PRINT, _NOVIEW = 1 << 1, 1 << 2, 1 << 5


def _annotation_problems(page) -> list[str]:
    """PDF/A-2: annotations print, are not hidden, and (with an area) carry a normal appearance."""
    out = []
    for n, annot in enumerate(page.obj.get("/Annots", []), start=1):
        subtype = str(annot.get("/Subtype", ""))
        if subtype == "/Popup":
            continue
        name = str(annot.get("/T", "")) or f"{subtype} {n}"
        flags = int(annot.get("/F", 0))
        if not flags & _PRINT or flags & (_HIDDEN | _NOVIEW):
            out.append(f"annotation {name}: not printed or hidden (/F {flags})")
        rect = [float(v) for v in annot.get("/Rect", [0, 0, 0, 0])]
        has_area = abs(rect[2] - rect[0]) > 0 and abs(rect[3] - rect[1]) > 0
        ap = annot.get("/AP")
        if has_area and (ap is None or "/N" not in ap):
            out.append(f"annotation {name}: no appearance stream")
        elif ap is not None and "/N" in ap:
            out.extend(f"annotation {name}: {p}" for p in _page_problems(_Form(ap.N)))
    return out


class _Form:
    """An appearance stream seen through the same checks as a page (its resources)."""

    def __init__(self, xobj) -> None:
        self.obj = xobj


def _page_problems(page) -> list[str]:
    out = []
    resources = page.obj.get("/Resources", pikepdf.Dictionary())
    for name, font in dict(resources.get("/Font", {})).items():
        fonts = [font]
        if font.get("/Subtype") == "/Type0":
            fonts = list(font.get("/DescendantFonts", []))
        for f in fonts:
            desc = f.get("/FontDescriptor")
            if desc is None or not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                out.append(f"font {name} not embedded")
    for name, xobj in dict(resources.get("/XObject", {})).items():
        filters = xobj.get("/Filter")
        filters = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
        if pikepdf.Name.LZWDecode in filters:
            out.append(f"{name} uses LZW")
        if xobj.get("/Interpolate") is True:
            out.append(f"{name} asks for interpolation")
    return out

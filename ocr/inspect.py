"""What a PDF page already holds: no text, only an invisible OCR layer, or visible text."""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

NONE, INVISIBLE, VISIBLE = "none", "invisible", "visible"
MODES = ("skip", "redo", "force")


def text_states(path: str) -> list[str]:
    """For each page of `path`: "none", "invisible" (an earlier OCR layer) or "visible"."""
    doc = pdfium.PdfDocument(path)
    try:
        states = []
        for index in range(len(doc)):
            page = doc[index]
            state = NONE
            for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_TEXT,), max_depth=4):
                if pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE:
                    state = INVISIBLE
                else:
                    state = VISIBLE
                    break
            states.append(state)
        return states
    finally:
        doc.close()


def plan(state: str, mode: str) -> str:
    """What to do with a page: "ocr" (from its scan image), "render" (rasterise, then OCR) or "keep"."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    if state == NONE:
        return "ocr"
    if mode == "skip":
        return "keep"
    if mode == "redo":
        return "keep" if state == VISIBLE else "ocr"
    return "render" if state == VISIBLE else "ocr"

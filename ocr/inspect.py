"""What a PDF page already holds: no text, only an invisible OCR layer, or visible text.

Reads only content streams (with qpdf, through pikepdf): a scanned page's image data is never
loaded, so inspecting a long scanned PDF costs almost no memory.
"""

from __future__ import annotations

import pikepdf

NONE, INVISIBLE, VISIBLE = "none", "invisible", "visible"
MODES = ("skip", "redo", "force")
_SHOW = {"Tj", "TJ", "'", '"'}
_OPERATORS = "q Q Tr Tj TJ ' \" Do"


def _state_of(container, resources, depth: int = 0) -> str:
    state = NONE
    render_mode, stack = 0, []
    try:
        instructions = pikepdf.parse_content_stream(container, _OPERATORS)
    except pikepdf.PdfError:
        return NONE
    for operands, operator in instructions:
        op = str(operator)
        if op == "q":
            stack.append(render_mode)
        elif op == "Q":
            render_mode = stack.pop() if stack else 0
        elif op == "Tr" and operands:
            render_mode = int(operands[0])
        elif op in _SHOW:
            if render_mode == 3:
                state = INVISIBLE
            else:
                return VISIBLE
        elif op == "Do" and depth < 4 and operands:
            xobjects = resources.get("/XObject", {}) if resources is not None else {}
            xobj = xobjects.get(operands[0])
            if xobj is not None and xobj.get("/Subtype") == "/Form":
                inner = _state_of(xobj, xobj.get("/Resources", resources), depth + 1)
                if inner == VISIBLE:
                    return VISIBLE
                if inner == INVISIBLE:
                    state = INVISIBLE
    return state


def text_states(path: str) -> list[str]:
    """For each page of `path`: "none", "invisible" (an earlier OCR layer) or "visible"."""
    with pikepdf.open(path) as pdf:
        return [_state_of(page, page.obj.get("/Resources")) for page in pdf.pages]


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

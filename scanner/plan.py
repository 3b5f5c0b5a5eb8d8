"""Which parts of a large sheet to put on a small scanner's glass, in what order, with real
overlaps: pure geometry, no image work (scanner.stitch puts the scans back together)."""

from __future__ import annotations

from dataclasses import dataclass

from common.errors import QT_TRANSLATE_NOOP
from scanner.errors import ScannerError


class PlanError(ScannerError):
    template = QT_TRANSLATE_NOOP("scanner", "The tiles cannot be put together: {detail}")


SHEETS_MM = {"A0": (1189, 841), "A1": (841, 594), "A2": (594, 420), "A3": (420, 297), "A4": (297, 210)}


@dataclass(frozen=True)
class TilePlan:
    rows: int
    cols: int
    tile_mm: tuple[float, float]  # the bed's width and height as used (landscape or portrait)
    overlap_mm: tuple[float, float]  # between columns, between rows
    tiles: list[
        tuple[float, float, float, float]
    ]  # per tile, row by row: left, top, right, bottom on the sheet (mm)

    def as_dict(self) -> dict:
        return {
            "grid": f"{self.rows}x{self.cols}",
            "tile_mm": list(self.tile_mm),
            "overlap_mm": [round(v, 1) for v in self.overlap_mm],
            "tiles": [[round(v, 1) for v in t] for t in self.tiles],
        }


def plan_tiles(
    sheet: str | tuple[float, float], bed: str | tuple[float, float] = "A3", *, min_overlap_mm: float = 20.0
) -> TilePlan:
    """The fewest scans that cover `sheet` (landscape, mm or a name) on a `bed` (mm or a name) with
    at least `min_overlap_mm` shared between neighbours (an A1 sheet is exactly four A3 sheets: a
    2x2 grid shares nothing, so it takes 2x3). Either bed orientation is tried."""
    sw, sh = SHEETS_MM[sheet] if isinstance(sheet, str) else sheet
    sw, sh = max(sw, sh), min(sw, sh)
    bw, bh = SHEETS_MM[bed] if isinstance(bed, str) else bed
    best = None
    for tw, th in ((max(bw, bh), min(bw, bh)), (min(bw, bh), max(bw, bh))):
        for cols in range(1, 12):
            for rows in range(1, 12):
                if (cols > 1 and tw >= sw) or (rows > 1 and th >= sh):
                    continue
                ox = (cols * tw - sw) / (cols - 1) if cols > 1 else float("inf") if tw >= sw else -1
                oy = (rows * th - sh) / (rows - 1) if rows > 1 else float("inf") if th >= sh else -1
                if min(ox, oy) < min_overlap_mm:
                    continue
                key = (rows * cols, -min(ox, oy))
                if best is None or key < best[0]:
                    best = (key, rows, cols, tw, th, ox, oy)
                break
    if best is None:
        raise PlanError(
            detail=f"no grid of {bed} scans covers the sheet with {min_overlap_mm:.0f} mm overlaps"
        )
    _, rows, cols, tw, th, ox, oy = best
    step_x = (sw - tw) / (cols - 1) if cols > 1 else 0.0
    step_y = (sh - th) / (rows - 1) if rows > 1 else 0.0
    tiles = [
        (c * step_x, r * step_y, min(sw, c * step_x + tw), min(sh, r * step_y + th))
        for r in range(rows)
        for c in range(cols)
    ]
    finite = (ox if cols > 1 else 0.0, oy if rows > 1 else 0.0)
    return TilePlan(rows, cols, (tw, th), finite, tiles)

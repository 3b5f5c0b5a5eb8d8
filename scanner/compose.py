"""Placed tiles made into one sheet, a strip at a time.

Each tile's paper is made white first (the scanner lid's shadow along an edge, uneven light and the
paper's tint go), the darkness of the line work is matched between tiles over their overlaps, and
every point of the sheet is taken from one tile: the one it lies deepest inside, with the seam
between two tiles moved off the drawing's lines into empty paper where the overlap allows. The full
sheet is never held in memory: `strips` yields it in bands of rows, and the tiles are the only
full-resolution images kept.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from common.progress import Progress, check_cancel, report
from scanner.stitch import WORK_DPI, StitchResult

PAPER_MM = 8.0  # marks narrower than this are drawing, wider are light and shadow
EDGE_MM = 4.0  # seams keep at least this far from a tile's edge (the lid's shadow, the bed's rim)
SHADOW_FLOOR = 0.5  # the paper under a shadow keeps at least this share of its brightness
WHITE_POINT = 235  # after whitening, paper noise above this is paper


@dataclass
class SheetTile:
    """What building the sheet needs of one scan."""

    gray: np.ndarray  # full resolution, paper white
    colour: np.ndarray | None  # RGB at the working resolution, paper white; None: nothing coloured


def _paper(channel: np.ndarray, dpi: float, factor: int = 8) -> np.ndarray:
    """The paper's brightness under the drawing, at 1/factor scale: the drawing's marks closed over
    (a closing keeps a shadow's ramp and the bed's edge as they are), then smoothed."""
    h, w = channel.shape
    small = cv2.resize(channel, (max(1, w // factor), max(1, h // factor)), interpolation=cv2.INTER_AREA)
    k = max(3, int(PAPER_MM / 25.4 * dpi / factor) | 1)
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    # a lid's shadow darkens the paper by half at most: anything darker and wider than the closing
    # is drawing (a filled wall, a solid title bar), not light, and must stay dark
    level = float(np.percentile(closed, 75))
    np.maximum(closed, np.uint8(min(255.0, SHADOW_FLOOR * level)), out=closed)
    return cv2.GaussianBlur(closed, (0, 0), max(1.0, k / 6))


def _divide(channel: np.ndarray, paper_small: np.ndarray, *, in_place: bool = False) -> np.ndarray:
    h, w = channel.shape
    paper = cv2.resize(np.maximum(paper_small, 1), (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(channel, paper, scale=255, dst=channel if in_place else None)


def whiten(gray: np.ndarray, dpi: float, *, in_place: bool = False) -> np.ndarray:
    """The scan with its paper at 255: shadows along the lid's edge and uneven light divided out
    (in `gray` itself when `in_place`)."""
    return _divide(gray, _paper(gray, dpi), in_place=in_place)


def colour_at(image: np.ndarray, dpi: float) -> np.ndarray | None:
    """A colour scan at the working resolution with each channel's paper made white (no tint), or
    None when nothing on it is clearly coloured (a gray or black-and-white drawing)."""
    if image.ndim != 3:
        return None
    scale = min(1.0, WORK_DPI / dpi)
    small = cv2.resize(image[:, :, :3], None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    work_dpi = dpi * scale
    raw_chroma = small.max(axis=2).astype(np.int16) - small.min(axis=2)
    if int((raw_chroma > 45).sum()) < 4.0 * (work_dpi / 25.4) ** 2:  # not even a tinted mark: gray
        return None
    out = np.empty_like(small)
    for c in range(3):
        out[:, :, c] = _divide(small[:, :, c], _paper(small[:, :, c], work_dpi, factor=2))
    chroma = out.max(axis=2).astype(np.int16) - out.min(axis=2)
    coloured = (chroma > 60) & (out.min(axis=2) < 200)
    coloured = cv2.morphologyEx(coloured.astype(np.uint8), cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    # a few square millimetres of clear colour: a stamp, a signature, a mark-up
    if coloured.sum() < 4.0 * (work_dpi / 25.4) ** 2:
        return None
    return out


def prepare_tile(image: np.ndarray, dpi: float) -> SheetTile:
    """A scan (gray or RGB) made ready for placing and compositing; the input can be freed after."""
    colour = colour_at(image, dpi)
    if image.ndim == 2:
        return SheetTile(whiten(image, dpi), colour)
    gray = cv2.cvtColor(image[:, :, :3], cv2.COLOR_RGB2GRAY)
    return SheetTile(whiten(gray, dpi, in_place=True), colour)


# -- matching the line work's darkness -------------------------------------------------------------
def tone_curves(tiles: list[SheetTile], result: StitchResult, pairs) -> list[np.ndarray]:
    """A look-up table per tile that makes its line work as dark as its neighbours' (scanners differ
    in gamma) and its paper clean white. `pairs` maps (a, b) to corresponding points (pa, pb)."""
    n = len(tiles)
    rows, rhs = [], []
    half = 6
    for (a, b), (pa, pb) in pairs.items():
        if result.transforms[a] is None or result.transforms[b] is None:
            continue
        la, lb = [], []
        for p, q in zip(pa, pb, strict=True):
            wa = cv2.getRectSubPix(tiles[a].gray, (2 * half + 1, 2 * half + 1), (float(p[0]), float(p[1])))
            wb = cv2.getRectSubPix(tiles[b].gray, (2 * half + 1, 2 * half + 1), (float(q[0]), float(q[1])))
            both = (wa < 200) & (wb < 200) & (wa > 8) & (wb > 8)
            la.append(-np.log(wa[both] / 255.0))
            lb.append(-np.log(wb[both] / 255.0))
        if not la:
            continue
        la_, lb_ = np.concatenate(la), np.concatenate(lb)
        if len(la_) < 50:
            continue
        ratio = float(np.median(lb_ / np.maximum(la_, 1e-3)))
        if not 0.5 < ratio < 2.0:
            continue
        row = np.zeros(n)
        row[a], row[b] = 1.0, -1.0  # log gamma_a - log gamma_b = log(L_b / L_a)
        rows.append(row)
        rhs.append(np.log(ratio))
    log_gamma = np.zeros(n)
    if rows:
        rows.append(np.ones(n))  # the tiles' mean gamma stays 1
        rhs.append(0.0)
        log_gamma, *_ = np.linalg.lstsq(np.array(rows), np.array(rhs), rcond=None)
    v = np.arange(256, dtype=np.float64) / 255.0
    luts = []
    for g in np.exp(np.clip(log_gamma, -0.5, 0.5)):
        dark = np.power(np.maximum(v, 1e-6), g) * 255.0  # -log(v') = g * -log(v)
        levels = np.clip(dark * 255.0 / WHITE_POINT, 0, 255)
        luts.append(levels.astype(np.uint8))
    return luts


# -- which tile each point of the sheet comes from -------------------------------------------------
def _edge_distance(shape: tuple[int, int], scale: float) -> np.ndarray:
    """Per pixel of a tile at working resolution, how deep inside the tile it lies: the product of
    its distances to the nearest side and to the nearest top or bottom edge, square-rooted (so two
    tiles side by side meet on a straight line half-way across their overlap, not on diagonals)."""
    h, w = max(1, round(shape[0] * scale)), max(1, round(shape[1] * scale))
    ys = np.minimum(np.arange(h), h - 1 - np.arange(h)).astype(np.float32) + 1.0
    xs = np.minimum(np.arange(w), w - 1 - np.arange(w)).astype(np.float32) + 1.0
    return np.sqrt(ys[:, None] * xs[None, :])


def _edge_margin(shape: tuple[int, int], scale: float, margin: float) -> np.ndarray:
    """1 where a working-resolution pixel of the tile is at least `margin` from every edge."""
    h, w = max(1, round(shape[0] * scale)), max(1, round(shape[1] * scale))
    out = np.zeros((h, w), np.uint8)
    m = int(np.ceil(margin))
    out[m : h - m, m : w - m] = 1
    return out


def _small_transform(t: np.ndarray, scale: float) -> np.ndarray:
    """A tile -> sheet transform at full resolution, as working resolution -> working resolution."""
    s = t.copy()
    s[:, 2] *= scale
    return s


@dataclass
class _Footprint:
    """A tile's depth map and inner area on the working-resolution sheet, kept to its bounding box."""

    x0: int
    y0: int
    depth: np.ndarray  # float32
    inner: np.ndarray  # bool: at least the edge margin inside the tile

    def window(self, x0: int, y0: int, x1: int, y1: int, which: str) -> np.ndarray:
        """This footprint's map over a sheet window (zeros outside the tile)."""
        src = self.depth if which == "depth" else self.inner
        out = np.zeros((y1 - y0, x1 - x0), src.dtype)
        h, w = src.shape
        ax0, ay0 = max(x0, self.x0), max(y0, self.y0)
        ax1, ay1 = min(x1, self.x0 + w), min(y1, self.y0 + h)
        if ax0 < ax1 and ay0 < ay1:
            out[ay0 - y0 : ay1 - y0, ax0 - x0 : ax1 - x0] = src[
                ay0 - self.y0 : ay1 - self.y0, ax0 - self.x0 : ax1 - self.x0
            ]
        return out

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.x0, self.y0, self.x0 + self.depth.shape[1], self.y0 + self.depth.shape[0]


def seam_labels(
    tiles: list[SheetTile], result: StitchResult, *, cancel: threading.Event | None = None
) -> tuple[np.ndarray, float]:
    """The tile each point of the sheet is taken from, at the working resolution (255: none), and
    that resolution's scale. Each point first goes to the tile it lies deepest inside; then, over
    each overlap, the seam between the two tiles is moved to the path through the least ink."""
    scale = min(1.0, WORK_DPI / result.dpi)
    w, h = result.size
    size = (max(1, int(np.ceil(w * scale))), max(1, int(np.ceil(h * scale))))
    labels = np.full((size[1], size[0]), 255, np.uint8)
    best = np.zeros((size[1], size[0]), np.float32)
    ink = np.zeros((size[1], size[0]), np.uint8)
    prints: dict[int, _Footprint] = {}
    margin = EDGE_MM / 25.4 * result.dpi * scale
    centres = {}
    for i, (tile, t) in enumerate(zip(tiles, result.transforms, strict=True)):
        check_cancel(cancel)
        if t is None:
            continue
        th, tw = tile.gray.shape
        centres[i] = t[:, :2] @ np.array([tw / 2, th / 2]) + t[:, 2]
        ts = _small_transform(t, scale)
        corners = cv2.transform(np.float32([[0, 0], [tw, 0], [tw, th], [0, th]])[None] * scale, ts)[0]
        x0, y0 = np.clip(np.floor(corners.min(axis=0)).astype(int), 0, None)
        x1 = min(size[0], int(np.ceil(corners[:, 0].max())) + 1)
        y1 = min(size[1], int(np.ceil(corners[:, 1].max())) + 1)
        local = ts.copy()
        local[:, 2] -= (x0, y0)
        box = (x1 - x0, y1 - y0)
        d = cv2.warpAffine(
            _edge_distance(tile.gray.shape, scale), local, box, flags=cv2.INTER_LINEAR, borderValue=0
        )
        inner = (
            cv2.warpAffine(_edge_margin(tile.gray.shape, scale, margin), local, box, flags=cv2.INTER_NEAREST)
            > 0
        )
        prints[i] = _Footprint(int(x0), int(y0), d, inner)
        view_best = best[y0:y1, x0:x1]
        better = d > view_best
        labels[y0:y1, x0:x1][better] = i
        view_best[better] = d[better]
        small = cv2.resize(tile.gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        dark = cv2.warpAffine(255 - small, local, box, flags=cv2.INTER_LINEAR, borderValue=0)
        np.maximum(ink[y0:y1, x0:x1], dark, out=ink[y0:y1, x0:x1])
    del best
    ink = cv2.GaussianBlur(ink, (0, 0), 1.0)
    for a, b in _neighbours(labels, prints):
        check_cancel(cancel)
        dx, dy = np.abs(centres[a] - centres[b])
        _move_seam(labels, prints[a], prints[b], ink, a, b, across_x=dx >= dy)
    return labels, scale


def _overlap_box(fa: _Footprint, fb: _Footprint) -> tuple[int, int, int, int] | None:
    ax0, ay0, ax1, ay1 = fa.box
    bx0, by0, bx1, by1 = fb.box
    x0, y0, x1, y1 = max(ax0, bx0), max(ay0, by0), min(ax1, bx1), min(ay1, by1)
    return (x0, y0, x1, y1) if x0 < x1 and y0 < y1 else None


def _neighbours(labels: np.ndarray, prints: dict[int, _Footprint]) -> list[tuple[int, int]]:
    """Pairs of tiles whose labelled areas touch, widest shared overlap first."""
    pairs = set()
    for da, db in ((labels[:, :-1], labels[:, 1:]), (labels[:-1, :], labels[1:, :])):
        diff = (da != db) & (da != 255) & (db != 255)
        for a, b in set(zip(da[diff].tolist(), db[diff].tolist(), strict=True)):
            pairs.add((min(a, b), max(a, b)))
    shared = {}
    for a, b in pairs:
        box = _overlap_box(prints[a], prints[b])
        if box is not None:
            shared[(a, b)] = int((prints[a].window(*box, "inner") & prints[b].window(*box, "inner")).sum())
    return sorted(shared, key=lambda p: -shared[p])


def _move_seam(labels, fa: _Footprint, fb: _Footprint, ink, a: int, b: int, *, across_x: bool) -> None:
    """Re-cut the seam between tiles a and b inside their overlap along the path of least ink (a
    little pull towards the middle keeps it off the tiles' edges when the paper is empty anyway).
    `across_x`: the tiles lie side by side, so the seam runs top to bottom."""
    box = _overlap_box(fa, fb)
    if box is None:
        return
    bx0, by0, bx1, by1 = box
    view = labels[by0:by1, bx0:bx1]
    both = fa.window(*box, "inner") & fb.window(*box, "inner") & ((view == a) | (view == b))
    if both.sum() < 16:
        return
    ys, xs = np.nonzero(both)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    region = both[y0:y1, x0:x1]
    da = fa.window(*box, "depth")[y0:y1, x0:x1]
    db = fb.window(*box, "depth")[y0:y1, x0:x1]
    cost = ink[by0 + y0 : by0 + y1, bx0 + x0 : bx0 + x1].astype(np.float32) + 0.5 * np.abs(da - db)
    vertical = across_x
    if not vertical:
        region, da, db, cost = region.T, da.T, db.T, cost.T
    cost = np.where(region, cost, np.inf).astype(np.float64)
    rows, cols = cost.shape
    acc = np.empty_like(cost)
    acc[0] = cost[0]
    back = np.zeros((rows, cols), np.int8)
    shifted = np.full((2, cols + 2), np.inf)  # prev with an infinite border, read at three offsets
    best = np.empty(cols)
    for r in range(1, rows):
        shifted[0, 1:-1] = acc[r - 1]
        left, mid, right = shifted[0, :-2], shifted[0, 1:-1], shifted[0, 2:]
        np.minimum(left, mid, out=best)
        np.minimum(best, right, out=best)
        step = back[r]
        step[left == best] = -1
        step[right == best] = 1
        step[mid == best] = 0
        if np.isinf(best).all():  # the overlap broke off: start again on this row
            best.fill(0.0)
            step.fill(0)
        np.add(cost[r], best, out=acc[r])
    path = np.empty(rows, np.int64)
    path[-1] = int(np.argmin(acc[-1]))
    for r in range(rows - 1, 0, -1):
        path[r - 1] = int(np.clip(path[r] + back[r, path[r]], 0, cols - 1))
    # which tile lies on the low side of the path: the one deeper there
    low_is_a = (
        float(np.nanmean(np.where(region, da - db, np.nan)[:, : max(1, cols // 4)])) > 0 if cols > 1 else True
    )
    low_side = np.arange(cols)[None, :] < path[:, None]
    pick = np.where(low_side == low_is_a, a, b).astype(np.uint8)
    if not vertical:
        pick, region = pick.T, region.T
    target = view[y0:y1, x0:x1]
    target[region] = pick[region]


# -- the sheet, a band of rows at a time ------------------------------------------------------------
def render(
    tiles: list[SheetTile],
    result: StitchResult,
    labels: np.ndarray,
    label_scale: float,
    box: tuple[int, int, int, int],
    luts: list[np.ndarray] | None = None,
) -> np.ndarray:
    """One window (left, top, right, bottom) of the gray sheet, each point from its labelled tile."""
    x0, y0, x1, y1 = box
    lab_h, lab_w = labels.shape
    row_index = np.minimum((np.arange(y0, y1) * label_scale).astype(np.int64), lab_h - 1)
    c0_lab = min(lab_w - 1, int(x0 * label_scale))
    c1_lab = min(lab_w, int(np.ceil(x1 * label_scale)) + 1)
    first = int(row_index[0])
    lab_rows = labels[first : int(row_index[-1]) + 1, c0_lab:c1_lab]  # the labels under this window
    # nearest label per sheet pixel: widen the few label rows first, then repeat whole rows
    col_index = np.minimum((np.arange(x0, x1) * label_scale).astype(np.int64), lab_w - 1) - c0_lab
    lab = lab_rows[:, col_index][row_index - first]
    out = np.full((y1 - y0, x1 - x0), 255, np.uint8)
    present = np.flatnonzero(np.bincount(lab_rows.ravel(), minlength=256)[:255])
    for i in present:
        if result.transforms[i] is None:
            continue
        # the tile's part of this window, found on the labels (small), then in sheet pixels
        rows_i = np.flatnonzero((lab_rows == i).any(axis=1))
        cols_lab = np.flatnonzero((lab_rows == i).any(axis=0))
        local_rows = row_index - first  # label row of each sheet row of the window, ascending
        r0 = int(np.searchsorted(local_rows, rows_i[0], side="left"))
        r1 = int(np.searchsorted(local_rows, rows_i[-1], side="right"))
        c0 = max(0, int(np.floor((cols_lab[0] + c0_lab) / label_scale)) - x0 - 1)
        c1 = min(x1 - x0, int(np.ceil((cols_lab[-1] + c0_lab + 1) / label_scale)) - x0 + 1)
        if c1 <= c0:
            continue
        t = result.transforms[i].copy()
        t[0, 2] -= x0 + c0
        t[1, 2] -= y0 + r0
        part = cv2.warpAffine(tiles[i].gray, t, (c1 - c0, r1 - r0), flags=cv2.INTER_LINEAR, borderValue=255)
        if luts is not None:
            cv2.LUT(part, luts[i], dst=part)
        np.copyto(out[r0:r1, c0:c1], part, where=lab[r0:r1, c0:c1] == i)
    return out


def strips(
    tiles: list[SheetTile],
    result: StitchResult,
    labels: np.ndarray,
    label_scale: float,
    luts: list[np.ndarray] | None = None,
    *,
    rows: int = 512,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield (top row, band of the gray sheet) from top to bottom."""
    w, h = result.size
    for y0 in range(0, h, rows):
        check_cancel(cancel)
        y1 = min(h, y0 + rows)
        band = render(tiles, result, labels, label_scale, (0, y0, w, y1), luts)
        report(progress, y1, h)
        yield y0, band


def colour_sheet(tiles: list[SheetTile], result: StitchResult, labels: np.ndarray, label_scale: float):
    """The sheet in colour at the working resolution (paper white), or None when no tile has colour."""
    if all(t.colour is None for t in tiles):
        return None
    lab_h, lab_w = labels.shape
    out = np.full((lab_h, lab_w, 3), 255, np.uint8)
    for i, (tile, t) in enumerate(zip(tiles, result.transforms, strict=True)):
        if t is None:
            continue
        mine = labels == i
        if not mine.any():
            continue
        if tile.colour is not None:
            src = tile.colour
        else:
            src = cv2.cvtColor(
                cv2.resize(tile.gray, None, fx=label_scale, fy=label_scale, interpolation=cv2.INTER_AREA),
                cv2.COLOR_GRAY2RGB,
            )
        ts = _small_transform(t, label_scale)  # same scale for the small copies: same turn, scaled shift
        warped = cv2.warpAffine(src, ts, (lab_w, lab_h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
        out[mine] = warped[mine]
    return out

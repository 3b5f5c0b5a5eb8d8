"""Large drawings scanned as overlapping tiles on a small flatbed, placed back on one sheet.

Flat scans: each tile is a similarity transform of the sheet (rotation, shift, a tiny scale).
Pairs of tiles are matched only where they can overlap (SIFT at a working resolution, RANSAC, then
refined at full resolution inside the overlap), and one least-squares solve places every tile;
pairs that disagree with the rest (repeated symbols make confident false matches) are dropped.
A seam whose overlap cannot fix the alignment (blank paper, lines along the seam) is reported
as unconfirmed with its tiles, never guessed silently.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import cv2
import numpy as np

from common.errors import QT_TRANSLATE_NOOP
from common.imageops import peak_offset
from common.progress import Progress, check_cancel, report
from scanner.errors import ScannerError
from scanner.match import (
    MIN_INLIERS,
    WORK_DPI,
    TileFeatures,
    best_hypothesis,
    edge_hypothesis,
    gray,
    match,
    patch_correspondences,
    spread_ok,
    tile_features,
)

log = logging.getLogger(__name__)

WORKERS = max(1, min(4, os.cpu_count() or 1))
CONFIRM_PATCHES = 6  # patches that agree before a seam counts as confirmed by content
CONFIRM_SPREAD_MM = 8.0  # inliers must spread at least this far across and along the seam
MAX_RESIDUAL_PX = 1.0  # a confirmed seam agrees with the solution to this, p95, at full resolution


class StitchError(ScannerError):
    template = QT_TRANSLATE_NOOP("scanner", "The tiles cannot be put together: {detail}")


@dataclass
class Seam:
    a: int
    b: int
    inliers: int
    residual_px: float = float("nan")
    confirmed: bool = False
    reason: str = ""
    overlap_mm: float | None = None  # the overlap's width across the seam, as placed
    ink_pct: float | None = None  # share of the overlap that is ink (line work, text)

    def as_dict(self) -> dict:
        return {
            "tiles": [self.a, self.b],
            "inliers": self.inliers,
            "residual_px": None if np.isnan(self.residual_px) else round(float(self.residual_px), 3),
            "confirmed": self.confirmed,
            "reason": self.reason,
            "overlap_mm": None if self.overlap_mm is None else round(self.overlap_mm, 1),
            "ink_pct": None if self.ink_pct is None else round(self.ink_pct, 3),
        }


@dataclass
class StitchResult:
    transforms: list[np.ndarray | None]  # per tile: 2x3 tile -> sheet at full resolution, None if unplaced
    seams: list[Seam]
    size: tuple[int, int]  # sheet width, height in pixels
    dpi: float
    offsets: tuple[float, float] = (0.0, 0.0)
    rescan: list[int] = field(default_factory=list)
    # per confirmed or trusted pair (a, b): matched points in tile a and in tile b (full resolution)
    pairs: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)
    tile_sizes: list[tuple[int, int]] = field(default_factory=list)  # per tile: width, height in pixels
    review: list[tuple[int, int]] = field(default_factory=list)  # seams the model does not explain

    @property
    def verdict(self) -> str:
        """ "ok"; "needs_rescan" (tiles no seam pins: scan them again); "needs_review" (every tile
        pinned, but a seam's content disagrees: warped paper, which no rescan fixes)."""
        if self.rescan:
            return "needs_rescan"
        return "needs_review" if self.review else "ok"

    def as_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "rescan_tiles": self.rescan,
            "review_seams": [list(k) for k in self.review],
            "sheet_px": list(self.size),
            "dpi": self.dpi,
            "tiles": [
                {
                    "index": i,
                    "placed": t is not None,
                    "matrix": None if t is None else np.round(t, 5).tolist(),
                    **({"size": list(self.tile_sizes[i])} if i < len(self.tile_sizes) else {}),
                }
                for i, t in enumerate(self.transforms)
            ],
            "seams": [s.as_dict() for s in self.seams],
        }


def _candidate_pairs(n: int, grid: tuple[int, int] | None) -> list[tuple[int, int]]:
    if grid is None:
        return list(itertools.combinations(range(n), 2))
    rows, cols = grid
    pairs = []
    for r, c in itertools.product(range(rows), range(cols)):
        i = r * cols + c
        if i >= n:
            continue
        for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
            rr, cc = r + dr, c + dc
            if 0 <= rr < rows and 0 <= cc < cols and rr * cols + cc < n:
                pairs.append((i, rr * cols + cc))
    return pairs


INK_PCT = 0.05  # an overlap with less ink than this (% of its area) holds nothing to match


def _overlap_ink(small_a, small_b, t_a, t_b, scale: float, dpi: float) -> tuple[float, float]:
    """The overlap of two placed tiles (working resolution): its width across the seam in mm and
    the share of it that is ink, as tile a saw it."""
    ha, wa = small_a.shape
    hb, wb = small_b.shape
    a3, b3 = np.vstack([t_a, [0, 0, 1]]), np.vstack([t_b, [0, 0, 1]])
    a_to_b = np.linalg.inv(b3) @ a3  # full-resolution tile a -> tile b
    m = a_to_b[:2].copy()
    m[:, 2] *= scale
    inside = cv2.warpAffine(np.full((hb, wb), 255, np.uint8), cv2.invertAffineTransform(m), (wa, ha)) > 0
    area = int(inside.sum())
    if area == 0:
        return 0.0, 0.0
    ys, xs = np.nonzero(inside)
    across = min(int(xs.max() - xs.min()), int(ys.max() - ys.min())) + 1
    ink = float((small_a[inside] < 128).mean()) * 100
    return across / (dpi * scale) * 25.4, ink


def _side(a: int, b: int, grid: tuple[int, int] | None) -> str | None:
    """Where tile b lies from tile a in the scan grid, when they share an edge."""
    if grid is None:
        return None
    cols = grid[1]
    if b == a + 1 and a // cols == b // cols:
        return "right"
    if b == a + cols:
        return "below"
    return None


def _solve(n: int, pairs: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]], anchor: int):
    """Similarity per tile (tile -> sheet) from all correspondences by linear least squares."""
    rows, rhs = [], []
    index = {}
    free = [i for i in range(n) if i != anchor]
    for k, i in enumerate(free):
        index[i] = 4 * k
    nvar = 4 * len(free)

    def coeffs(i, p):
        """T_i(p) = [a -b; b a] p + t as a linear function: (x-row, y-row, constant)."""
        x, y = float(p[0]), float(p[1])
        rx, ry = np.zeros(nvar), np.zeros(nvar)
        if i == anchor:
            return rx, ry, np.array([x, y])
        j = index[i]
        rx[j : j + 4] = [x, -y, 1, 0]
        ry[j : j + 4] = [y, x, 0, 1]
        return rx, ry, np.zeros(2)

    for (a, b), (pa, pb) in pairs.items():
        step = max(1, len(pa) // 150)
        for p, q in zip(pa[::step], pb[::step], strict=True):
            ax, ay, ac = coeffs(a, p)
            bx, by, bc = coeffs(b, q)
            rows.append(ax - bx)
            rhs.append(bc[0] - ac[0])
            rows.append(ay - by)
            rhs.append(bc[1] - ac[1])
    if not rows:
        return None
    sol, *_ = np.linalg.lstsq(np.array(rows), np.array(rhs), rcond=None)
    out = []
    for i in range(n):
        if i == anchor:
            out.append(np.array([[1.0, 0, 0], [0, 1.0, 0]]))
        else:
            a, b, tx, ty = sol[index[i] : index[i] + 4]
            out.append(np.array([[a, -b, tx], [b, a, ty]]))
    return out


def _components(n: int, edges) -> list[set[int]]:
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    groups: dict[int, set[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), set()).add(i)
    return sorted(groups.values(), key=len, reverse=True)


def _residuals(t_a, t_b, pa, pb) -> np.ndarray:
    return np.linalg.norm(cv2.transform(pa[None], t_a)[0] - cv2.transform(pb[None], t_b)[0], axis=1)


def place_tiles(  # noqa: C901 (one solve in stages that share state: match, solve, place, check)
    tiles: list[np.ndarray],
    dpi: float,
    *,
    grid: tuple[int, int] | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    features: list[TileFeatures] | None = None,
) -> StitchResult:
    """Find where every tile goes on the sheet. Tiles in any order; `grid` (rows, cols, scan order
    row by row) narrows which pairs are tried, and places tiles whose overlaps hold nothing to
    match (blank paper) at their grid position, reported for rescanning. `features`: from
    `tile_features`, when the caller computed them already (while loading the next tile)."""
    n = len(tiles)
    if n < 2:
        raise StitchError(detail="at least two tiles are needed")
    scale = min(1.0, WORK_DPI / dpi)
    grays = [gray(t) for t in tiles]
    if features is None:
        with ThreadPoolExecutor(WORKERS) as pool:
            features = list(pool.map(lambda g: tile_features(g, dpi), grays))
    small = [f.small for f in features]
    candidates = _candidate_pairs(n, grid)
    report(progress, 0, len(candidates) + 2)
    seams: dict[tuple[int, int], Seam] = {}
    corr: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
    every: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}  # all patches found, outliers too
    min_spread = CONFIRM_SPREAD_MM / 25.4 * dpi

    def match_pair(pair: tuple[int, int]):
        check_cancel(cancel)
        a, b = pair
        fa_, fb_ = features[a], features[b]
        matches = match(fa_.descriptors, fb_.descriptors)
        coarse = None
        if len(matches) >= MIN_INLIERS:
            pa = fa_.points[[m.queryIdx for m in matches]]
            pb = fb_.points[[m.trainIdx for m in matches]]
            coarse, _inliers = best_hypothesis(small[a], small[b], pa, pb)
        found = None
        if coarse is not None:
            found = patch_correspondences(grays[a], grays[b], small[b], coarse, scale, dpi)
        side = _side(a, b, grid)
        if side is not None and (
            coarse is None or len(found[0] if found[0] is not None else ()) < CONFIRM_PATCHES
        ):
            # a narrow overlap gives features too few to pair and square patches too few to
            # confirm: b's edge searched for along a's, then patches long along the seam
            edge = edge_hypothesis(small[a], small[b], side, dpi * scale) if coarse is None else coarse
            if edge is not None:
                along = "y" if side == "right" else "x"
                longer = patch_correspondences(grays[a], grays[b], small[b], edge, scale, dpi, along=along)
                if longer[0] is not None and (
                    found is None or found[0] is None or len(longer[0]) > len(found[0])
                ):
                    coarse, found = edge, longer
        if coarse is None:
            return pair, None, "no match in the overlap"
        if found[0] is None:
            return pair, None, "overlap too empty to fix the seam"
        return pair, found, ""

    with ThreadPoolExecutor(WORKERS) as pool:  # OpenCV lets go of the interpreter while it works
        for k, ((a, b), found, reason) in enumerate(pool.map(match_pair, candidates)):
            if found is not None:
                fa, fb, all_a, all_b = found
                corr[(a, b)] = (fa, fb)
                every[(a, b)] = (all_a, all_b)
                seams[(a, b)] = Seam(a, b, len(fa))
                if len(fa) < CONFIRM_PATCHES or not spread_ok(fb, min_spread):
                    seams[(a, b)].reason = "overlap too empty to fix the seam"
            elif grid is not None:
                seams[(a, b)] = Seam(a, b, 0, reason=reason)
            report(progress, k + 1, len(candidates) + 2)

    # Robust global solve: drop the pair that disagrees most until all agree (or it would disconnect).
    good = dict(corr)
    transforms: list[np.ndarray | None] = [None] * n
    placed: set[int] = set()
    groups = _components(n, good)
    later: list[tuple[set[int], list]] = []
    for group in groups:
        if len(group) < 2:
            continue
        sub, dropped = _robust_solve(n, group, {k: v for k, v in good.items() if k[0] in group})
        for key, why in dropped.items():
            seams[key].reason = why
            if why.startswith("disagrees with the other seams (repeated"):
                good.pop(key, None)
        if not placed:
            for i in group:
                transforms[i] = sub[i]
            placed = set(group)
        elif grid is not None:
            later.append((group, sub))
    if not placed:  # nothing matches anywhere: the first tile stands alone
        transforms[0] = np.array([[1.0, 0, 0], [0, 1.0, 0]])
        placed = {0}
    main = set(placed)
    # the sheet's frame: square to the drawing's own long lines (its frame, walls, title block);
    # anchoring on the first tile would leave the whole sheet as tilted as that one scan was
    _square(transforms, small, scale)
    if grid is not None:
        identity = np.array([[1.0, 0, 0], [0, 1.0, 0]])
        later += [
            ({i}, [identity] * n)
            for i in range(n)
            if transforms[i] is None and not any(i in g for g, _ in later)
        ]
        for group, sub in later:  # groups nothing ties to the rest, squared on their own lines
            own = [sub[i].copy() if i in group else None for i in range(n)]
            _square(own, small, scale)
            _place_by_grid(transforms, own, group, grid, tiles)
    review: list[tuple[int, int]] = []
    for key, seam in seams.items():
        a, b = key
        both = transforms[a] is not None and transforms[b] is not None
        if both:
            seam.overlap_mm, seam.ink_pct = _overlap_ink(
                small[a], small[b], transforms[a], transforms[b], scale, dpi
            )
        if key in good and both:
            # every patch found in the overlap, not only those one affine explained: a warp where
            # the paper lifted shows here instead of hiding among the outliers
            pa, pb = every.get(key, good[key])
            seam.residual_px = float(np.percentile(_residuals(transforms[a], transforms[b], pa, pb), 95))
            seam.confirmed = not seam.reason and seam.residual_px <= MAX_RESIDUAL_PX
            if not seam.confirmed and not seam.reason:
                seam.reason = "content disagrees by more than a pixel: the paper may be warped"
                review.append(key)
        elif (a in main) != (b in main) and not seam.reason.startswith("disagrees"):
            if seam.ink_pct is not None and seam.ink_pct >= INK_PCT:
                seam.reason = "line work in the overlap could not be matched: placed from the tile grid"
            else:
                seam.reason = "nothing in the overlap to match: placed from the tile grid"
    # shift so that every placed tile lands at positive coordinates
    corners = []
    for t, tile in zip(transforms, tiles, strict=True):
        if t is not None:
            h, w = tile.shape[:2]
            c = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
            corners.append(cv2.transform(c[None], t)[0])
    allc = np.concatenate(corners)
    x0, y0 = np.floor(allc.min(axis=0))
    x1, y1 = np.ceil(allc.max(axis=0))
    for t in transforms:
        if t is not None:
            t[0, 2] -= x0
            t[1, 2] -= y0
    rescan = {i for i in range(n) if transforms[i] is None}
    # a tile no confirmed seam pins is placed by its neighbours' guess, not by content: ask for it
    # again (with the sheet shifted, so that its overlap takes in some of the drawing)
    for i in range(n):
        if transforms[i] is None:
            continue
        own = [s for s in seams.values() if i in (s.a, s.b)]
        if not any(s.confirmed for s in own):
            rescan.add(i)
    # where two groups of tiles meet over blank paper, one side's tiles along that seam
    for s in seams.values():
        if not s.confirmed and (s.a in main) != (s.b in main):
            rescan.add(s.b if s.a in main else s.a)
    report(progress, len(candidates) + 2, len(candidates) + 2)
    return StitchResult(
        transforms,
        sorted(seams.values(), key=lambda s: (s.a, s.b)),
        (int(x1 - x0), int(y1 - y0)),
        dpi,
        (float(x0), float(y0)),
        sorted(rescan),
        {k: v for k, v in good.items() if k in seams and seams[k].confirmed},
        [(int(t.shape[1]), int(t.shape[0])) for t in tiles],
        sorted(review),
    )


def _robust_solve(n: int, group: set[int], pairs: dict):
    """Solve one connected group, dropping the pair that disagrees most with the rest until all
    agree to a few pixels (or dropping it would split the group). Returns the transforms and the
    reason per dropped or doubtful pair."""
    good = dict(pairs)
    dropped: dict[tuple[int, int], str] = {}
    anchor = min(group)
    while True:
        transforms = _solve(n, good, anchor)
        if transforms is None:
            raise StitchError(detail="no two tiles share enough of the drawing")
        worst, worst_err = None, 0.0
        for (a, b), (pa, pb) in good.items():
            err = float(np.percentile(_residuals(transforms[a], transforms[b], pa, pb), 95))
            if err > worst_err:
                worst, worst_err = (a, b), err
        if worst is None or worst_err <= 3 * MAX_RESIDUAL_PX:
            return transforms, dropped
        trial = {k: v for k, v in good.items() if k != worst}
        if len(_components(n, trial)[0]) < len(group):
            dropped[worst] = "disagrees with the other seams"
            return transforms, dropped
        log.info("pair %s dropped: %.1f px off the consensus", worst, worst_err)
        dropped[worst] = "disagrees with the other seams (repeated symbols?)"
        good = trial


def _place_by_grid(transforms, sub, group, grid, tiles) -> None:
    """Put a group of tiles that nothing ties to the placed ones at their place in the scan grid:
    the grid's step measured on the tiles already placed (or the tile size less a typical
    overlap), the group kept together as its own seams fixed it."""
    _rows, cols = grid
    placed = [i for i, t in enumerate(transforms) if t is not None]
    h, w = tiles[0].shape[:2]
    pos = {i: (i // cols, i % cols) for i in range(len(tiles))}
    centre = np.array([w / 2, h / 2])
    data = np.array(
        [(pos[i][1], pos[i][0], *(transforms[i][:, :2] @ centre + transforms[i][:, 2])) for i in placed]
    )
    steps = {"x": np.array([0.85 * w, 0.0]), "y": np.array([0.0, 0.85 * h])}
    free = [(name, col) for name, col in (("x", 0), ("y", 1)) if len(np.unique(data[:, col])) > 1]
    if free:
        design = np.column_stack([np.ones(len(data))] + [data[:, col] for _, col in free])
        sol, *_ = np.linalg.lstsq(design, data[:, 2:], rcond=None)
        for k, (name, _) in enumerate(free):
            steps[name] = sol[k + 1]
    step_x, step_y = steps["x"], steps["y"]
    origin = np.mean(data[:, 2:] - np.outer(data[:, 0], step_x) - np.outer(data[:, 1], step_y), axis=0)
    anchor = min(group)
    ra, ca = pos[anchor]
    target = origin + ca * step_x + ra * step_y
    inv_anchor = np.linalg.inv(np.vstack([sub[anchor], [0, 0, 1]]))
    own_turn = sub[anchor][:, :2]  # the group as squared on its own lines
    shift = target - own_turn @ centre  # the anchor's centre lands on its grid place
    for i in group:
        rel = inv_anchor @ np.vstack([sub[i], [0, 0, 1]])  # tile i in the anchor's frame
        t = np.zeros((2, 3))
        t[:, :2] = own_turn @ rel[:2, :2]
        t[:, 2] = own_turn @ rel[:2, 2] + shift
        transforms[i] = t


def _square(transforms: list[np.ndarray | None], small: list[np.ndarray], scale: float) -> None:
    """Turn the placed tiles (in place) so that the drawing's lines run along the sheet's axes."""
    angle = -_drawing_angle(small, transforms, scale)
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    for t in transforms:
        if t is not None:
            t[:, :2] = turn @ t[:, :2]
            t[:, 2] = turn @ t[:, 2]


def _drawing_angle(small: list[np.ndarray], transforms: list[np.ndarray | None], scale: float) -> float:
    """The tilt (radians) of the placed drawing's straight lines from the sheet axes: the turn that
    makes the ink's row and column projections sharpest, on a working-resolution composite; the
    tiles' mean rotation when there is too little ink to tell."""
    placed = [(im, t) for im, t in zip(small, transforms, strict=True) if t is not None]
    fallback = float(np.mean([np.arctan2(t[1, 0], t[0, 0]) for _, t in placed]))
    corners = []
    for im, t in placed:
        h, w = im.shape
        ts = t.copy()
        ts[:, 2] *= scale
        corners.append(cv2.transform(np.float32([[0, 0], [w, 0], [w, h], [0, h]])[None], ts)[0])
    allc = np.concatenate(corners)
    x0, y0 = allc.min(axis=0)
    x1, y1 = allc.max(axis=0)
    size = (int(x1 - x0) + 1, int(y1 - y0) + 1)
    canvas = np.full((size[1], size[0]), 255, np.uint8)
    for im, t in placed:
        ts = t.copy()
        ts[:, 2] = ts[:, 2] * scale - [x0, y0]
        np.minimum(canvas, cv2.warpAffine(im, ts, size, borderValue=255), out=canvas)
    ys, xs = np.nonzero(canvas < 160)
    if len(xs) < 200:
        return fallback
    if len(xs) > 400_000:  # a sample is as good and keeps this quick
        pick = np.random.default_rng(0).choice(len(xs), 400_000, replace=False)
        xs, ys = xs[pick], ys[pick]
    xs = xs.astype(np.float32)
    ys = ys.astype(np.float32)

    def sharpness(angle: float) -> float:
        """How concentrated the ink is on rows and columns once turned by `angle`: long straight
        lines along the axes make tall narrow peaks in both projections."""
        c, s = np.cos(angle), np.sin(angle)
        rows = np.bincount(np.round(ys * c - xs * s - y_min).astype(np.int64))
        cols = np.bincount(np.round(xs * c + ys * s - x_min).astype(np.int64))
        return float((rows.astype(np.float64) ** 2).sum() + (cols.astype(np.float64) ** 2).sum())

    x_min = -float(canvas.shape[0]) - 2  # turned coordinates stay above these
    y_min = -float(canvas.shape[1]) - 2
    best = 0.0
    for span, step in ((np.radians(4.0), np.radians(0.25)), (np.radians(0.3), np.radians(0.02))):
        angles = best + np.arange(-span, span + step / 2, step)
        scores = np.array([sharpness(a) for a in angles])
        k = int(np.argmax(scores))
        best = float(angles[k]) + peak_offset(scores, k) * float(step)
    return best

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
import threading
from dataclasses import dataclass, field

import cv2
import numpy as np

from common.errors import QT_TRANSLATE_NOOP
from common.progress import Progress, check_cancel, report
from scanner.errors import ScannerError

log = logging.getLogger(__name__)

WORK_DPI = 75.0
MIN_INLIERS = 12
CONFIRM_INLIERS = 20
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

    def as_dict(self) -> dict:
        return {
            "tiles": [self.a, self.b],
            "inliers": self.inliers,
            "residual_px": None if np.isnan(self.residual_px) else round(float(self.residual_px), 3),
            "confirmed": self.confirmed,
            "reason": self.reason,
        }


@dataclass
class StitchResult:
    transforms: list[np.ndarray | None]  # per tile: 2x3 tile -> sheet at full resolution, None if unplaced
    seams: list[Seam]
    size: tuple[int, int]  # sheet width, height in pixels
    dpi: float
    offsets: tuple[float, float] = (0.0, 0.0)
    rescan: list[int] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return "ok" if not self.rescan else "needs_rescan"

    def as_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "rescan_tiles": self.rescan,
            "sheet_px": list(self.size),
            "dpi": self.dpi,
            "tiles": [
                {
                    "index": i,
                    "placed": t is not None,
                    "matrix": None if t is None else np.round(t, 5).tolist(),
                }
                for i, t in enumerate(self.transforms)
            ],
            "seams": [s.as_dict() for s in self.seams],
        }


def _gray(tile: np.ndarray) -> np.ndarray:
    return tile if tile.ndim == 2 else cv2.cvtColor(tile[:, :, :3], cv2.COLOR_RGB2GRAY)


def _features(gray: np.ndarray, mask: np.ndarray | None = None):
    sift = cv2.SIFT_create(nfeatures=6000)
    return sift.detectAndCompute(gray, mask)


def _match(da, db, ratio: float = 0.75):
    if da is None or db is None or len(da) < 2 or len(db) < 2:
        return []
    matcher = cv2.BFMatcher(cv2.NORM_L2)
    good = []
    for pair in matcher.knnMatch(da, db, k=2):
        if len(pair) == 2 and pair[0].distance < ratio * pair[1].distance:
            good.append(pair[0])
    return good


def _similarity(pa: np.ndarray, pb: np.ndarray, threshold: float):
    """b -> a similarity by RANSAC; (matrix, inlier mask) or (None, None)."""
    if len(pa) < MIN_INLIERS:
        return None, None
    m, inliers = cv2.estimateAffinePartial2D(
        pb, pa, method=cv2.RANSAC, ransacReprojThreshold=threshold, maxIters=5000, confidence=0.999
    )
    if m is None:
        return None, None
    scale = float(np.hypot(m[0, 0], m[1, 0]))
    angle = float(np.degrees(np.arctan2(m[1, 0], m[0, 0])))
    if not (0.9 < scale < 1.1) or abs(angle) > 15:
        return None, None
    return m, inliers.ravel().astype(bool)


def _overlap_agreement(ga: np.ndarray, gb: np.ndarray, m: np.ndarray) -> float:
    """How well tile b, placed by `m` (b -> a), agrees with tile a over their whole overlap: the
    correlation of their line work there. A false match from a repeated symbol agrees where the
    symbol is and nowhere else in the overlap."""
    h, w = ga.shape
    warped = cv2.warpAffine(gb, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)
    inside = cv2.warpAffine(np.full(gb.shape, 255, np.uint8), m, (w, h), borderValue=0) > 0
    inside &= cv2.erode(inside.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    if inside.sum() < 500:
        return 0.0
    ink_a = cv2.GaussianBlur(255 - ga, (0, 0), 1.5).astype(np.float32)[inside]
    ink_b = cv2.GaussianBlur(255 - warped, (0, 0), 1.5).astype(np.float32)[inside]
    ink_a -= ink_a.mean()
    ink_b -= ink_b.mean()
    denom = float(np.sqrt((ink_a * ink_a).sum() * (ink_b * ink_b).sum()))
    return float((ink_a * ink_b).sum() / denom) if denom > 0 else 0.0


def _best_hypothesis(ga: np.ndarray, gb: np.ndarray, pa: np.ndarray, pb: np.ndarray, *, tries: int = 4):
    """RANSAC again on the matches the previous fits left out, keeping the fit whose overlap agrees
    best: repeated symbols (doors, grids, dimension ticks) give several confident fits."""
    best, best_inliers, best_score = None, None, 0.35
    idx = np.arange(len(pa))
    for _ in range(tries):
        if len(idx) < MIN_INLIERS:
            break
        m, inliers = _similarity(pa[idx], pb[idx], 2.0)
        if m is None or inliers.sum() < MIN_INLIERS:
            break
        score = _overlap_agreement(ga, gb, m)
        if score > best_score:
            full = np.zeros(len(pa), bool)
            full[idx[inliers]] = True
            best, best_inliers, best_score = m, full, score
        idx = idx[~inliers]
    return best, best_inliers


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


def _spread_ok(points: np.ndarray, min_px: float) -> bool:
    """Inliers that pin a similarity: spread far along the seam and off one line (a narrow overlap
    is fine; features all on one line, or in one spot, leave the rotation or the shift free)."""
    if len(points) < 3:
        return False
    centred = points - points.mean(axis=0)
    eig = np.linalg.eigvalsh(np.cov(centred.T))
    along, across = float(np.sqrt(eig.max())) * 2, float(np.sqrt(max(eig.min(), 0.0))) * 2
    return along >= min_px and across >= min_px / 4


REFINE_WINDOW_IN = 1.2  # full-resolution windows matched inside an overlap (inches)
REFINE_WINDOWS = 10


def _full_res_correspondences(ta, tb, coarse: np.ndarray, scale: float, dpi: float):
    """Match again at full resolution in a few windows of the predicted overlap (the inkiest ones,
    spread out); returns (pa, pb) inliers. Memory stays small whatever the tile size."""
    ga, gb = _gray(ta), _gray(tb)
    full = coarse.copy()
    full[:, 2] /= scale  # translation to full-resolution pixels (scale/rotation unchanged)
    ha, wa = ga.shape
    hb, wb = gb.shape
    win = max(96, int(REFINE_WINDOW_IN * dpi)) // 8 * 8
    pad = max(8, int(0.08 * dpi))  # room for the coarse fit's error
    # candidate window centres in b on a coarse lattice, kept when they land well inside a
    step = win // 2
    ys, xs = np.mgrid[win // 2 : hb - win // 2 : step, win // 2 : wb - win // 2 : step]
    centres_b = np.column_stack([xs.ravel(), ys.ravel()]).astype(np.float32)
    if len(centres_b) == 0:
        return None, None
    centres_a = cv2.transform(centres_b[None], full)[0]
    # a window may cross tile a's edge (overlaps can be narrower than a window): keep it when at
    # least a third of it lands inside a
    half = win / 2
    over_x = np.clip(np.minimum(centres_a[:, 0] + half, wa) - np.maximum(centres_a[:, 0] - half, 0), 0, None)
    over_y = np.clip(np.minimum(centres_a[:, 1] + half, ha) - np.maximum(centres_a[:, 1] - half, 0), 0, None)
    inside = over_x * over_y >= win * win / 3
    centres_b, centres_a = centres_b[inside], centres_a[inside]
    if len(centres_b) == 0:
        return None, None
    # ink in each window (on a small copy), inkiest first, then spread out
    f = 0.25
    small = cv2.resize(gb, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    dark = small < float(np.percentile(small, 90)) - 30  # line work, relative to this tile's paper
    ink = []
    for x, y in centres_b:
        x0, y0 = int((x - win / 2) * f), int((y - win / 2) * f)
        patch = dark[y0 : y0 + int(win * f), x0 : x0 + int(win * f)]
        ink.append(float(patch.mean()) if patch.size else 0.0)
    order = np.argsort(ink)[::-1]
    chosen: list[int] = []
    for k in order:
        if ink[k] <= 0.002:
            break
        if all(np.hypot(*(centres_b[k] - centres_b[j])) >= win for j in chosen):
            chosen.append(int(k))
        if len(chosen) >= REFINE_WINDOWS:
            break
    pa_all, pb_all = [], []
    for k in chosen:
        bx, by = int(centres_b[k][0] - win / 2), int(centres_b[k][1] - win / 2)
        ax = max(0, int(centres_a[k][0] - win / 2 - pad))
        ay = max(0, int(centres_a[k][1] - win / 2 - pad))
        wb_ = gb[by : by + win, bx : bx + win]
        wa_ = ga[ay : int(centres_a[k][1] + win / 2 + pad), ax : int(centres_a[k][0] + win / 2 + pad)]
        if wa_.shape[0] < 16 or wa_.shape[1] < 16:
            continue
        ka, da = _features(wa_)
        kb, db = _features(wb_)
        for m in _match(da, db, 0.8):
            pa_all.append((ka[m.queryIdx].pt[0] + ax, ka[m.queryIdx].pt[1] + ay))
            pb_all.append((kb[m.trainIdx].pt[0] + bx, kb[m.trainIdx].pt[1] + by))
    if len(pa_all) < MIN_INLIERS:
        return None, None
    pa, pb = np.float32(pa_all), np.float32(pb_all)
    predicted = cv2.transform(pb[None], full)[0]
    near = np.linalg.norm(predicted - pa, axis=1) < 12.0  # guided: only matches where the coarse fit says
    pa, pb = pa[near], pb[near]
    m, inliers = _similarity(pa, pb, 1.5)
    if m is None or inliers.sum() < MIN_INLIERS:
        return None, None
    return pa[inliers], pb[inliers]


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


def place_tiles(
    tiles: list[np.ndarray],
    dpi: float,
    *,
    grid: tuple[int, int] | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> StitchResult:
    """Find where every tile goes on the sheet. Tiles in any order; `grid` (rows, cols, scan order
    row by row) only narrows which pairs are tried."""
    n = len(tiles)
    if n < 2:
        raise StitchError(detail="at least two tiles are needed")
    scale = min(1.0, WORK_DPI / dpi)
    small = [cv2.resize(_gray(t), None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) for t in tiles]
    feats = [_features(s) for s in small]
    candidates = _candidate_pairs(n, grid)
    report(progress, 0, len(candidates) + 2)
    seams: dict[tuple[int, int], Seam] = {}
    corr: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
    min_spread = CONFIRM_SPREAD_MM / 25.4 * dpi
    for k, (a, b) in enumerate(candidates):
        check_cancel(cancel)
        (ka, da), (kb, db) = feats[a], feats[b]
        matches = _match(da, db)
        if len(matches) >= MIN_INLIERS:
            pa = np.float32([ka[m.queryIdx].pt for m in matches])
            pb = np.float32([kb[m.trainIdx].pt for m in matches])
            coarse, inliers = _best_hypothesis(small[a], small[b], pa, pb)
            if coarse is not None and inliers.sum() >= MIN_INLIERS:
                fa, fb = _full_res_correspondences(tiles[a], tiles[b], coarse, scale, dpi)
                if fa is not None:
                    corr[(a, b)] = (fa, fb)
                    seams[(a, b)] = Seam(a, b, len(fa))
                    if len(fa) < CONFIRM_INLIERS or not _spread_ok(fb, min_spread):
                        seams[(a, b)].reason = "overlap too empty or features along one line"
        elif grid is not None:
            seams[(a, b)] = Seam(a, b, len(matches), reason="no match in the overlap")
        report(progress, k + 1, len(candidates) + 2)

    # Robust global solve: drop the pair that disagrees most until all agree (or it would disconnect).
    good = dict(corr)
    if not good:  # nothing matches anywhere: the first tile stands alone, the rest must be rescanned
        h, w = tiles[0].shape[:2]
        alone = [np.array([[1.0, 0, 0], [0, 1.0, 0]])] + [None] * (n - 1)
        return StitchResult(
            alone,
            sorted(seams.values(), key=lambda s: (s.a, s.b)),
            (w, h),
            dpi,
            (0.0, 0.0),
            list(range(1, n)),
        )
    while True:
        groups = _components(n, good)
        anchor = min(groups[0])
        transforms = _solve(n, {k: v for k, v in good.items() if k[0] in groups[0]}, anchor)
        if transforms is None:
            raise StitchError(detail="no two tiles share enough of the drawing")
        worst, worst_err = None, 0.0
        for (a, b), (pa, pb) in good.items():
            if a in groups[0]:
                err = float(np.percentile(_residuals(transforms[a], transforms[b], pa, pb), 95))
                if err > worst_err:
                    worst, worst_err = (a, b), err
        if worst is None or worst_err <= 3 * MAX_RESIDUAL_PX:
            break
        trial = {k: v for k, v in good.items() if k != worst}
        if len(_components(n, trial)[0]) < len(groups[0]):
            seams[worst].reason = "disagrees with the other seams"
            break
        log.info("pair %s dropped: %.1f px off the consensus", worst, worst_err)
        seams[worst].reason = "disagrees with the other seams (repeated symbols?)"
        good = trial
    placed = groups[0]
    result_t: list[np.ndarray | None] = [transforms[i] if i in placed else None for i in range(n)]
    for key, seam in seams.items():
        a, b = key
        if key in good and result_t[a] is not None and result_t[b] is not None:
            pa, pb = good[key]
            seam.residual_px = float(np.percentile(_residuals(result_t[a], result_t[b], pa, pb), 95))
            seam.confirmed = not seam.reason and seam.residual_px <= MAX_RESIDUAL_PX
    # sheet frame: square to the drawing's own long lines (its frame, walls, title block); anchoring
    # on the first tile would leave the whole sheet as tilted as that one scan was
    angle = -_drawing_angle(small, result_t, scale)
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    for t in result_t:
        if t is not None:
            t[:, :2] = turn @ t[:, :2]
            t[:, 2] = turn @ t[:, 2]
    # shift so that every placed tile lands at positive coordinates
    corners = []
    for t, tile in zip(result_t, tiles, strict=True):
        if t is not None:
            h, w = tile.shape[:2]
            c = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
            corners.append(cv2.transform(c[None], t)[0])
    allc = np.concatenate(corners)
    x0, y0 = np.floor(allc.min(axis=0))
    x1, y1 = np.ceil(allc.max(axis=0))
    for t in result_t:
        if t is not None:
            t[0, 2] -= x0
            t[1, 2] -= y0
    rescan = sorted(set(range(n)) - placed)
    # a tile whose every seam is unconfirmed is not pinned by content: ask for it again
    for i in sorted(placed):
        own = [s for s in seams.values() if i in (s.a, s.b) and (s.a, s.b) in good]
        if own and not any(s.confirmed for s in own):
            rescan.append(i)
    report(progress, len(candidates) + 2, len(candidates) + 2)
    return StitchResult(
        result_t,
        sorted(seams.values(), key=lambda s: (s.a, s.b)),
        (int(x1 - x0), int(y1 - y0)),
        dpi,
        (float(x0), float(y0)),
        sorted(set(rescan)),
    )


def _drawing_angle(small: list[np.ndarray], transforms: list[np.ndarray | None], scale: float) -> float:
    """The tilt (radians) of the placed drawing's long straight lines from the sheet axes: the
    median of near-horizontal and near-vertical segments on a working-resolution composite;
    falls back to the tiles' mean rotation when the drawing shows no long lines."""
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
    edges = cv2.Canny(canvas, 60, 160)
    lines = cv2.HoughLinesP(edges, 1, np.pi / 1800, threshold=80, minLineLength=max(size) // 8, maxLineGap=4)
    if lines is None:
        return fallback
    angles, weights = [], []
    for x_a, y_a, x_b, y_b in lines.reshape(-1, 4).astype(float):
        a = np.arctan2(y_b - y_a, x_b - x_a)
        a = (a + np.pi / 4) % (np.pi / 2) - np.pi / 4  # fold to the nearest axis
        if abs(a) < np.radians(5):
            angles.append(a)
            weights.append(np.hypot(x_b - x_a, y_b - y_a))
    if len(angles) < 3:
        return fallback
    order = np.argsort(angles)
    cum = np.cumsum(np.array(weights)[order])
    return float(np.array(angles)[order][np.searchsorted(cum, cum[-1] / 2)])  # weighted median


def paper_white(tile: np.ndarray) -> np.ndarray:
    """The tile with its paper made white (divide by a smooth background): no brightness steps."""
    gray = _gray(tile)
    k = max(15, (min(gray.shape) // 40) | 1)
    background = cv2.dilate(gray, np.ones((k, k), np.uint8))
    background = cv2.GaussianBlur(background, (0, 0), k / 2)
    return cv2.divide(gray, np.maximum(background, 1), scale=255)


def composite(tiles: list[np.ndarray], result: StitchResult, *, margin_px: int = 0) -> np.ndarray:
    """The sheet (gray, white paper): each tile's paper whitened, placed, darkest wins (line work)."""
    w, h = result.size
    sheet = np.full((h, w), 255, np.uint8)
    for tile, t in zip(tiles, result.transforms, strict=True):
        if t is None:
            continue
        white = paper_white(tile)
        if margin_px:
            white[:margin_px, :] = 255
            white[-margin_px:, :] = 255
            white[:, :margin_px] = 255
            white[:, -margin_px:] = 255
        warped = cv2.warpAffine(white, t, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
        np.minimum(sheet, warped, out=sheet)
    return sheet


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
        raise StitchError(
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

"""Matching two scans of one drawing: features at working resolution (SIFT), ratio-tested matches, a
similarity fitted robustly, then full-resolution patches inside the overlap refined to a fraction of
a pixel. Pure image work on arrays; scanner.stitch decides where every tile goes from it."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

WORK_DPI = 75.0  # scans are matched at this resolution first
MIN_INLIERS = 12


def gray(tile: np.ndarray) -> np.ndarray:
    return tile if tile.ndim == 2 else cv2.cvtColor(tile[:, :, :3], cv2.COLOR_RGB2GRAY)


def _features(gray: np.ndarray, mask: np.ndarray | None = None):
    sift = cv2.SIFT_create(nfeatures=6000)
    return sift.detectAndCompute(gray, mask)


def match(da, db, ratio: float = 0.75):
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


def best_hypothesis(ga: np.ndarray, gb: np.ndarray, pa: np.ndarray, pb: np.ndarray, *, tries: int = 4):
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


def spread_ok(points: np.ndarray, min_px: float) -> bool:
    """Matched patches that pin a similarity: each patch pins a shift in both directions, so two
    far apart pin the rotation too; patches bunched in one spot leave the rotation free."""
    if len(points) < 3:
        return False
    centred = points - points.mean(axis=0)
    eig = np.linalg.eigvalsh(np.cov(centred.T))
    return float(np.sqrt(eig.max())) * 2 >= min_px


PATCH_IN = 0.32  # full-resolution patches matched inside an overlap (inches)


MAX_PATCHES = 36


SEARCH_IN = 0.07  # how far the coarse fit may be off (inches)


def _structure(small: np.ndarray, win: int | tuple[int, int]) -> np.ndarray:
    """Per pixel of a working-resolution tile, how well a window there pins a shift in both
    directions: the smaller eigenvalue of the gradient structure tensor (lines along one direction
    only, or blank paper, score near zero)."""
    f = small.astype(np.float32)
    gx = cv2.Sobel(f, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(f, cv2.CV_32F, 0, 1, ksize=3)
    k = win if isinstance(win, tuple) else (win, win)
    xx = cv2.boxFilter(gx * gx, -1, k)
    yy = cv2.boxFilter(gy * gy, -1, k)
    xy = cv2.boxFilter(gx * gy, -1, k)
    half_trace = (xx + yy) / 2
    return half_trace - np.sqrt(((xx - yy) / 2) ** 2 + xy * xy)


def _subpixel(r: np.ndarray, y: int, x: int) -> tuple[float, float]:
    dx = dy = 0.0
    if 0 < x < r.shape[1] - 1:
        a, b, c = r[y, x - 1], r[y, x], r[y, x + 1]
        den = a - 2 * b + c
        if den < 0:
            dx = 0.5 * (a - c) / den
    if 0 < y < r.shape[0] - 1:
        a, b, c = r[y - 1, x], r[y, x], r[y + 1, x]
        den = a - 2 * b + c
        if den < 0:
            dy = 0.5 * (a - c) / den
    return float(np.clip(dx, -1, 1)), float(np.clip(dy, -1, 1))


def patch_correspondences(
    ga, gb, small_b, coarse: np.ndarray, scale: float, dpi: float, *, along: str | None = None
):
    """Refine a pair at full resolution: patches of tile b with structure in both directions,
    resampled into tile a's frame by the coarse fit, found in a by normalised cross-correlation
    with a sub-pixel peak. Returns (pa, pb) of the patches that agree with one similarity, and
    (pa, pb) of every patch found, which the seam's check must explain too; or Nones.

    `along` ("x" or "y"): the seam's direction when known; patches are then three times longer
    along it, so that a narrow overlap still holds patches with enough of the drawing in them."""
    full = coarse.copy()
    full[:, 2] /= scale
    ha, wa = ga.shape
    hb, wb = gb.shape
    p = max(24, int(PATCH_IN * dpi)) // 2 * 2
    pw, ph = (3 * p, p) if along == "x" else (p, 3 * p) if along == "y" else (p, p)
    r = max(6, int(SEARCH_IN * dpi))
    # candidate centres: where b's content pins a shift, inside a with room for the search
    win = max(3, int(p * scale))
    score = _structure(small_b, (max(3, int(pw * scale)), max(3, int(ph * scale))))
    step = max(2, int(p * scale * (0.375 if along else 0.75)))  # denser where the overlap is narrow
    ys, xs = np.mgrid[win : small_b.shape[0] - win : step, win : small_b.shape[1] - win : step]
    cand_b = np.column_stack([xs.ravel(), ys.ravel()]).astype(np.float32) / scale
    if len(cand_b) == 0:
        return None, None, None, None
    strength = score[ys.ravel(), xs.ravel()]
    cand_a = cv2.transform(cand_b[None], full)[0]
    inside = (
        (cand_a[:, 0] > pw / 2 + r + 2)
        & (cand_a[:, 0] < wa - pw / 2 - r - 2)
        & (cand_a[:, 1] > ph / 2 + r + 2)
        & (cand_a[:, 1] < ha - ph / 2 - r - 2)
        & (cand_b[:, 0] > pw / 2 + 1)
        & (cand_b[:, 0] < wb - pw / 2 - 1)
        & (cand_b[:, 1] > ph / 2 + 1)
        & (cand_b[:, 1] < hb - ph / 2 - 1)
    )
    floor = 0.02 * float(score.max()) if score.size else 0.0
    keep = inside & (strength > max(floor, 1.0))
    cand_b, cand_a, strength = cand_b[keep], cand_a[keep], strength[keep]
    if len(cand_b) < 3:
        return None, None, None, None
    # strongest first, spread out: at most one patch per patch-sized cell
    order = np.argsort(strength)[::-1]
    chosen: list[int] = []
    gap_x, gap_y = (pw / 2, ph) if along == "x" else (pw, ph / 2) if along == "y" else (pw, ph)
    for k in order:
        if all(
            abs(cand_b[k][0] - cand_b[j][0]) >= gap_x or abs(cand_b[k][1] - cand_b[j][1]) >= gap_y
            for j in chosen
        ):
            chosen.append(int(k))
        if len(chosen) >= MAX_PATCHES:
            break
    pa, pb = [], []
    for k in chosen:
        qa = cand_a[k]
        ox, oy = float(qa[0]) - pw / 2, float(qa[1]) - ph / 2
        shift = full.copy()
        shift[:, 2] -= (ox, oy)
        templ = cv2.warpAffine(gb, shift, (pw, ph), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        x0, y0 = round(ox) - r, round(oy) - r
        area = ga[y0 : y0 + ph + 2 * r, x0 : x0 + pw + 2 * r]
        if area.shape != (ph + 2 * r, pw + 2 * r) or float(templ.std()) < 4.0:
            continue
        res = cv2.matchTemplate(area, templ, cv2.TM_CCOEFF_NORMED)
        _, peak, _, (bx, by) = cv2.minMaxLoc(res)
        if peak < 0.6:
            continue
        # a second peak nearly as high elsewhere: a repeated pattern, not a position
        suppressed = res.copy()
        cv2.circle(suppressed, (bx, by), max(3, p // 8), -1.0, -1)
        if float(suppressed.max()) > peak - 0.08:
            continue
        dx, dy = _subpixel(res, by, bx)
        # the template's top-left sits at (x0 + bx + dx, y0 + by + dy) in a; it was cut at (ox, oy)
        ax = x0 + bx + dx - ox
        ay = y0 + by + dy - oy
        pa.append((qa[0] + ax, qa[1] + ay))
        pb.append(tuple(cand_b[k]))
    if len(pa) < 4:
        return None, None, None, None
    pa_, pb_ = np.float32(pa), np.float32(pb)
    m, inliers = cv2.estimateAffinePartial2D(
        pb_, pa_, method=cv2.RANSAC, ransacReprojThreshold=1.0, maxIters=2000, confidence=0.999
    )
    if m is None or inliers.sum() < 4:
        return None, None, None, None
    keep = inliers.ravel().astype(bool)
    return pa_[keep], pb_[keep], pa_, pb_


EDGE_MM = 9.0  # strips of tile b this wide along its edge: inside the narrowest overlap (10 mm)
STRIP_MM = 30.0  # and this long along the seam, so that repeated symbols rarely look alike
BAND_MM = 50.0  # searched for in this wide a band along a's edge (the widest overlap a plan makes)


def edge_hypothesis(small_a: np.ndarray, small_b: np.ndarray, side: str, work_dpi: float):
    """A coarse b -> a similarity (working resolution) for neighbours in the scan grid whose
    overlap is too narrow for features: strips along b's edge facing a (`side`: "right" when b is
    right of a, "below" when under it), each found by correlation in a's facing band, and the
    shifts that agree taken. None when fewer than three agree along the seam."""
    if side == "below":  # the same search turned a quarter: rows become columns
        found = edge_hypothesis(small_a.T.copy(), small_b.T.copy(), "right", work_dpi)
        if found is None:
            return None
        m = found.copy()
        m[:, :2] = m[:, :2].T
        m[:, 2] = m[::-1, 2]
        return m
    mm = work_dpi / 25.4
    sw, sh = max(8, int(EDGE_MM * mm)), max(24, int(STRIP_MM * mm))
    band = int(BAND_MM * mm)
    _ha, wa = small_a.shape
    hb, _wb = small_b.shape
    x0 = max(0, wa - band)
    area = small_a[:, x0:]
    pts_a, pts_b, strip = [], [], []
    for y in range(0, hb - sh, sh // 2):
        templ = small_b[y : y + sh, 1 : 1 + sw]
        if templ.shape != (sh, sw) or float(templ.std()) < 8.0:
            continue
        res = cv2.matchTemplate(area, templ, cv2.TM_CCOEFF_NORMED)
        # every strong peak is a candidate: a strip of plain lines fits in several places, and
        # only the candidates of all strips together, fitted as one seam, say which is right
        best = float(res.max())
        for _ in range(3):
            _, peak, _, (bx, by) = cv2.minMaxLoc(res)
            if peak < max(0.6, best - 0.1):
                break
            pts_a.append((x0 + bx + sw / 2, by + sh / 2))
            pts_b.append((1 + sw / 2, y + sh / 2))
            strip.append(y)
            cv2.circle(res, (bx, by), max(3, sw // 2), -1.0, -1)
    if len(set(strip)) < 3:
        return None
    pa_, pb_ = np.float32(pts_a), np.float32(pts_b)
    m, inliers = cv2.estimateAffinePartial2D(
        pb_, pa_, method=cv2.RANSAC, ransacReprojThreshold=2.0, maxIters=4000, confidence=0.999
    )
    if m is None:
        return None
    keep = inliers.ravel().astype(bool)
    if len({y for y, k in zip(strip, keep, strict=True) if k}) < 3 or not spread_ok(pb_[keep], 2 * sh):
        return None
    scale = float(np.hypot(m[0, 0], m[1, 0]))
    if not (0.97 < scale < 1.03) or abs(np.degrees(np.arctan2(m[1, 0], m[0, 0]))) > 5:
        return None
    return m


def _working_copy(gray: np.ndarray, scale: float) -> np.ndarray:
    """A small copy for finding pairs: thin lines thickened first, so they survive the reduction."""
    if scale >= 1.0:
        return gray.copy()
    k = max(1, round(0.75 / scale))
    thick = cv2.erode(gray, np.ones((k, k), np.uint8)) if k > 1 else gray
    return cv2.resize(thick, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


@dataclass
@dataclass
class TileFeatures:
    """What matching needs of one tile: its working-resolution copy and SIFT features there."""

    small: np.ndarray
    points: np.ndarray  # N x 2 float32, working-resolution pixels
    descriptors: np.ndarray | None


def tile_features(gray: np.ndarray, dpi: float) -> TileFeatures:
    small = _working_copy(gray, min(1.0, WORK_DPI / dpi))
    keypoints, descriptors = _features(small)
    points = np.float32([k.pt for k in keypoints]).reshape(-1, 2)
    return TileFeatures(small, points, descriptors)

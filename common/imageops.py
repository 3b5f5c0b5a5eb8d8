"""Page geometry from the ink itself: skew angle and orientation, cheap enough for every page.

Works on a reduced binary copy (about 100 dpi): ink pixels are projected onto the vertical axis at
candidate angles (a histogram, no image rotation), and the sharpest row profile wins. Orientation
0/180 is told apart by where the ink sits around each text line's core band: Latin script and
above all Vietnamese (tone marks and diacritics over the letters) put far more ink above the
x-height band than below it.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

WORK_DPI = 100.0


@dataclass(frozen=True)
class Geometry:
    rotation: int  # clockwise degrees to apply to make the page upright: 0, 90, 180, 270
    skew_deg: float  # tilt of the text lines after that rotation, degrees counter-clockwise
    orientation_confidence: float  # 0..1; below ~0.15 a second opinion is worth asking
    line_score: float  # how strongly the page shows horizontal text lines (0 for blank pages)
    ink_fraction: float


def to_gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_RGBA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def reduce(gray: np.ndarray, dpi: float, target_dpi: float = WORK_DPI) -> tuple[np.ndarray, float]:
    """Downscale to about `target_dpi` (area averaging); returns the image and the scale used."""
    scale = min(1.0, target_dpi / max(dpi, 1.0))
    if scale >= 0.999:
        return gray, 1.0
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return small, scale


def ink_mask(gray_small: np.ndarray) -> np.ndarray:
    """Dark-on-light ink as a boolean array (Otsu on a flattened background)."""
    k = max(15, (min(gray_small.shape) // 20) | 1)
    background = cv2.dilate(gray_small, np.ones((k, k), np.uint8))
    flat = cv2.divide(gray_small, background, scale=255)
    _, binary = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if binary.mean() > 0.5 * 255:  # mostly "ink": a blank page's noise, threshold is meaningless
        return np.zeros_like(binary, dtype=bool)
    return _drop_borders_and_specks(binary)


def _drop_borders_and_specks(binary: np.ndarray) -> np.ndarray:
    """Remove scanner borders and lid shadows (large blobs on the image edge) and 1-2 pixel specks."""
    h, w = binary.shape
    _n, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    x, y, bw, bh, area = stats[:, 0], stats[:, 1], stats[:, 2], stats[:, 3], stats[:, 4]
    touches = (x == 0) | (y == 0) | (x + bw == w) | (y + bh == h)
    border = touches & ((bh > 0.2 * h) | (bw > 0.2 * w))
    keep = ~border & (area >= 3)
    keep[0] = False
    return keep[labels]


def _profile_score(ys: np.ndarray, height: int) -> float:
    hist = np.bincount(np.clip(ys, 0, height - 1), minlength=height).astype(np.float64)
    hist = np.convolve(hist, (0.25, 0.5, 0.25), mode="same")
    diff = np.diff(hist)
    return float((diff * diff).sum())


def _project(xs: np.ndarray, ys: np.ndarray, angle_deg: float, scale: float = 1.0) -> np.ndarray:
    a = np.deg2rad(angle_deg)
    return np.round((ys * np.cos(a) + xs * np.sin(a)) * scale).astype(np.int64)


def peak_offset(scores, i: int) -> float:
    """Where the peak at index `i` of evenly spaced scores really is, in steps from `i` (-0.5..0.5):
    the top of the parabola through it and its neighbours."""
    if not 0 < i < len(scores) - 1:
        return 0.0
    s0, s1, s2 = float(scores[i - 1]), float(scores[i]), float(scores[i + 1])
    denom = s0 - 2 * s1 + s2
    return 0.5 * (s0 - s2) / denom if denom < 0 else 0.0


def best_skew(xs: np.ndarray, ys: np.ndarray, height: int, *, limit: float = 6.0) -> tuple[float, float]:
    """(angle, score) maximising the row profile's sharpness: 0.5 degree steps, then 0.05, then a parabola."""
    if xs.size < 50:
        return 0.0, 0.0
    span = height + int(np.abs(xs).max() * np.sin(np.deg2rad(limit))) + 2

    def score(angle: float, fine: bool) -> float:
        f = 2.0 if fine else 1.0
        return _profile_score(_project(xs, ys, angle, f) + int(span * f) // 2, int(2 * span * f))

    coarse = max(np.arange(-limit, limit + 1e-9, 0.5), key=lambda a: score(float(a), False))
    fine_angles = np.arange(coarse - 0.5, coarse + 0.5 + 1e-9, 0.05)
    fine_scores = [score(float(a), True) for a in fine_angles]
    i = int(np.argmax(fine_scores))
    return float(fine_angles[i]) + 0.05 * peak_offset(fine_scores, i), fine_scores[i]


def _updown_votes(rows: np.ndarray, height: int) -> float:
    """Mean vote of typical text lines: +1 all ink above the core band, -1 all below."""
    profile = np.bincount(np.clip(rows, 0, height - 1), minlength=height).astype(np.float64)
    on = profile > max(1.0, 0.02 * profile.max())
    segments = []
    y = 0
    while y < height:
        if not on[y]:
            y += 1
            continue
        start = y
        while y < height and on[y]:
            y += 1
        if y - start >= 4:
            segments.append((start, y))
    if not segments:
        return 0.0
    median_h = float(np.median([b - a for a, b in segments]))
    votes = []
    for a, b in segments:
        if not 0.6 * median_h <= b - a <= 1.8 * median_h:
            continue  # titles, seals, signatures, merged lines: not typical text
        seg = profile[a:b]
        core = np.nonzero(seg >= 0.45 * seg.max())[0]
        c0, c1 = core[0], core[-1]
        if c1 - c0 + 1 > 0.8 * seg.size:
            continue
        above, below = seg[:c0].sum(), seg[c1 + 1 :].sum()
        if above + below > 0:
            votes.append((above - below) / (above + below))
    return float(np.mean(votes)) if votes else 0.0


def _without_rules(ink: np.ndarray) -> np.ndarray:
    """Ink minus long horizontal and vertical strokes (ruled lines, table borders, underlines)."""
    u8 = ink.astype(np.uint8)
    horizontal = cv2.morphologyEx(u8, cv2.MORPH_OPEN, np.ones((1, 41), np.uint8))
    vertical = cv2.morphologyEx(u8, cv2.MORPH_OPEN, np.ones((41, 1), np.uint8))
    return (u8 & ~(horizontal | vertical) & 1).astype(bool)


def analyse(gray: np.ndarray, dpi: float) -> Geometry:
    """Orientation and skew of a page image (grey, any resolution)."""
    small, _ = reduce(gray, dpi)
    ink = _without_rules(ink_mask(small))
    ink_fraction = float(ink.mean())
    ys, xs = np.nonzero(ink)
    h, w = ink.shape
    if xs.size < 200:
        return Geometry(0, 0.0, 0.0, 0.0, ink_fraction)
    # jitter each pixel inside its square: otherwise the pixel grid itself favours angle 0
    rng = np.random.default_rng(12345)
    xs = xs.astype(np.float64) - w / 2 + rng.normal(0.0, 0.6, xs.size)
    ys = ys.astype(np.float64) - h / 2 + rng.normal(0.0, 0.6, ys.size)
    skew_h, score_h = best_skew(xs, ys, h)
    skew_v, score_v = best_skew(-ys, xs, w)  # lines running vertically: the page lies on its side
    sideways = score_v > score_h
    skew = skew_v if sideways else skew_h
    if sideways:
        # rotate 90 clockwise: new x = -y, new y = x
        px, py, height = -ys, xs, w
    else:
        px, py, height = xs, ys, h
    rows = _project(px, py, skew) + height // 2 + int(abs(px).max() * 0.11) + 1
    vote = _updown_votes(rows, height + 2 * int(abs(px).max() * 0.11) + 4)
    confidence = min(1.0, abs(vote))
    upright = vote >= 0
    rotation = (90 if upright else 270) if sideways else 0 if upright else 180
    line_score = max(score_h, score_v) / max(xs.size, 1)
    return Geometry(
        rotation, round(float(skew), 3), round(float(confidence), 3), float(line_score), ink_fraction
    )

"""What a desk scanner does to a folded drawing that the ideal generator does not: a stretch along
the scan direction, the paper lifting near a fold (a smooth warp over the last centimetres of one
edge), light falling off across the glass and a paper white that differs from scan to scan.

`ScanFlaws.forward` maps points of the clean tile to the flawed one (the truth a test or a bench
checks against); `apply` makes the flawed image. Used by the tests' small sets and by
bench/stitch.py on the shared generator's tiles.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import cv2
import numpy as np

SIDES = ("left", "right", "top", "bottom")


@dataclass(frozen=True)
class ScanFlaws:
    stretch: float = 0.0  # fraction added along the scan direction (the tile's height)
    lift_px: float = 0.0  # how far the lifted edge's content moves outwards, at the edge
    lift_len: float = 1.0  # over how many pixels from the edge the lift fades to nothing
    lift_side: str = "right"
    gradient: float = 0.0  # fraction of brightness lost from one side of the glass to the other
    gradient_angle: float = 0.0  # its direction, radians
    white: float = 255.0  # the paper's white

    def as_dict(self) -> dict:
        return asdict(self)

    def _lift(self, x: np.ndarray, size: float, side: str) -> np.ndarray:
        """Outward displacement of coordinate `x` (along the axis across the lifted edge)."""
        if side in ("right", "bottom"):
            t = np.clip((x - (size - self.lift_len)) / self.lift_len, 0, 1)
            return self.lift_px * t * t
        t = np.clip((self.lift_len - x) / self.lift_len, 0, 1)
        return -self.lift_px * t * t

    def forward(self, pts: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
        """Clean-tile points (N x 2, x y) where the flawed scan shows them."""
        h, w = shape
        x, y = pts[:, 0].astype(np.float64), pts[:, 1] * (1 + self.stretch)
        if self.lift_side in ("left", "right"):
            x = x + self._lift(x, w, self.lift_side)
        else:
            y = y + self._lift(y, h * (1 + self.stretch), self.lift_side)
        return np.column_stack([x, y]).astype(np.float32)

    def size(self, shape: tuple[int, int]) -> tuple[int, int]:
        h, w = shape
        return w, round(h * (1 + self.stretch))

    def apply(self, tile: np.ndarray) -> np.ndarray:
        """The flawed scan of `tile` (grey or colour, uint8)."""
        h, w = tile.shape[:2]
        out_w, out_h = self.size((h, w))
        xs, ys = np.meshgrid(np.arange(out_w, dtype=np.float64), np.arange(out_h, dtype=np.float64))
        # invert the lift by a few fixed-point steps (it is smooth and a few pixels at most)
        if self.lift_side in ("left", "right"):
            src_x = xs.copy()
            for _ in range(4):
                src_x = xs - self._lift(src_x, w, self.lift_side)
            src_y = ys / (1 + self.stretch)
        else:
            lifted = ys.copy()
            for _ in range(4):
                lifted = ys - self._lift(lifted, h * (1 + self.stretch), self.lift_side)
            src_x, src_y = xs, lifted / (1 + self.stretch)
        warped = cv2.remap(
            tile,
            src_x.astype(np.float32),
            src_y.astype(np.float32),
            cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=(255, 255, 255) if tile.ndim == 3 else 255,
        )
        del xs, ys, src_x, src_y
        u = (
            np.cos(self.gradient_angle) * np.linspace(0, 1, out_w)[None, :]
            + np.sin(self.gradient_angle) * np.linspace(0, 1, out_h)[:, None]
        )
        u = (u - u.min()) / max(1e-9, float(u.max() - u.min()))
        light = ((self.white / 255.0) * (1 - self.gradient * u)).astype(np.float32)
        if warped.ndim == 3:
            light = light[:, :, None]
        return np.clip(warped.astype(np.float32) * light, 0, 255).astype(np.uint8)


def random_flaws(rng: np.random.Generator, dpi: float) -> ScanFlaws:
    """Flaws in the ranges seen on desk scanners: stretch 0.1-0.6 %, a lift of 2-6 px (at 300 dpi)
    fading over 300-600 px, light 5-15 % weaker across the glass, paper white 200-250."""
    k = dpi / 300.0
    return ScanFlaws(
        stretch=float(rng.uniform(0.001, 0.006)),
        lift_px=float(rng.uniform(2, 6)) * k,
        lift_len=float(rng.uniform(300, 600)) * k,
        lift_side=str(rng.choice(SIDES)),
        gradient=float(rng.uniform(0.05, 0.15)),
        gradient_angle=float(rng.uniform(0, 2 * np.pi)),
        white=float(rng.uniform(200, 250)),
    )

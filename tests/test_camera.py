"""The card's QR read from camera frames: a clip as a webcam would send it (moving, blurred, then held still)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import zxingcpp

from scanner.camera import CameraUnavailable, read_from_camera
from tests.test_codes import CCCD

W, H = 1280, 720


def _card(module_px: int = 4) -> np.ndarray:
    """A chip ID card's back (85.6 x 54 mm) with its QR at the top right, as a camera sees it held up."""
    card = np.full((540, 856, 3), (225, 232, 236), np.uint8)
    qr = np.array(
        zxingcpp.write_barcode_to_image(
            zxingcpp.create_barcode(CCCD, zxingcpp.BarcodeFormat.QRCode), scale=module_px
        )
    )
    qr = cv2.resize(qr, (230, 230), interpolation=cv2.INTER_AREA)
    card[30:260, 590:820] = np.minimum(cv2.cvtColor(qr, cv2.COLOR_GRAY2RGB), 230)
    cv2.putText(card, "CAN CUOC CONG DAN", (40, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.1, (60, 40, 40), 2)
    return card


def _frame(card: np.ndarray, shift: float, tilt: float, blur: int, rng) -> np.ndarray:
    """The card on a desk, in perspective, shifted and tilted; blurred as a moving hand blurs it."""
    h, w = card.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    x0, y0 = 300 + shift, 120
    dst = np.float32([[x0, y0 + tilt], [x0 + 640, y0], [x0 + 650, y0 + 420], [x0 - 10, y0 + 410 + tilt]])
    m = cv2.getPerspectiveTransform(src, dst)
    frame = cv2.warpPerspective(card, m, (W, H), borderValue=(90, 70, 60))
    if blur:
        kernel = np.zeros((blur, blur), np.float32)
        kernel[blur // 2, :] = 1.0 / blur  # motion blur along the hand's movement
        frame = cv2.filter2D(frame, -1, kernel)
    noise = rng.normal(0, 6, frame.shape)
    return np.clip(frame.astype(float) + noise, 0, 255).astype(np.uint8)


def _clip(path, frames) -> str:
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 15, (W, H))
    assert out.isOpened()
    for f in frames:
        out.write(cv2.cvtColor(f, cv2.COLOR_RGB2BGR))
    out.release()
    return str(path)


def test_card_held_up_to_the_camera_is_read_once_it_is_still(tmp_path):
    rng = np.random.default_rng(5)
    card = _card()
    moving = [_frame(card, 200 - 40 * k, 30 - 5 * k, 31, rng) for k in range(6)]
    still = [_frame(card, -40, 0, 0, rng) for _ in range(3)]
    clip = _clip(tmp_path / "card.avi", moving + still)
    previews = []
    got = read_from_camera(clip, want="card", timeout_s=60, on_frame=previews.append)
    assert got.card is not None and got.card.id_number == "001203012345"
    assert got.card.full_name == "Nguyễn Thị Hồng Nhung" and got.card.date_of_birth == "1990-06-15"
    assert 7 <= got.frames <= 9  # the blurred frames gave nothing; a still one did
    assert len(previews) == got.frames and max(previews[0].shape[:2]) == 640
    assert got.as_dict()["cccd"]["id_number"] == "001203012345"


def test_a_clip_without_a_card_ends_with_nothing_found(tmp_path):
    rng = np.random.default_rng(6)
    blank = np.full((540, 856, 3), 230, np.uint8)
    clip = _clip(tmp_path / "none.avi", [_frame(blank, 0, 0, 0, rng) for _ in range(4)])
    got = read_from_camera(clip, want="card", timeout_s=30)
    assert got.frames == 4 and got.codes == [] and got.as_dict()["found"] is False


def test_a_camera_that_is_not_there_says_so(tmp_path):
    with pytest.raises(CameraUnavailable) as err:
        read_from_camera(str(tmp_path / "no-such-camera.avi"))
    assert "no-such-camera" in str(err.value)


def test_sohoa_codes_reads_the_card_from_a_camera_source(tmp_path):
    from tests.conftest import run_json, run_sohoa

    rng = np.random.default_rng(8)
    clip = _clip(tmp_path / "cam.avi", [_frame(_card(), 0, 0, 0, rng)] * 2)
    got = run_json("codes", "--camera", clip, "--timeout", "20")
    assert got["ok"] is True and got["frames"] == 1 and got["cccd"]["id_number"] == "001203012345"
    gone = run_sohoa(
        "codes", "--camera", str(tmp_path / "unplugged.avi"), check=False, env={"SOHOA_LANG": "vi"}
    )
    assert gone.returncode != 0 and "Không mở được camera" in gone.stderr

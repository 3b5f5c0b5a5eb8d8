"""QR codes and barcodes on degraded scans; the chip ID card's QR parsed into the applicant's details."""

from __future__ import annotations

import io

import cv2
import numpy as np
import zxingcpp
from PIL import Image

from scanner.codes import parse_cccd, read_codes
from tests.conftest import run_json
from tests.fixtures import vietnamese_page

CCCD = "001203012345|012345678|Nguyễn Thị Hồng Nhung|15061990|Nữ|Số 12 phố Hàng Bạc, Hàng Đào, Hoàn Kiếm, Hà Nội|20042021"
RECEIPT = "000.00.17.H29-261127-0001"


def _symbol(text: str, fmt, module_px: int) -> np.ndarray:
    return np.array(zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(text, fmt), scale=module_px))


def _scan(dpi: int = 200, seed: int = 3) -> bytes:
    """An A4 page at `dpi` with a card's QR (about 2 cm) and a receipt barcode, scanned badly:
    tilted, blurred, noisy, grey paper, saved as JPEG."""
    rng = np.random.default_rng(seed)
    w, h = int(8.27 * dpi), int(11.69 * dpi)
    page = np.full((h, w), 236, np.uint8)
    qr = _symbol(CCCD, zxingcpp.BarcodeFormat.QRCode, 1)
    qr = cv2.resize(qr, (int(0.8 * dpi), int(0.8 * dpi)), interpolation=cv2.INTER_NEAREST)
    page[int(1.0 * dpi) : int(1.0 * dpi) + qr.shape[0], int(1.0 * dpi) : int(1.0 * dpi) + qr.shape[1]] = (
        np.minimum(qr, 236)
    )
    bar = _symbol(RECEIPT, zxingcpp.BarcodeFormat.Code128, 1)
    bar = cv2.resize(
        bar, (int(3.3 * dpi), int(0.5 * dpi)), interpolation=cv2.INTER_NEAREST
    )  # 0.26 mm modules
    y, x = int(6 * dpi), int(4 * dpi)
    page[y : y + bar.shape[0], x : x + bar.shape[1]] = np.minimum(bar, 236)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), 1.2, 1.0)
    page = cv2.warpAffine(page, m, (w, h), borderValue=236)
    page = cv2.GaussianBlur(page, (3, 3), 0.8)
    page = np.clip(page.astype(np.int16) + rng.normal(0, 9, page.shape), 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(page).save(buf, "JPEG", quality=70, dpi=(dpi, dpi))
    return buf.getvalue()


def test_cccd_qr_is_parsed_by_field_count():
    card = parse_cccd(CCCD)
    assert card.id_number == "001203012345" and card.old_id_number == "012345678"
    assert card.full_name == "Nguyễn Thị Hồng Nhung" and card.date_of_birth == "1990-06-15"
    assert card.sex == "Nữ" and card.issue_date == "2021-04-20" and card.address.startswith("Số 12")
    no_old = parse_cccd("079085003210||Lê Văn Hùng|01011985|Nam|Quận 1, TP Hồ Chí Minh|05052022\r\n")
    assert no_old.old_id_number == "" and no_old.date_of_birth == "1985-01-01"  # a QR gun's trailing newline
    six = parse_cccd("079085003210|Lê Văn Hùng|01011985|Nam|Quận 1, TP Hồ Chí Minh|05052022")
    assert six.full_name == "Lê Văn Hùng" and six.old_id_number == ""
    assert parse_cccd(RECEIPT) is None
    assert parse_cccd("12345|x|Tên|01011985|Nam|Địa chỉ|05052022") is None  # not a 12-digit ID
    assert parse_cccd("079085003210||Tên|31131985|Nam|Địa chỉ|05052022") is None  # no 13th month


def test_codes_on_degraded_scans_at_200_dpi_and_up(tmp_path, sohoa_home):
    paths = []
    for dpi in (200, 300):
        p = tmp_path / f"scan-{dpi}.jpg"
        p.write_bytes(_scan(dpi))
        paths.append(str(p))
    data = run_json("codes", *paths)
    assert len(data["pages"]) == 2
    for page in data["pages"]:
        by_type = {c["type"]: c for c in page["codes"]}
        assert set(by_type) == {"QRCode", "Code128"}, page
        assert by_type["Code128"]["text"] == RECEIPT
        card = by_type["QRCode"]["cccd"]
        assert card["id_number"] == "001203012345" and card["full_name"] == "Nguyễn Thị Hồng Nhung"
        assert card["date_of_birth"] == "1990-06-15" and card["issue_date"] == "2021-04-20"


def test_separator_sheet_is_recognised():
    sheet = np.full((1200, 900), 255, np.uint8)
    qr = cv2.resize(
        _symbol("SOHOA-TACH", zxingcpp.BarcodeFormat.QRCode, 1), (400, 400), interpolation=cv2.INTER_NEAREST
    )
    sheet[400:800, 250:650] = qr
    (code,) = read_codes(sheet)
    assert code.separator and code.cccd is None


def _sheet(text: str, dpi: int = 200) -> Image.Image:
    page = np.full((int(11.69 * dpi), int(8.27 * dpi)), 255, np.uint8)
    qr = cv2.resize(
        _symbol(text, zxingcpp.BarcodeFormat.QRCode, 1),
        (int(2 * dpi), int(2 * dpi)),
        interpolation=cv2.INTER_NEAREST,
    )
    page[dpi : dpi + qr.shape[0], dpi : dpi + qr.shape[1]] = qr
    return Image.fromarray(page)


def test_one_stack_is_split_at_separator_sheets_and_the_card_fills_the_applicant(tmp_path, sohoa_home):
    from tests.fixtures import save_png, vietnamese_page

    receipt = tmp_path / "bien-nhan.jpg"
    receipt.write_bytes(_scan(200))  # the receipt's barcode and a photocopy of the card's QR
    data = run_json("dossier", "new", "--from-scan", str(receipt), "--procedure", "Cấp giấy phép xây dựng")
    assert data["code"] == RECEIPT and data["applicant_id"] == "001203012345"
    assert data["applicant_name"] == "Nguyễn Thị Hồng Nhung"

    stack = [
        save_png(vietnamese_page(dpi=200, height_in=3.0), tmp_path / "01.png", dpi=200),
        save_png(vietnamese_page(dpi=200, height_in=3.5), tmp_path / "02.png", dpi=200),
        save_png(_sheet("SOHOA-TACH:Bản vẽ thiết kế"), tmp_path / "03.png", dpi=200),
        save_png(vietnamese_page(dpi=200, height_in=4.0), tmp_path / "04.png", dpi=200),
        save_png(_sheet("SOHOA-TACH"), tmp_path / "05.png", dpi=200),
        save_png(vietnamese_page(dpi=200, height_in=3.2), tmp_path / "06.png", dpi=200),
    ]
    data = run_json("dossier", "add", RECEIPT, *map(str, stack), "--component", "Đơn đề nghị", "--split")
    assert data["separators"] == 2
    assert data["components"] == {"Đơn đề nghị": 2, "Bản vẽ thiết kế": 1, "Đơn đề nghị (3)": 1}


def _patch_sheet(kinds: str, dpi: int, *, along: bool = False) -> np.ndarray:
    """A patch code sheet: bars `kinds` (N 0.08 in, W 0.20 in, 0.08 in apart), 3 in long, from the
    leading edge (or, `along`, turned a quarter: an end-fed patch)."""
    page = np.full((int(11.69 * dpi), int(8.27 * dpi)), 250, np.uint8)
    y = int(0.6 * dpi)
    for k in kinds:
        t = int((0.20 if k == "W" else 0.08) * dpi)
        page[y : y + t, int(2.5 * dpi) : int(5.5 * dpi)] = 15
        y += t + int(0.08 * dpi)
    page = cv2.GaussianBlur(page, (0, 0), 1.0)
    return np.ascontiguousarray(np.rot90(page)) if along else page


def test_patch_codes_are_read_and_patch_t_separates():
    from scanner.codes import read_patch_codes

    for dpi in (200, 300):
        assert read_patch_codes(_patch_sheet("NWNW", dpi), dpi) == ["T"]
        assert read_patch_codes(_patch_sheet("WNNW", dpi), dpi) == ["2"]
        assert read_patch_codes(_patch_sheet("NWNW", dpi, along=True), dpi) == ["T"]
    text_page = np.array(vietnamese_page(dpi=200, height_in=11.0))
    assert read_patch_codes(text_page, 200) == []  # underlines and table rules are not patches
    (code,) = read_codes(_patch_sheet("NWNW", 200), 200)
    assert code.separator and code.text == "PATCH-T"

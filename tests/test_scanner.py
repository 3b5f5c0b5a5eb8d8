"""Scanning through SANE's real `test` backend, enabled with a SANE_CONFIG_DIR of our own."""

from __future__ import annotations

import shutil
import subprocess
import threading

import pytest
from PIL import Image

from common.errors import Cancelled
from tests.conftest import run_json

pytestmark = pytest.mark.skipif(shutil.which("scanimage") is None, reason="sane-utils not installed")


@pytest.fixture(scope="module")
def sane_test(tmp_path_factory):
    """SANE configured with only its `test` backend (two virtual devices)."""
    conf = tmp_path_factory.mktemp("sane.d")
    (conf / "dll.conf").write_text("test\n")
    (conf / "test.conf").write_text("number_of_devices 2\n")
    mp = pytest.MonkeyPatch()
    mp.setenv("SANE_CONFIG_DIR", str(conf))
    yield conf
    mp.undo()


def test_devices_lists_the_test_scanner(sane_test, sohoa_home):
    data = run_json("devices")
    names = [d["name"] for d in data["devices"]]
    assert "test:0" in names
    (dev,) = [d for d in data["devices"] if d["name"] == "test:0"]
    assert dev["backend"] == "sane" and dev["label"]


def test_feeder_scan_yields_every_page_until_the_feeder_is_empty(sane_test, sohoa_home, tmp_path):
    data = run_json(
        "scan", "--device", "test:0", "--source", "adf", "--resolution", "100", "--out-dir", str(tmp_path)
    )
    pages = data["pages"]
    assert [p["index"] for p in pages] == list(range(1, 11))  # the test feeder holds 10 sheets
    with Image.open(pages[0]["path"]) as im:
        assert round(im.info["dpi"][0]) == 100 and im.width > 300


def test_page_limit_and_flatbed(sane_test, sohoa_home, tmp_path):
    data = run_json(
        "scan", "--device", "test:0", "--source", "adf", "--pages", "3", "--out-dir", str(tmp_path / "a")
    )
    assert len(data["pages"]) == 3
    data = run_json("scan", "--device", "test:1", "--mode", "gray", "--out-dir", str(tmp_path / "b"))
    assert len(data["pages"]) == 1
    with Image.open(data["pages"][0]["path"]) as im:
        assert im.mode == "L"


def test_cancel_mid_batch_keeps_the_pages_scanned_and_stops_the_driver(sane_test, tmp_path):
    from scanner.sane import ScanProfile, scan

    cancel = threading.Event()
    got = []
    slow = ("--read-delay=yes", "--read-delay-duration=100000")  # the test device, throttled
    with pytest.raises(Cancelled):
        for page in scan(
            "test:0", ScanProfile(resolution=75, source="adf"), tmp_path, cancel=cancel, extra_args=slow
        ):
            got.append(page)
            cancel.set()
    assert len(got) == 1 and got[0].path.is_file()
    leftover = subprocess.run(["pgrep", "-f", "--", f"--batch={tmp_path}"], capture_output=True, text=True)
    assert leftover.returncode == 1, leftover  # 1: no such process (2 would be a bad pattern)


def test_a_saved_device_is_found_again_by_its_name(sane_test):
    from scanner.sane import DeviceNotFound, find_device

    assert find_device("test:0").name == "test:0"
    again = find_device("test:7", vendor="Noname", model="frontend-tester")  # its id changed
    assert again.name.startswith("test:")
    with pytest.raises(DeviceNotFound):
        find_device("epson2:libusb:001:004")


def test_saved_profile_is_used_and_follows_the_scanner_to_a_new_id(sane_test, sohoa_home, tmp_path):
    import json

    run_json("scan", "--device", "test:1", "--source", "adf", "--resolution", "120", "--pages", "1",
             "--save-profile", "--out-dir", str(tmp_path / "a"))  # fmt: skip
    saved = json.loads((sohoa_home / "settings.json").read_text())
    assert saved["scan_device"] == "test:1" and saved["scan_resolution"] == 120
    assert saved["scan_device_label"] == "Noname\tfrontend-tester"
    data = run_json("scan", "--pages", "2", "--out-dir", str(tmp_path / "b"))  # no flags: the saved profile
    assert data["device"]["name"] == "test:1" and [p["dpi"] for p in data["pages"]] == [120, 120]
    saved["scan_device"] = "test:9"  # the scanner was re-plugged and SANE renamed it
    (sohoa_home / "settings.json").write_text(json.dumps(saved))
    data = run_json("scan", "--pages", "1", "--out-dir", str(tmp_path / "c"))
    assert data["device"]["name"].startswith("test:")
    assert json.loads((sohoa_home / "settings.json").read_text())["scan_device"] == data["device"]["name"]


def test_a_driver_that_dies_mid_batch_ends_the_scan_with_the_pages_kept(sane_test, tmp_path):
    import time

    from scanner.sane import ScanFailed, ScanProfile, scan

    got = []
    slow = ("--read-delay=yes", "--read-delay-duration=100000")

    def kill_the_driver() -> None:
        time.sleep(0.2)
        subprocess.run(["pkill", "-9", "-f", "--", f"--batch={tmp_path}"], check=False)

    with pytest.raises(ScanFailed) as err:
        for page in scan("test:0", ScanProfile(resolution=75, source="adf"), tmp_path, extra_args=slow):
            got.append(page)
            if len(got) == 1:
                threading.Thread(target=kill_the_driver).start()
    assert "crashed" in str(err.value) and len(got) >= 1 and got[0].path.is_file()


def test_the_driver_interface_lists_describes_and_scans_through_the_sane_backend(sane_test, tmp_path):
    """What the app uses (scanner.driver): devices carry their backend, capabilities come in SoHoa's
    words, a scan goes to the backend that found the device, and an unknown backend is refused."""
    from scanner import driver
    from scanner.driver import Capabilities, ScanProfile, UnknownBackend

    devices = driver.list_devices()
    assert devices and all(d.backend == "sane" for d in devices)
    test0 = driver.find_device("test:0")
    caps = driver.get_driver(test0.backend).capabilities(test0.name)
    assert isinstance(caps, Capabilities)
    assert {"color", "gray"} <= set(caps.modes) and {"flatbed", "adf"} <= set(caps.sources)
    assert caps.resolution_range and caps.resolutions[0] <= 300 <= caps.resolutions[1]
    pages = list(driver.scan(test0, ScanProfile(resolution=50, mode="gray", source="adf", pages=2), tmp_path))
    assert [p.index for p in pages] == [1, 2] and all(p.path.exists() for p in pages)
    with pytest.raises(UnknownBackend):
        driver.get_driver("twain-on-linux")
    import sys

    # planning the scans of a large sheet is geometry alone: no OpenCV, no matcher
    probe = "import sys, scanner.plan; print('cv2' in sys.modules, 'scanner.stitch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]

"""The lock files pin every package the app and the tests use, and this environment was installed from them."""

from __future__ import annotations

import re
from importlib import metadata

from packaging.requirements import Requirement

from tests.conftest import ROOT, installer_script


def _pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    pins = {}
    for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==(\S+) \\\n\s+--hash=sha256:([0-9a-f]{64})$", text, re.M):
        pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def _closure(extras: set[str]) -> set[str]:
    """sohoa's requirements and theirs, as installed here."""
    seen: set[str] = set()
    todo = [(Requirement(r), extras) for r in metadata.requires("sohoa") or []]
    while todo:
        req, active = todo.pop()
        env = [{"extra": e} for e in active] or [{"extra": ""}]
        if req.marker is not None and not any(req.marker.evaluate(e) for e in env):
            continue
        name = req.name.lower().replace("_", "-")
        if name in seen:
            continue
        seen.add(name)
        for sub in metadata.requires(req.name) or []:
            todo.append((Requirement(sub), set(req.extras)))
    return seen


def test_every_package_the_app_and_the_tests_use_is_pinned_at_the_version_installed():
    runtime, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert runtime and dev and set(runtime) <= set(dev)
    assert all(dev[name] == version for name, version in runtime.items())  # one resolution
    for extras, pins in (({""}, runtime), ({"dev"}, dev)):
        missing = sorted(_closure(extras) - set(pins))
        assert not missing, f"not pinned: {missing}"
    for name, version in dev.items():
        assert metadata.version(name) == version, name
    assert "pyinstaller" in dev and "pyside6-essentials" in runtime and "opencv-python-headless" in runtime


def test_the_package_builds_opencv_from_the_locked_release():
    """installer/build_opencv.py builds OpenCV for the package from source: the same release as the
    wheel the tests run with, or the package would ship code the suite never ran."""
    module = installer_script("build_opencv")
    assert _pins("requirements.lock")["opencv-python-headless"] == module.VERSION
    assert module.SDIST_URL.endswith(f"opencv_python_headless-{module.VERSION}.tar.gz")
    assert module.locked_version() == module.VERSION

"""The libraries below app/ import neither Qt nor app/: checked by importing them with both blocked."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

LIBRARIES = ("common", "scanner", "ocr", "signing", "upload")

BLOCKER = r"""
import importlib, importlib.abc, pkgutil, sys

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        if top in ("PySide6", "shiboken6", "PyQt5", "PyQt6", "app"):
            raise ImportError(f"forbidden import of {name}")
        return None

sys.meta_path.insert(0, Block())
count = 0
for lib in %r:
    pkg = importlib.import_module(lib)
    count += 1
    for info in pkgutil.walk_packages(pkg.__path__, lib + "."):
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
        count += 1
print(count)
"""


def test_libraries_import_without_qt_or_app():
    proc = subprocess.run(
        [sys.executable, "-c", BLOCKER % (LIBRARIES,)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.strip()) >= 20  # every module was really imported


def test_blocker_catches_a_qt_import():
    """The check above can fail: a module importing Qt is refused."""
    code = BLOCKER.replace("for lib in %r:", "import PySide6.QtCore\nfor lib in ():")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode != 0 and "forbidden import" in proc.stderr

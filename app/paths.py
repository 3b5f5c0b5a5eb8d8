"""Where things live: the workspace folder and the bundled resources."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

import platformdirs

APP_NAME = "SoHoa"


def workspace_dir() -> Path:
    """$SOHOA_HOME when set (tests, scripts), else the user's data folder."""
    env = os.environ.get("SOHOA_HOME")
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resources_dir() -> Path:
    """The resources (translations, catalogues, trust roots, icons): package data of `app`, read the
    same way from a checkout, an installed wheel and the application folder (PyInstaller keeps the
    package's data beside it). SoHoa is never run from a zip, so this is a real folder."""
    return Path(str(files("app") / "resources"))

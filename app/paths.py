"""Where things live: the workspace folder and the bundled resources."""

from __future__ import annotations

import os
import sys
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
    """The resources folder: beside the packages in a checkout, inside the bundle when frozen."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"

"""The Qt workstation window: thin widgets over app.pipeline, slow work on app.gui.runner."""

from app.gui import translation  # noqa: F401 (the window's catalogue, for app.i18n)

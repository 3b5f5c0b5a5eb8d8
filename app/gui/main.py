"""Start the GUI: check for a display, set up Qt, the translator and the main window."""

from __future__ import annotations

import logging
import os
import sys

from app import i18n
from app.config import load_settings
from app.paths import resources_dir, workspace_dir
from app.workspace import Workspace
from common.errors import UserError


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def headless_hint() -> str:
    return i18n.translate(
        "gui",
        "No display found, so the window cannot open. SoHoa also works without a window:\n"
        "  sohoa doctor                     check the installation\n"
        "  sohoa dossier new CODE           create a dossier\n"
        "  sohoa dossier add CODE FILES --component NAME\n"
        "  sohoa dossier process CODE       OCR\n"
        "  sohoa dossier sign CODE --module LIB --pin-stdin\n"
        "  sohoa upload                     deliver the outbox\n"
        "Run 'sohoa --help' for every command, or start a display (e.g. xvfb-run sohoa).",
    )


def run_gui() -> int:
    if not has_display():
        print(headless_hint())
        return 0
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("SoHoa")
    icon = resources_dir() / "icons" / "sohoa.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    root = workspace_dir()
    try:
        settings, _ = load_settings(root)
        i18n.install(settings.language, qt=True)
        ws = Workspace(root)
    except UserError as exc:
        QMessageBox.critical(None, "SoHoa", i18n.message(exc))
        return exc.exit_code
    logging.getLogger(__name__).info("workspace %s", root)
    window = MainWindow(ws, settings)
    window.show()
    if os.environ.get("SOHOA_EXIT_WHEN_READY"):  # installation checks and start-up benchmarks
        from PySide6.QtCore import QTimer

        def ready() -> None:
            print(f"ready: {window.windowTitle()} ({len(window.actions_by_name)} actions)", flush=True)
            app.quit()

        QTimer.singleShot(0, ready)  # runs once the event loop has shown the window
    code = app.exec()
    ws.close()
    return code

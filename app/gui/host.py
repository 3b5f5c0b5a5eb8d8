"""What a controller may ask of the window: the workspace and settings, the selection, jobs, and a
place to say things. Controllers receive this, never the window's class."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QStatusBar

from app.config import Settings
from app.gui.runner import Job, JobRunner
from app.workspace import Workspace

if TYPE_CHECKING:
    from app.gui.delivery import DeliveryController

WorkFn = Callable[[Workspace, Callable[[int, int], None], Any], Any]  # (ws, progress, cancel) -> result


class Host(Protocol):
    ws: Workspace
    settings: Settings
    runner: JobRunner
    delivery: DeliveryController  # recovery resumes sending, new settings reach the daily send

    def current_code(self) -> str | None: ...
    def current_component_name(self) -> str | None: ...
    def need_dossier(self) -> str | None: ...
    def select_code(self, code: str) -> None: ...
    def select_component(self, name: str) -> None: ...
    def refresh(self) -> None: ...
    def show_pages(self) -> None: ...
    def missing_parts(self, code: str | None) -> list: ...
    def error(self, text: str) -> None: ...
    def statusBar(self) -> QStatusBar: ...
    def start(self, label: str, fn, done_text: Callable[[Any], str | None] | None = None) -> Job: ...
    def in_workspace(
        self, label: str, fn: WorkFn, done_text: Callable[[Any], str | None] | None = None
    ) -> Job: ...


class Controller(QObject):
    """One concern of the window (capture, pages, signing...): its actions, dialogs and jobs."""

    def __init__(self, host: Host) -> None:
        super().__init__(host)  # the window owns it (and its translations' parent widget)
        self.host = host

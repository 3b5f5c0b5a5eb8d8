"""Settings, and what support needs: the activity (the audit trail), the log, a diagnostic report."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from app.gui.host import Controller
from app.gui.runner import Job
from app.signsetup import known_modules
from common.errors import UserError


class SupportController(Controller):
    def edit_settings(self):
        """The settings dialog; saved values apply at once (the language after a restart)."""
        from app.gui.settings_dialog import SettingsDialog

        dlg = SettingsDialog(self.host.settings, self.host)
        dlg.accepted.connect(lambda: self.apply_settings(dlg.result_settings))
        self.settings_dialog = dlg
        dlg.open()
        return dlg

    def apply_settings(self, settings) -> None:
        from app.config import save_user_settings

        try:
            save_user_settings(self.host.ws.root, settings)
        except (OSError, UserError) as exc:
            self.host.error(str(exc))
            return
        self.host.settings = settings
        self.host.delivery.settings_changed()
        self.host.statusBar().showMessage(self.tr("Settings saved."), 8000)

    def show_diagnostics(self):
        """The audit trail, the log, and a diagnostic report to copy for support."""
        from app.gui.diagnostics import LOG_LINES, DiagnosticsDialog, tail
        from app.logs import log_file

        ws = self.host.ws
        dlg = DiagnosticsDialog(
            ws.events(limit=1000), tail(log_file(), LOG_LINES), self.host, audit_check=ws.verify_audit()
        )
        dlg.copy.clicked.connect(lambda: self.copy_diagnostics())
        self.diagnostics_dialog = dlg
        dlg.open()
        return dlg

    def copy_diagnostics(self) -> Job:
        """Probe the installation off the GUI thread, then put the report and the log's end on the
        clipboard."""
        from app.gui.diagnostics import tail
        from app.logs import log_file

        settings = self.host.settings

        def work(progress, cancel):
            from app.config import load_settings
            from app.doctor import format_report, run_doctor
            from app.paths import workspace_dir

            _settings, sources = load_settings(workspace_dir())
            report, _ok = run_doctor(settings, sources, known_modules(settings))
            in_effect = "\n".join(
                f"{k} = {v['value']!r} ({v['source']})" for k, v in report.get("settings", {}).items()
            )
            return f"{format_report(report)}\n\n--- settings ---\n{in_effect}\n\n--- log ---\n{tail(log_file(), 100)}"

        copied = self.tr("Diagnostic info copied: paste it into your message to support.")
        job = self.host.start(self.tr("Collecting diagnostic info"), work, done_text=lambda _text: copied)
        job.signals.finished.connect(lambda text: QApplication.clipboard().setText(text))
        return job

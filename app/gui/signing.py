"""Signing from the window: the certificate chosen by holder and ID, what is signed said in large
type before the PIN, the signing as a job; and checking a signed file."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from app import pipeline
from app.gui.host import Controller
from app.gui.runner import Job
from app.signsetup import known_modules, sign_options, trust_roots
from common.errors import UserError


class SigningController(Controller):
    def sign(self) -> Job | None:
        """Choose the certificate, show the signer what they sign, take the PIN, sign as a job."""
        from app.gui.sign_dialog import SignDialog

        code = self.host.need_dossier()
        if code is None:
            return None
        documents = []
        # what either role may sign (an official's list holds the citizen's); the job signs what is
        # due for the role chosen in the dialog (app.pipeline.due)
        for comp in pipeline.due_for(self.host.ws, code, "sign", role="official"):
            art = self.host.ws.made_pdf(comp.id)
            pages = art.meta_dict.get("pages", 0) if art is not None else 0
            documents.append((comp.name, pages or len(self.host.ws.pages(comp.id))))
        if not documents:
            self.host.error(self.tr("Nothing to sign yet: process the dossier's components first."))
            return None
        dlg = SignDialog(documents, self.host, agency=self.host.settings.agency)
        dlg.find_requested.connect(lambda: self.find_tokens(dlg))
        self.sign_dialog = dlg
        self.find_tokens(dlg)
        if dlg.exec() != SignDialog.DialogCode.Accepted or dlg.chosen() is None:
            dlg.take_pin()
            return None
        choice, pin, role = dlg.chosen(), dlg.take_pin(), dlg.role.currentData()
        return self.run_sign(
            code, choice.module, pin, role=role, token_label=choice.token_label, cert_label=choice.cert_label
        )

    def find_tokens(self, dlg) -> Job:
        """Read the plugged-in tokens' certificates (no PIN needed) off the GUI thread."""
        from app import i18n
        from app.gui.sign_dialog import choices_from

        modules = [m.path for m in known_modules(self.host.settings)]

        def work(progress, cancel):
            from signing import list_tokens

            listing, errors = [], []
            for module in modules:
                try:
                    listing.append((module, list_tokens(module)))
                except UserError as exc:  # one driver failing does not hide the others' tokens
                    errors.append(i18n.message(exc))
            return choices_from(listing), errors

        job = self.host.start(self.tr("Looking for tokens"), work)
        job.signals.finished.connect(
            lambda res: dlg.show_tokens(res[0], "\n".join(res[1]) if res[1] and not res[0] else None)
        )
        return job

    def run_sign(
        self,
        code: str,
        module: str,
        pin: str,
        *,
        role: str = "citizen",
        token_label: str | None = None,
        cert_label: str | None = None,
    ) -> Job:
        """Log in once, sign every part due for `role`, verify and queue each; the PIN is dropped as
        soon as the token has it."""
        settings = self.host.settings
        secret = [pin]
        nothing_due = self.tr("Nothing to sign yet: process the dossier's components first.")

        def work(ws, progress, cancel):
            from signing import TokenSession

            try:
                with TokenSession(module, token_label=token_label) as session:
                    session.login(secret[0] or None, pin_pad=session.info.protected_auth and not secret[0])
                    secret.clear()
                    comps = pipeline.due_for(ws, code, "sign", role=role)
                    if not comps:
                        raise pipeline.PipelineError(detail=nothing_due)
                    signed = pipeline.sign_components(
                        ws,
                        comps,
                        session,
                        settings,
                        cert_label=cert_label,
                        options=sign_options(settings, role=role),
                        progress=progress,
                        cancel=cancel,
                    )
                    return len(signed)
            finally:
                secret.clear()

        return self.host.in_workspace(self.tr("Signing"), work)

    def verify_file(self, path: str | None = None) -> Job | None:
        """Check every signature of a PDF (off the GUI thread) and show the report."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self.host, self.tr("Check a signed file"), "", "PDF (*.pdf)"
            )
            if not path:
                return None
        root, settings = self.host.ws.root, self.host.settings

        def work(progress, cancel):
            from signing import verify_pdf

            return verify_pdf(path, trust_roots(root, settings), progress=progress, cancel=cancel)

        job = self.host.start(self.tr("Checking signatures"), work)
        job.signals.finished.connect(self._show_report)
        return job

    def _show_report(self, report) -> None:
        from app.gui.verify_view import VerifyDialog

        self.last_report_dialog = VerifyDialog(report, self.host)
        self.last_report_dialog.open()

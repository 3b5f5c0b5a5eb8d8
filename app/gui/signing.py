"""Signing from the window: the certificate chosen by holder and ID, what is signed said in large
type before the PIN, the signing as a job; and checking a signed file."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog

from app import pipeline
from app.gui.host import Controller
from app.gui.runner import Job
from app.signsetup import known_modules, sign_options, trust_roots
from common.errors import UserError


class _Relay(QObject):
    """Carries "the signer has been asked, this many seconds to approve" from the job to the dialog."""

    asked = Signal(float)


class SigningController(Controller):
    def sign(self, role: str | None = None) -> Job | None:
        """Choose the certificate, show the signer what they sign, take the PIN, sign as a job
        (`role` chosen beforehand: data records once one is saved)."""
        from app.gui.sign_dialog import SignDialog

        due = self._due_documents()
        if due is None:
            return None
        code, documents = due
        dlg = SignDialog(documents, self.host, agency=self.host.settings.agency)
        if role is not None:
            dlg.role.setCurrentIndex(max(0, dlg.role.findData(role)))
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

    def _due_documents(self) -> tuple[str, list[tuple[str, int]]] | None:
        """The selected dossier and (name, pages) of what either role may sign in it (an official's
        list holds the citizen's; the job signs what is due for the role chosen in the dialog)."""
        code = self.host.need_dossier()
        if code is None:
            return None
        documents = []
        ws = self.host.ws
        for comp in [
            *pipeline.due_for(ws, code, "sign", role="official"),
            *pipeline.due_for(ws, code, "sign", role="record"),
        ]:
            art = self.host.ws.made_pdf(comp.id)
            pages = art.meta_dict.get("pages", 0) if art is not None else 0
            documents.append((comp.name, pages or len(self.host.ws.pages(comp.id))))
        if not documents:
            self.host.error(self.tr("Nothing to sign yet: process the dossier's components first."))
            return None
        return code, documents

    def sign_remote(self):
        """The signer approves on their phone: service, ID number, certificate, then one request."""
        from app.gui.remote_dialog import RemoteSignDialog
        from app.remotesetup import catalog

        due = self._due_documents()
        if due is None:
            return None
        code, documents = due
        settings = self.host.settings
        providers = [(k, v.get("name", k)) for k, v in catalog().items()]
        dossier = self.host.ws.dossier(code)
        dlg = RemoteSignDialog(
            documents, providers, self.host, provider=settings.remote_provider, user_id=dossier.applicant_id
        )
        self.remote_dialog, self.remote_job = dlg, None
        dlg.find_requested.connect(lambda: self._find_remote(dlg))
        dlg.ask_requested.connect(lambda: self._ask_remote(dlg, code))
        dlg.cancel_requested.connect(lambda: self.remote_job is not None and self.remote_job.cancel())
        dlg.token_requested.connect(lambda: (dlg.reject(), self.sign()))
        dlg.otp_requested.connect(lambda: self._send_otp(dlg))
        if dlg.user_id.text():
            self._find_remote(dlg)
        dlg.open()
        return dlg

    def _find_remote(self, dlg) -> Job:
        from app import i18n
        from app.remotesetup import remote_service

        settings, provider, user_id = (
            self.host.settings,
            dlg.provider.currentData(),
            dlg.user_id.text().strip(),
        )
        dlg.show_message(self.tr("Looking for the signer's certificates..."))

        def work(progress, cancel):
            try:
                service = remote_service(settings, provider)
                try:
                    return service.certificates(user_id), None
                finally:
                    service.close()
            except UserError as exc:
                return [], i18n.message(exc)

        dlg.lookups += 1
        lookup = dlg.lookups
        job = self.host.start(self.tr("Looking for certificates"), work)
        # Only the latest lookup shows: an earlier one (another ID number) may answer later.
        job.signals.finished.connect(lambda res: lookup == dlg.lookups and dlg.show_certificates(*res))
        return job

    def _send_otp(self, dlg) -> Job:
        """Have the service send the signer's one-time code (off the GUI thread)."""
        from app import i18n
        from app.remotesetup import remote_service

        settings, provider, credential = self.host.settings, dlg.provider.currentData(), dlg.chosen()
        sent = self.tr("A one-time code was sent to the signer's phone: type it here.")

        def work(progress, cancel):
            try:
                service = remote_service(settings, provider)
                try:
                    service.send_otp(credential)
                finally:
                    service.close()
                return sent
            except UserError as exc:
                return i18n.message(exc)

        job = self.host.start(self.tr("Sending the one-time code"), work)
        job.signals.finished.connect(dlg.status.setText)
        return job

    def _ask_remote(self, dlg, code: str) -> Job:
        from app import i18n
        from app.remotesetup import remote_service

        settings, provider = self.host.settings, dlg.provider.currentData()
        credential, user_id, role = dlg.chosen(), dlg.user_id.text().strip(), dlg.role.currentData()
        codes = list(dlg.take_codes())  # dropped once sent
        relay = _Relay()
        relay.asked.connect(dlg.waiting)
        self.remote_relay = relay
        nothing_due = self.tr("Nothing to sign yet: process the dossier's components first.")

        def work(ws, progress, cancel):
            comps = pipeline.due_for(ws, code, "sign", role=role)
            if not comps:
                raise pipeline.PipelineError(detail=nothing_due)
            pin, otp = codes
            codes.clear()
            service = remote_service(settings, provider)
            try:
                signed = pipeline.sign_components_remote(
                    ws,
                    comps,
                    service,
                    credential,
                    user_id,
                    settings,
                    pin=pin,
                    otp=otp,
                    options=sign_options(settings, role=role),
                    timeout=settings.remote_wait_s,
                    progress=progress,
                    cancel=cancel,
                    on_asked=lambda batch: relay.asked.emit(
                        min(settings.remote_wait_s, batch.expires_at - time.time())
                    ),
                )
                return len(signed)
            finally:
                service.close()

        job = self.host.in_workspace(self.tr("Signing remotely"), work)
        self.remote_job = job
        job.signals.finished.connect(lambda _n: dlg.accept())
        job.signals.failed.connect(dlg.show_message)
        job.signals.cancelled.connect(
            lambda: dlg.show_message(
                i18n.translate(
                    "signing", "The remote signing request was cancelled at the counter. Nothing was signed."
                )
            )
        )
        return job

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

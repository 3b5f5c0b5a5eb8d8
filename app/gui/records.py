"""Data records from the window: look a subject up (the query filled from the applicant's ID
number), see the answer as it will be printed, save it as a record and have it signed; list the
dossier's records and compare two of one subject side by side. Every service call runs as a job."""

from __future__ import annotations

from datetime import datetime

from app import i18n
from app.gui.host import Controller
from app.gui.runner import Job
from common.errors import UserError


class RecordsController(Controller):
    sign_after_save = True  # open the signing dialog (role: data records) once a record is saved

    def look_up(self):
        from app.dataservices import catalog
        from app.gui.record_dialog import LookupDialog

        code = self.host.need_dossier()
        if code is None:
            return None
        try:
            services = catalog(self.host.ws.root)
        except UserError as exc:
            self.host.error(i18n.message(exc))
            return None
        dlg = LookupDialog(services, self.host.ws.dossier(code).applicant_id, self.host)
        dlg.lookup_requested.connect(lambda: self._lookup(dlg, code))
        dlg.save_requested.connect(lambda: self._save(dlg, code))
        self.lookup_dialog = dlg
        dlg.open()
        return dlg

    def _lookup(self, dlg, code: str) -> Job:
        from app.pipeline import records
        from records import flatten
        from records.answer import label_for

        settings, service, given = self.host.settings, dlg.service.currentData(), dlg.query_values()
        dlg.busy(self.tr("Asking the data service..."))

        def work(ws, progress, cancel):
            try:
                answer, facts, entry = records.lookup(ws, settings, code, service, given, cancel=cancel)
            except UserError as exc:
                return None, [], i18n.message(exc)
            labels = entry.get("labels", {})
            rows = [[label_for(p, labels), v, p] for p, v in flatten(answer.data)]
            return (answer, facts, entry), rows, ""

        job = self.host.in_workspace(self.tr("Looking up data"), work)
        job.signals.finished.connect(lambda res: dlg.show_answer(*res))
        return job

    def _save(self, dlg, code: str) -> Job | None:
        from app.pipeline import records

        if dlg.answer is None:
            return None
        answer, facts, entry = dlg.answer

        def work(ws, progress, cancel):
            return records.make_record(ws, code, answer, facts, entry, cancel=cancel).component.name

        job = self.host.in_workspace(self.tr("Saving the data record"), work)
        job.signals.finished.connect(lambda _name: self._saved(dlg))
        return job

    def _saved(self, dlg) -> None:
        dlg.accept()
        self.host.refresh()
        if self.sign_after_save:
            self.host.signing.sign(role="record")

    def show_records(self):
        from app.gui.record_dialog import RecordsDialog
        from app.pipeline.records import records_of

        code = self.host.need_dossier()
        if code is None:
            return None
        rows = []
        for comp, made, signed in records_of(self.host.ws, code):
            art = signed or made
            if art is None:
                continue
            meta = made.meta_dict if made is not None else {}
            when = meta.get("requested_at", "")
            rows.append(
                {
                    "time": _local(when),
                    "service": comp.name.split(": ", 1)[-1].split(" - ")[0],
                    "subject": meta.get("subject", ""),
                    "state": comp.status,
                    "path": str(self.host.ws.blobs.path(art.blob)),
                }
            )
        dlg = RecordsDialog(rows, self.host)
        dlg.compare_requested.connect(lambda chosen: self.compare(chosen, dlg))
        self.records_dialog = dlg
        dlg.open()
        return dlg

    def compare(self, chosen: list[dict], parent=None) -> Job:
        from app.pipeline.records import compare_records

        root = self.host.ws.root
        a, b = chosen[0]["path"], chosen[1]["path"]

        def work(progress, cancel):
            try:
                return compare_records(a, b, root), ""
            except UserError as exc:
                return None, i18n.message(exc)

        job = self.host.start(self.tr("Comparing data records"), work)
        job.signals.finished.connect(lambda res: self._show_comparison(*res, parent=parent))
        return job

    def _show_comparison(self, result, error: str, parent=None) -> None:
        from app.gui.record_dialog import CompareDialog

        if result is None:
            self.host.error(error)
            return
        rows = [(label, c.old, c.new, c.kind) for c, label in result.rows]
        heading = self.tr("{service}: {subject}, {n} changes").format(
            service=result.newer[1].service_name or result.service,
            subject=result.subject,
            n=len(result.changes),
        )
        self.compare_dialog = CompareDialog(
            heading,
            _local(result.older[1].requested_at),
            _local(result.newer[1].requested_at),
            rows,
            parent or self.host,
        )
        self.compare_dialog.open()


def _local(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%d/%m/%Y %H:%M:%S")
    except ValueError:
        return iso

"""`sohoa dossier new|add|show|list|process|sign`: a dossier in the workspace, part by part."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from app.cli.options import (
    json_flag,
    open_token,
    open_workspace,
    parse_grid,
    pin_flags,
    sign_flags,
    sign_options_from,
    token_flags,
)
from app.cli.output import UsageError, out, print_json, progress_printer
from app.cli.remote import remote_flags
from app.config import Settings
from app.i18n import translate
from common.errors import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from app.workspace import Workspace


def register(sub) -> None:
    p = sub.add_parser("dossier", help="dossiers in the workspace")
    dsub = p.add_subparsers(dest="dossier_command", metavar="ACTION", required=True)
    q = dsub.add_parser("new", help="create a dossier")
    q.add_argument("code", nargs="?", help="dossier code (or --code)")
    q.add_argument("--code", dest="code_opt")
    q.add_argument("--procedure", default="")
    q.add_argument("--applicant-name", default="")
    q.add_argument("--applicant-id", default="")
    q.add_argument(
        "--from-scan",
        metavar="FILE",
        help="read the code from a receipt's barcode and the applicant from a chip ID card's QR in FILE",
    )
    json_flag(q)
    q.set_defaults(handler=in_workspace(dossier_new))
    q = dsub.add_parser("add", help="import pages into a component of a dossier")
    q.add_argument("code")
    q.add_argument("files", nargs="+", metavar="FILE")
    q.add_argument("--component", required=True, help="component name, e.g. 'Đơn đề nghị'")
    q.add_argument("--kind", choices=["document", "drawing"], default="document")
    q.add_argument(
        "--grid",
        metavar="ROWSxCOLS",
        help="a drawing scanned in tiles, row by row in this grid (the files in scan order)",
    )
    q.add_argument(
        "--split",
        action="store_true",
        help="one stack for the whole dossier: separator sheets (SOHOA-TACH QR) start the next component",
    )
    json_flag(q)
    q.set_defaults(handler=in_workspace(dossier_add))
    q = dsub.add_parser("show", help="one dossier with its components")
    q.add_argument("code")
    json_flag(q)
    q.set_defaults(handler=in_workspace(dossier_show))
    q = dsub.add_parser("list", help="all dossiers")
    json_flag(q)
    q.set_defaults(handler=in_workspace(dossier_list))
    q = dsub.add_parser("process", help="OCR the components' pages into searchable PDF/A")
    q.add_argument("code")
    q.add_argument("--component", action="append", help="only this component (repeatable)")
    q.add_argument("--jobs", type=int, default=None)
    json_flag(q)
    q.set_defaults(handler=in_workspace(dossier_process))
    q = dsub.add_parser("sign", help="sign, verify and queue the processed components")
    q.add_argument("code")
    q.add_argument("--component", action="append", help="only this component (repeatable)")
    token_flags(q)
    pin_flags(q, required=True)
    sign_flags(q)
    remote_flags(q)
    json_flag(q)
    q.set_defaults(handler=in_workspace(dossier_sign))


def _dossier_dict(ws: Workspace, code: str, *, strict: bool = True) -> dict:
    """The dossier as `dossier show --json` gives it. A catalogue that cannot be read fails the
    command when `strict`, else is reported under `catalog_problem` (the dossier's own facts stand)."""
    from app.pipeline import flagged_pages
    from app.workspace import ArtifactKind

    d = ws.dossier(code)
    comps = []
    for c in ws.components(code):
        pages = ws.pages(c.id)
        # "ocr_pdf" names the part's own PDF as made (a drawing's stitched sheet too; also under
        # "sheet_pdf" for a drawing), "signed_pdf" the last signed one
        made = ws.made_pdf(c.id)
        arts = {"ocr_pdf": made, "signed_pdf": ws.latest_artifact(c.id, ArtifactKind.SIGNED_PDF)}
        if made is not None and made.kind == ArtifactKind.SHEET_PDF:
            arts["sheet_pdf"] = made
        if made is not None and made.kind == ArtifactKind.RECORD_PDF:  # a data record: what it holds
            arts["record_pdf"] = made
        comps.append(
            {
                "name": c.name,
                "kind": c.kind,
                "status": c.status,
                "pages": len(pages),
                "review": [
                    {"page": f.position + 1, "reasons": list(f.reasons), "confidence": f.confidence}
                    for f in flagged_pages(ws, c)
                ],
                **({"drawing": c.meta_dict} if c.kind == "drawing" and c.meta_dict else {}),
                **({"record": made.meta_dict} if c.kind == "record" and made is not None else {}),
                "artifacts": {
                    k: {"sha256": a.blob, "size": a.size, "path": str(ws.blobs.path(a.blob))}
                    for k, a in arts.items()
                    if a is not None
                },
            }
        )
    from app.pipeline import checklist

    needs = checklist(ws, code, strict=strict)
    return {
        **d.__dict__,
        "components": comps,
        "procedure_known": needs.procedure_known,
        "missing": [p.name for p in needs.missing],
        **({"catalog_problem": needs.problem} if needs.problem else {}),
    }


def in_workspace(handler):
    """A `dossier` action run with the workspace open (and closed however it ends)."""

    def run(args: argparse.Namespace) -> int:
        ws, settings = open_workspace()
        with ws:
            return handler(args, ws, settings)

    return run


def dossier_new(args: argparse.Namespace, ws: Workspace, settings: Settings) -> int:
    from app import pipeline

    code = args.code or args.code_opt
    name, id_number = args.applicant_name, args.applicant_id
    if args.from_scan:
        found_code, card = pipeline.codes_from_file(args.from_scan)
        code = code or found_code
        if card is not None:
            name, id_number = name or card.full_name, id_number or card.id_number
    if not code:
        raise UsageError(detail=translate("cli", "Give the dossier code."))
    d = ws.create_dossier(code, procedure=args.procedure, applicant_name=name, applicant_id=id_number)
    shown = _dossier_dict(ws, d.code, strict=False)  # created: a broken catalogue only warns
    if "catalog_problem" in shown:
        print(f"sohoa: {shown['catalog_problem']}", file=sys.stderr)
    return out(args, shown, translate("cli", "Created dossier {code}").format(code=d.code))


def dossier_add(args: argparse.Namespace, ws: Workspace, settings: Settings) -> int:
    from app import pipeline

    if args.split:
        result = pipeline.import_stack(
            ws, args.code, args.component, args.files, kind=args.kind, progress=progress_printer("import")
        )
        added = {name: len(pages) for name, pages in result.pages.items()}
        data = {
            "ok": True,
            "added": sum(added.values()),
            "components": added,
            "separators": result.separators,
            "applicant": result.applicant,
            "dossier": _dossier_dict(ws, args.code),
        }
        text = translate("cli", "Added {n} pages to {k} components").format(
            n=sum(added.values()), k=len(added)
        )
        return out(args, data, text)
    ws.dossier(args.code)
    pages = pipeline.import_into(
        ws,
        args.code,
        args.component,
        args.files,
        kind=args.kind,
        grid=parse_grid(args.grid),
        progress=progress_printer("import"),
    )
    return out(
        args,
        {"ok": True, "added": len(pages), "dossier": _dossier_dict(ws, args.code)},
        translate("cli", "Added {n} pages to {component}").format(n=len(pages), component=args.component),
    )


def dossier_show(args: argparse.Namespace, ws: Workspace, settings: Settings) -> int:
    data = _dossier_dict(ws, args.code)
    if args.json:
        print_json(data)
        return 0
    print(
        f"{data['code']}  {data['procedure']}  {data['applicant_name']} {data['applicant_id']}  [{data['status']}]"
    )
    for c in data["components"]:
        print(f"  - {c['name']} ({c['kind']}): {c['pages']} pages, {c['status']}")
    return 0


def dossier_list(args: argparse.Namespace, ws: Workspace, settings: Settings) -> int:
    rows = [d.__dict__ for d in ws.dossiers()]
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        print(f"{r['code']}\t{r['status']}\t{r['applicant_name']}\t{r['procedure']}")
    return 0


def dossier_process(args: argparse.Namespace, ws: Workspace, settings: Settings) -> int:
    from app import pipeline

    comps = _selected_components(ws, args.code, args.component, "process")
    if args.jobs is not None:
        settings = Settings.from_dict({**settings.to_dict(), "ocr_jobs": args.jobs})
    done = []
    for comp in comps:
        art = pipeline.process_component(ws, comp, settings, progress=progress_printer(comp.name))
        done.append(
            {
                "component": comp.name,
                "sha256": art.blob,
                "size": art.size,
                "path": str(ws.blobs.path(art.blob)),
            }
        )
    return out(
        args,
        {"ok": True, "processed": done},
        translate("cli", "Processed {n} components").format(n=len(done)),
    )


def dossier_sign(args: argparse.Namespace, ws: Workspace, settings: Settings) -> int:
    from app import pipeline

    comps = _selected_components(ws, args.code, args.component, "sign", args.role)
    options = sign_options_from(args, settings)
    if args.remote:
        return _dossier_sign_remote(args, ws, settings, comps, options)
    with open_token(args, settings) as session:
        parts = pipeline.sign_components(
            ws,
            comps,
            session,
            settings,
            cert_label=args.cert,
            options=options,
            trust=args.trust,
            progress=progress_printer("sign"),
        )
    return _signed_out(args, ws, parts)


def _signed_out(args, ws: Workspace, parts, **extra) -> int:
    signed = [
        {
            "component": p.component.name,
            "sha256": p.artifact.blob,
            "path": str(ws.blobs.path(p.artifact.blob)),
            "outbox_id": p.outbox_id,
            "queued": p.newly_queued,
            "verify": p.report.as_dict(),
        }
        for p in parts
    ]
    text = translate("cli", "Signed and queued {n} components").format(n=len(parts))
    return out(args, {"ok": True, **extra, "signed": signed}, text)


def _dossier_sign_remote(args, ws: Workspace, settings: Settings, comps, options) -> int:
    parts, approvals = sign_remotely(args, ws, settings, comps, options)
    return _signed_out(args, ws, parts, provider=args.remote, approvals=approvals)


def sign_remotely(args, ws: Workspace, settings: Settings, comps, options) -> tuple[list, int]:
    """Sign `comps` through the service of --remote: the signed parts and the approvals asked."""
    from app import pipeline
    from app.cli.remote import open_service, pick_credential, remote_codes, tick_printer

    service = open_service(args, settings)
    asked = []
    try:
        cred = pick_credential(service.certificates(args.user_id), args.credential)
        pin, otp = remote_codes(args, service, cred)
        parts = pipeline.sign_components_remote(
            ws,
            comps,
            service,
            cred,
            args.user_id,
            settings,
            options=options,
            trust=args.trust,
            pin=pin,
            otp=otp,
            timeout=args.wait or settings.remote_wait_s,
            progress=progress_printer("sign"),
            on_tick=tick_printer(),
            on_asked=lambda b: asked.append(len(b.transactions)),
        )
    finally:
        service.close()
    return parts, asked[-1] if asked else 0


class NothingToDo(UsageError):
    template = QT_TRANSLATE_NOOP("cli", "Dossier {code} has no component waiting for this step ({step}).")


def _selected_components(
    ws: Workspace, code: str, names: list[str] | None, action: str, role: str = "citizen"
):
    """The named components, or by default those due for `action` (app.pipeline.due decides)."""
    from app.pipeline import due_for

    if names:
        return [ws.component(code, n) for n in names]
    comps = due_for(ws, code, action, role=role)
    if not comps:
        raise NothingToDo(code=code, step=action)
    return comps

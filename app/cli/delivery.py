"""`sohoa outbox` and `sohoa upload`: what waits to be delivered, and delivering it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.options import json_flag, open_workspace
from app.cli.output import out, print_json
from app.i18n import translate


def register(sub) -> None:
    p = sub.add_parser("outbox", help="files waiting to be delivered")
    osub = p.add_subparsers(dest="outbox_command", metavar="ACTION", required=True)
    q = osub.add_parser("list", help="every item and its state")
    json_flag(q)
    q = osub.add_parser("add", help="queue a signed file after verifying it")
    q.add_argument("file")
    q.add_argument("--dossier", required=True)
    q.add_argument("--component", required=True)
    q.add_argument("--trust", action="append", default=[], metavar="CERT.pem")
    json_flag(q)
    q = osub.add_parser("retry", help="put failed items back in the queue")
    json_flag(q)
    q = osub.add_parser("purge", help="delete local copies delivered more than retention_days ago")
    json_flag(q)
    p.set_defaults(handler=cmd_outbox)

    p = sub.add_parser("upload", help="deliver everything due (folder by default)")
    t = p.add_mutually_exclusive_group()
    t.add_argument("--folder", metavar="DIR", help="deliver into this folder")
    t.add_argument("--portal", metavar="URL", help="upload to the central portal")
    json_flag(p)
    p.set_defaults(handler=cmd_upload)


def cmd_outbox(args: argparse.Namespace) -> int:
    from app import pipeline
    from upload import Outbox

    ws, settings = open_workspace()
    with ws:
        if args.outbox_command == "add":
            item_id, created, _report = pipeline.queue_file(
                ws,
                Path(args.file),
                code=args.dossier,
                component_name=args.component,
                settings=settings,
                trust=args.trust,
            )
            return out(
                args,
                {"ok": True, "id": item_id, "created": created},
                translate("cli", "Queued as item {id}").format(id=item_id)
                if created
                else translate("cli", "Already queued as item {id}").format(id=item_id),
            )
        with Outbox(ws.outbox_path) as outbox:
            if args.outbox_command == "purge":
                purged = pipeline.purge_expired(ws, settings, outbox)
                return out(
                    args,
                    {"ok": True, "purged": purged, "retention_days": settings.retention_days},
                    translate("cli", "Local copies of {n} delivered items deleted").format(n=len(purged)),
                )
            if args.outbox_command == "retry":
                n = outbox.requeue_failed()
                return out(
                    args, {"ok": True, "requeued": n}, translate("cli", "{n} items queued again").format(n=n)
                )
            items = [i.as_dict() for i in outbox.items()]
    if args.json:
        print_json(items)
        return 0
    for i in items:
        err = f"  ({i['last_error']})" if i["last_error"] else ""
        print(
            f"{i['id']}\t{i['state']}\t{i['dossier']}\t{i['component']}\t{i['size']}\t{i['sha256'][:12]}{err}"
        )
    return 0


def cmd_upload(args: argparse.Namespace) -> int:
    from app import pipeline

    ws, settings = open_workspace()
    with ws:
        summary = pipeline.upload_due(
            ws,
            settings,
            folder=args.folder,
            portal=args.portal,
            progress=None,
            on_status=_transfer_status() if not args.json else None,
        )
    data = {"ok": not (summary.failed or summary.retrying), **summary.as_dict()}
    if args.json:
        print_json(data)
    else:
        print(
            translate("cli", "Delivered {n} files to {target}").format(
                n=len(summary.delivered) + len(summary.recovered), target=summary.target
            )
        )
        for item_id, message in summary.failed.items():
            print(
                translate("cli", "Failed (needs attention): #{id} {message}").format(
                    id=item_id, message=message
                )
            )
        for item_id, message in summary.retrying.items():
            print(
                translate("cli", "Still queued, will retry: #{id} {message}").format(
                    id=item_id, message=message
                )
            )
    if summary.stopped:
        print("sohoa: " + summary.stopped, file=sys.stderr)
    return 0 if data["ok"] else 6


def _transfer_status():
    """Items, megabytes and time left on one stderr line (only on a terminal)."""
    if not sys.stderr.isatty():
        return None

    def show(status) -> None:
        mb = 1024 * 1024
        eta = ""
        if status.eta_s is not None:
            minutes, seconds = divmod(int(status.eta_s), 60)
            eta = " - " + translate("cli", "{m} min {s} s left").format(m=minutes, s=seconds)
        print(
            f"\r{status.items_done}/{status.items_total} - {status.bytes_done / mb:.1f}/{status.bytes_total / mb:.1f} MB{eta}   ",
            end="",
            file=sys.stderr,
            flush=True,
        )

    return show

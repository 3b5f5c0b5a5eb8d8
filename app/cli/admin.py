"""`sohoa doctor`, `sohoa audit` and `sohoa portal`: the workstation's own state."""

from __future__ import annotations

import argparse

from app.cli.options import current_settings, json_flag, open_workspace
from app.cli.output import UsageError, local_time, print_json
from app.i18n import translate


def register(sub) -> None:
    p = sub.add_parser("doctor", help="check Tesseract, token drivers, scanners and the workspace")
    json_flag(p)
    p.set_defaults(handler=cmd_doctor)

    p = sub.add_parser("audit", help="the audit trail: who captured, signed, queued, sent and purged what")
    asub = p.add_subparsers(dest="audit_command", required=True)
    q = asub.add_parser("verify", help="check that no entry was changed or deleted (exit 1 if one was)")
    json_flag(q)
    q = asub.add_parser("list", help="the latest entries, newest first")
    q.add_argument("--limit", type=int, default=50)
    json_flag(q)
    p.set_defaults(handler=cmd_audit)

    p = sub.add_parser("portal", help="the central portal's credentials")
    psub = p.add_subparsers(dest="portal_command", metavar="ACTION", required=True)
    q = psub.add_parser("set-credentials", help="keep the client secret in the system keyring")
    q.add_argument("--client-id", required=True)
    q.add_argument("--secret-stdin", action="store_true", help="read the secret from the first line of stdin")
    p.set_defaults(handler=cmd_portal)


def cmd_doctor(args: argparse.Namespace) -> int:
    from app.doctor import format_report, run_doctor
    from app.signsetup import known_modules

    settings, sources = current_settings()
    report, ok = run_doctor(settings, sources, known_modules(settings))
    if args.json:
        print_json(report)
    else:
        print(format_report(report))
    return 0 if ok else 1


def cmd_audit(args: argparse.Namespace) -> int:
    ws, _ = open_workspace()
    with ws:
        if args.audit_command == "verify":
            check = ws.verify_audit()
            if args.json:
                print_json({"ok": check.ok, "entries": check.entries, "problems": check.problems})
            else:
                if check.ok:
                    print(translate("cli", "Audit trail intact: {n} entries.").format(n=check.entries))
                else:
                    print(translate("cli", "The audit trail was tampered with:"))
                    for problem in check.problems:
                        print(f"  - {problem}")
            return 0 if check.ok else 1
        rows = ws.events(limit=args.limit)
        if args.json:
            print_json(rows)
        else:
            for r in rows:
                print(f"{r['id']}\t{local_time(r['at'])}\t{r['actor']}\t{r['action']}\t{r['subject']}")
        return 0


def cmd_portal(args: argparse.Namespace) -> int:
    from app.cli.options import read_secret
    from app.credentials import store_secret

    if args.portal_command == "set-credentials":
        secret = read_secret(args, translate("cli", "Client secret: "))
        store_secret(args.client_id, secret)
        del secret
        print(
            translate(
                "cli", "Secret of {client} stored in the system keyring. Set portal_client_id to {client}."
            ).format(client=args.client_id)
        )
        return 0
    raise UsageError(detail=f"unknown action {args.portal_command}")

"""Remote signing on the command line: `--remote PROVIDER --user-id ID` beside the token flags, and
`sohoa remote set-credentials` for the counter's service account.

Exit codes of a remote signature: 10 the signer refused, 11 the request expired, 12 the service
failed (5 as for tokens: no certificate for that ID, an expired or revoked certificate).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time

from app.cli.output import UsageError, print_json
from app.i18n import translate


def remote_flags(p: argparse.ArgumentParser, *, sign: bool = True) -> None:
    p.add_argument(
        "--remote",
        metavar="PROVIDER",
        help="sign through a remote signing service (csc, vnpt-smartca, neac; default: the token)",
    )
    p.add_argument("--user-id", metavar="ID", help="the signer's CCCD number or account at that service")
    p.add_argument(
        "--service-url", metavar="URL", help="the service's address (default: settings, catalogue)"
    )
    if sign:
        p.add_argument(
            "--credential",
            metavar="ID",
            help="which of the signer's certificates (default: the only valid one)",
        )
        p.add_argument(
            "--wait",
            type=float,
            metavar="SECONDS",
            help="how long the signer has to approve (default: settings)",
        )
        p.add_argument(
            "--otp-env",
            metavar="VAR",
            help="the one-time code, when the service asks for one, from this environment variable",
        )
        p.add_argument(
            "--otp-stdin",
            action="store_true",
            help="read the one-time code from the next line of stdin (after the PIN with --pin-stdin)",
        )


def open_service(args: argparse.Namespace, settings):
    from app.remotesetup import remote_service

    if not args.user_id:
        raise UsageError(
            detail=translate("cli", "--remote needs --user-id (the signer's CCCD number or account).")
        )
    return remote_service(settings, args.remote, args.service_url)


def pick_credential(creds, wanted: str | None):
    """The certificate to sign with: the one named, or the only valid one."""
    if wanted:
        for c in creds:
            if wanted in (c.credential_id, c.info.serial, c.info.serial.lower()):
                return c
        raise UsageError(detail=translate("cli", "No certificate {id} for this signer.").format(id=wanted))
    valid = [c for c in creds if not c.info.expired] or creds
    if len(valid) > 1:
        listed = "; ".join(f"{c.credential_id} ({c.info.holder}, {c.info.issuer})" for c in valid)
        raise UsageError(
            detail=translate(
                "cli", "The signer has several certificates: pass --credential ({list})."
            ).format(list=listed)
        )
    return valid[0]


def remote_codes(args: argparse.Namespace, service, credential) -> tuple[str | None, str | None]:
    """The PIN and the one-time code the certificate asks for: from --pin-env / --pin-stdin and
    --otp-env / --otp-stdin, or typed unseen at a prompt. An online code is sent to the signer first.
    Neither is echoed, logged or kept."""
    from app.cli.options import read_pin
    from signing.errors import RemoteOtpNeeded, RemotePinNeeded

    args.pin_required = False
    pin, _ = read_pin(args)
    if credential.asks_pin and not pin:
        if not sys.stdin.isatty():
            raise RemotePinNeeded(service=service.name)
        pin = getpass.getpass(translate("cli", "PIN of the signer's certificate: "))
    otp = None
    if credential.asks_otp:
        if credential.asks_otp == "online":
            service.send_otp(credential)
            print(translate("cli", "A one-time code was sent to the signer."), file=sys.stderr, flush=True)
        if args.otp_env:
            otp = os.environ.get(args.otp_env) or None
        elif args.otp_stdin:
            otp = sys.stdin.readline().rstrip("\r\n") or None
        elif sys.stdin.isatty():
            otp = getpass.getpass(translate("cli", "One-time code: ")) or None
        if not otp:
            raise RemoteOtpNeeded(service=service.name)
    return pin, otp


def tick_printer():
    """Tells, on stderr, that the signer is to approve on their phone and how long is left."""
    last = [0.0]

    def tick(state, seconds_left: float) -> None:
        now = time.monotonic()
        if now - last[0] >= 10:
            last[0] = now
            minutes, seconds = divmod(int(seconds_left), 60)
            print(
                translate("cli", "Waiting for approval on the signer's phone ({m}:{s:02d} left)").format(
                    m=minutes, s=seconds
                ),
                file=sys.stderr,
                flush=True,
            )

    return tick


def cmd_remote_tokens(args: argparse.Namespace, settings) -> int:
    service = open_service(args, settings)
    try:
        creds = service.certificates(args.user_id)
    finally:
        service.close()
    if args.json:
        print_json(
            {
                "ok": True,
                "provider": args.remote,
                "user_id": args.user_id,
                "certificates": [c.as_dict() for c in creds],
            }
        )
        return 0
    print(f"{service.name} - {args.user_id}")
    for c in creds:
        state = translate("cli", "EXPIRED") if c.info.expired else translate("cli", "valid")
        ident = f" ({c.info.citizen_id})" if c.info.citizen_id else ""
        print(
            f"  {c.info.holder}{ident} - {c.info.issuer} - {state} "
            f"{c.info.not_before.date()}..{c.info.not_after.date()} [{c.credential_id}]"
        )
    return 0


def register(sub) -> None:
    p = sub.add_parser("remote", help="the counter's account at a remote signing service")
    rsub = p.add_subparsers(dest="remote_cmd", required=True)
    q = rsub.add_parser("set-credentials", help="keep the service account's secret in the system keyring")
    q.add_argument("--provider", required=True)
    q.add_argument("--account", required=True, help="the counter's account (sp_id, client ID) at the service")
    q.add_argument("--secret-stdin", action="store_true", help="read the secret from the first line of stdin")
    q.set_defaults(handler=cmd_set_credentials)
    q = rsub.add_parser("pending", help="remote signing requests still waiting for a signer's phone")
    q.add_argument("--json", action="store_true", help="print machine-readable JSON on stdout")
    q.set_defaults(handler=cmd_pending)
    q = rsub.add_parser(
        "resume", help="poll the waiting requests again: finish them, or end them and say why"
    )
    q.add_argument(
        "--service-url", metavar="URL", help="the service's address (default: settings, catalogue)"
    )
    q.add_argument(
        "--trust", action="append", default=[], metavar="CERT.pem", help="trusted root (repeatable)"
    )
    q.add_argument("--cancel", metavar="ID", help="end this request instead: nothing of it is signed")
    q.add_argument("--json", action="store_true", help="print machine-readable JSON on stdout")
    q.set_defaults(handler=cmd_resume)


def _pending_rows(ws) -> list[dict]:
    from signing.remote import RemoteBatch

    rows = []
    for row in ws.remote_requests():
        batch = RemoteBatch.from_json(row["batch"])
        rows.append(
            {
                "id": row["id"],
                "dossier": ws.dossier_by_id(row["dossier_id"]).code,
                "components": [ws.component_by_id(i).name for i in row["components"]],
                "provider": row["provider"],
                "role": row["role"],
                "user_id": batch.user_id,
                "approvals": len(batch.transactions),
                "expires_at": batch.expires_at,
                "created_at": row["created_at"],
            }
        )
    return rows


def cmd_pending(args: argparse.Namespace) -> int:
    from app.cli.options import open_workspace

    ws, _ = open_workspace()
    with ws:
        rows = _pending_rows(ws)
    if args.json:
        print_json({"ok": True, "pending": rows})
    for r in [] if args.json else rows:
        print(f"{r['id']}  {r['dossier']}  {r['provider']}  {r['user_id']}  {', '.join(r['components'])}")
    return 0


def cmd_resume(args: argparse.Namespace) -> int:
    from app import pipeline
    from app.cli.options import open_workspace
    from app.remotesetup import remote_service

    ws, settings = open_workspace()
    with ws:
        if args.cancel:
            pipeline.cancel_remote(ws, args.cancel)
            outcomes = []
        else:
            outcomes = pipeline.resume_remote(
                ws,
                settings,
                lambda provider: remote_service(settings, provider, args.service_url),
                trust=args.trust,
                on_tick=tick_printer(),
            )
        result = [
            {
                "id": o.request_id,
                "dossier": o.dossier,
                "state": o.state,
                "message": o.message,
                "signed": [p.component.name for p in o.parts],
            }
            for o in outcomes
        ]
    if args.json:
        print_json({"ok": True, "requests": result})
    for r in [] if args.json else result:
        print(f"{r['id']} {r['dossier']}: {r['state']} {r['message']}".rstrip())
    return 0


def cmd_set_credentials(args: argparse.Namespace) -> int:
    from app.cli.options import current_settings, read_secret
    from app.config import Settings, save_user_settings
    from app.paths import workspace_dir
    from app.remotesetup import store_service_secret

    secret = read_secret(args, translate("cli", "Service secret: "))
    store_service_secret(args.provider, args.account, secret)
    del secret
    settings, _ = current_settings()
    updated = {**settings.to_dict(), "remote_account": args.account}
    if not settings.remote_provider:
        updated["remote_provider"] = args.provider
    updated.pop("locked", None)
    save_user_settings(workspace_dir(), Settings.from_dict(updated))
    print(
        translate("cli", "The secret for {account} at {provider} is in the system keyring.").format(
            account=args.account, provider=args.provider
        )
    )
    return 0

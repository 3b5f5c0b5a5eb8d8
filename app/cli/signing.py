"""`sohoa tokens`, `sign` and `verify`: PAdES signatures on a token, and their validation."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.options import (
    current_settings,
    json_flag,
    open_token,
    pin_flags,
    read_pin,
    sign_flags,
    sign_options_from,
    token_flags,
    trust_roots,
)
from app.cli.output import UsageError, local_time, print_json, progress_printer
from app.cli.remote import remote_flags
from app.config import load_settings
from app.i18n import translate
from app.paths import workspace_dir
from common.errors import QT_TRANSLATE_NOOP


def register(sub) -> None:
    p = sub.add_parser("tokens", help="tokens and certificates on a PKCS#11 module")
    p.add_argument("--module", help="PKCS#11 module (default: every known driver found)")
    p.add_argument("--token", help="only the token with this label (needed with a PIN when several are in)")
    pin_flags(p, required=False)
    remote_flags(p, sign=False)
    json_flag(p)
    p.set_defaults(handler=cmd_tokens)

    p = sub.add_parser("sign", help="PAdES-sign PDFs with a token (one login for all)")
    p.add_argument("inputs", nargs="+", metavar="IN.pdf")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("-o", "--output", metavar="OUT.pdf")
    out.add_argument("--out-dir", metavar="DIR")
    token_flags(p)
    pin_flags(p, required=True)
    sign_flags(p)
    remote_flags(p)
    json_flag(p)
    p.set_defaults(handler=cmd_sign)

    p = sub.add_parser("verify", help="validate every signature of a PDF")
    p.add_argument("pdf", metavar="PDF")
    p.add_argument(
        "--trust", action="append", default=[], metavar="CERT.pem", help="trusted root (repeatable)"
    )
    p.add_argument(
        "--online",
        action="store_true",
        help="fetch revocation data from the CA (default: embedded data only)",
    )
    json_flag(p)
    p.set_defaults(handler=cmd_verify)


def cmd_tokens(args: argparse.Namespace) -> int:
    from app.signsetup import known_modules
    from signing import list_tokens

    settings, _ = current_settings()
    if args.remote:
        from app.cli.remote import cmd_remote_tokens

        return cmd_remote_tokens(args, settings)
    modules = [args.module] if args.module else [m.path for m in known_modules(settings)]
    pin, _ = read_pin(args)
    out = []
    for module in modules:
        tokens = list_tokens(module, pin=pin, token_label=args.token)
        out.append({"module": module, "tokens": [t.as_dict() for t in tokens]})
    if args.json:
        print_json({"ok": True, "modules": out})
        return 0
    if not modules:
        print(translate("cli", "No token driver found. Pass --module or install your CA's driver."))
    for entry in out:
        print(entry["module"])
        if not entry["tokens"]:
            print("  " + translate("cli", "(no token plugged in)"))
        for tok in entry["tokens"]:
            notes = [
                text
                for flag, text in (
                    ("pin_pad", translate("cli", "PIN pad")),
                    ("pin_count_low", translate("cli", "few PIN tries left")),
                    ("pin_final_try", translate("cli", "one PIN try left")),
                    ("pin_locked", translate("cli", "PIN LOCKED")),
                )
                if tok[flag]
            ]
            extra = f" ({', '.join(notes)})" if notes else ""
            print(f"  [{tok['label']}] {tok['manufacturer']} {tok['model']} #{tok['serial']}{extra}")
            for cert in tok["certificates"]:
                if not cert["can_sign"]:
                    continue
                state = translate("cli", "EXPIRED") if cert["expired"] else translate("cli", "valid")
                ident = f" ({cert['citizen_id']})" if cert["citizen_id"] else ""
                print(
                    f"    {cert['holder']}{ident} - {cert['issuer']} - {state} "
                    f"{cert['not_before'][:10]}..{cert['not_after'][:10]} [{cert['label']}]"
                )
    return 0


def cmd_sign(args: argparse.Namespace) -> int:
    from signing import sign_pdfs

    settings, _ = current_settings()
    inputs = [Path(p) for p in args.inputs]
    if args.output and len(inputs) > 1:
        raise UsageError(detail=translate("cli", "Several inputs need --out-dir, not -o."))
    for p in inputs:
        if not p.is_file():
            raise UsageError(detail=translate("cli", "{name} does not exist.").format(name=p))
    if args.output:
        pairs = [(inputs[0], Path(args.output))]
    else:
        out_dir = Path(args.out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        pairs = [(p, out_dir / p.name) for p in inputs]
    options = sign_options_from(args, settings)
    roots = trust_roots(settings, args.trust)
    approvals = None
    if args.remote:
        results, approvals = _sign_remote(args, settings, pairs, options, roots)
    else:
        with open_token(args, settings) as session:
            results = sign_pdfs(
                session, args.cert, pairs, options, trust_roots=roots, progress=progress_printer("sign")
            )
    if args.json:
        extra = {"provider": args.remote, "approvals": approvals} if args.remote else {}
        print_json(
            {
                "ok": True,
                **extra,
                "level": options.level,
                "role": options.role,
                "signed": [
                    {
                        "input": str(r.input),
                        "output": str(r.output),
                        "field": r.field,
                        "signer": r.signer,
                        "size_bytes": r.size_bytes,
                    }
                    for r in results
                ],
            }
        )
    else:
        for r in results:
            print(translate("cli", "Signed {output} ({signer})").format(output=r.output, signer=r.signer))
    return 0


def _sign_remote(args, settings, pairs, options, roots):
    """Sign `pairs` through the remote service: one approval per batch the service allows."""
    import tempfile

    from app.cli.remote import open_service, pick_credential, remote_codes, tick_printer
    from signing.remote import sign_remote

    service = open_service(args, settings)
    asked = []
    try:
        cred = pick_credential(service.certificates(args.user_id), args.credential)
        pin, otp = remote_codes(args, service, cred)
        with tempfile.TemporaryDirectory(prefix="sohoa-remote-") as tmp:
            results = sign_remote(
                service,
                cred,
                args.user_id,
                pairs,
                options,
                Path(tmp) / "prepared",
                pin=pin,
                otp=otp,
                timeout=args.wait or settings.remote_wait_s,
                trust_roots=roots,
                progress=progress_printer("sign"),
                on_recorded=lambda b: asked.append(len(b.transactions)),
                on_tick=tick_printer(),
            )
    finally:
        service.close()
    return results, asked[-1] if asked else 0


_REVOCATION_STATES = (
    QT_TRANSLATE_NOOP("cli", "good"),
    QT_TRANSLATE_NOOP("cli", "revoked"),
    QT_TRANSLATE_NOOP("cli", "unknown"),
    QT_TRANSLATE_NOOP("cli", "not checked"),
)


def cmd_verify(args: argparse.Namespace) -> int:
    from signing import verify_pdf

    settings, _ = load_settings(workspace_dir())
    roots = trust_roots(settings, args.trust)
    report = verify_pdf(args.pdf, roots, online=args.online)
    if args.json:
        print_json(report.as_dict())
    else:
        if not report.signatures:
            print(translate("cli", "{name}: no signature").format(name=args.pdf))
        for s in report.signatures:
            verdict = translate("cli", "VALID") if s.ok else translate("cli", "NOT VALID")
            kind = translate("cli", "timestamp") if s.kind == "document timestamp" else ""
            print(
                f"{s.field}: {verdict} - {kind + ' ' if kind else ''}{s.signer}"
                + (f" ({s.citizen_id})" if s.citizen_id else "")
            )
            if s.signing_time:
                print("  " + translate("cli", "signing time: {time}").format(time=local_time(s.signing_time)))
            if s.timestamp:
                print("  " + translate("cli", "timestamp: {time}").format(time=local_time(s.timestamp)))
            print("  " + translate("cli", "revocation: {state}").format(state=translate("cli", s.revocation)))
            for problem in s.problem_messages(translate):
                print(f"  - {problem}")
    return 0 if report.ok else 1

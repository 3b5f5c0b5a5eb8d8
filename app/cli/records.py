"""`sohoa record`: data records. `fetch` asks a data service, `add` takes an answer the clerk saved;
both print it as a PDF/A-3 with the raw answer embedded, add it to the dossier and have it signed
(B-LTA by default) by the official's token or remote signing service, verified and queued.
`verify` checks a record's signature and its answer against the hash on its page; `diff` shows
what changed between two records of one subject.

Exit codes: 1 a record that does not hold (verify), 2 usage (and two records of different
subjects), 9 the data service failed or answered something unusable, 5 signing, as for `sign`.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from app.cli.dossier import in_workspace
from app.cli.options import json_flag, pin_flags, read_secret, sign_flags, token_flags
from app.cli.output import UsageError, out, print_json
from app.cli.remote import remote_flags
from app.i18n import translate


def register(sub) -> None:
    p = sub.add_parser("record", help="data records: a data service's answer kept signed in a dossier")
    rsub = p.add_subparsers(dest="record_cmd", required=True, metavar="ACTION")

    q = rsub.add_parser("fetch", help="ask a data service and keep its answer as a signed record")
    q.add_argument("--service", required=True, help="the data service (population, land, ...)")
    q.add_argument(
        "--query", action="append", default=[], metavar="KEY=VALUE", help="what to ask (repeatable)"
    )
    q.add_argument("--dossier", required=True, metavar="CODE")
    q.add_argument("-o", "--out", metavar="OUT.pdf", help="also write a copy of the signed record here")
    q.add_argument("--data-url", metavar="URL", help="the data service's address (default: catalogue)")
    _signing(q)
    q.set_defaults(handler=in_workspace(record_fetch))

    q = rsub.add_parser("add", help="keep an answer saved from the service (JSON or XML) as a signed record")
    q.add_argument("file", metavar="FILE")
    q.add_argument("--service", required=True)
    q.add_argument("--dossier", required=True, metavar="CODE")
    q.add_argument("-o", "--out", metavar="OUT.pdf", help="also write a copy of the signed record here")
    _signing(q)
    q.set_defaults(handler=in_workspace(record_add))

    q = rsub.add_parser("verify", help="check a record's signature and embedded answer, print its data")
    q.add_argument("file", metavar="FILE")
    q.add_argument(
        "--trust", action="append", default=[], metavar="CERT.pem", help="trusted root (repeatable)"
    )
    json_flag(q)
    q.set_defaults(handler=record_verify)

    q = rsub.add_parser("diff", help="what changed between two records of one subject, field by field")
    q.add_argument("a", metavar="A")
    q.add_argument("b", metavar="B")
    json_flag(q)
    q.set_defaults(handler=record_diff)

    q = rsub.add_parser("set-credentials", help="keep a data service's API key in the system keyring")
    q.add_argument("--service", required=True)
    q.add_argument("--secret-stdin", action="store_true", help="read the key from the first line of stdin")
    json_flag(q)
    q.set_defaults(handler=record_set_credentials)


def _signing(q: argparse.ArgumentParser) -> None:
    token_flags(q)
    pin_flags(q, required=True)
    sign_flags(q, roles=False)
    remote_flags(q)
    json_flag(q)


def _queries(items: list[str]) -> dict[str, str]:
    query = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(detail=translate("cli", "--query takes KEY=VALUE, not {item}").format(item=item))
        query[key.strip()] = value.strip()
    return query


def record_fetch(args, ws, settings) -> int:
    from app.pipeline import records

    answer, facts, entry = records.lookup(
        ws, settings, args.dossier, args.service, _queries(args.query), url=args.data_url
    )
    made = records.make_record(ws, args.dossier, answer, facts, entry)
    return _sign_and_say(args, ws, settings, made)


def record_add(args, ws, settings) -> int:
    from app.pipeline import records

    answer, facts, entry = records.saved_answer(ws, settings, args.dossier, args.service, Path(args.file))
    made = records.make_record(ws, args.dossier, answer, facts, entry)
    return _sign_and_say(args, ws, settings, made)


def _sign_and_say(args, ws, settings, made) -> int:
    """Sign the new record (it stays in the dossier, unsigned, if signing fails) and report it."""
    from app import pipeline
    from app.cli.dossier import sign_remotely
    from app.cli.options import open_token
    from app.cli.output import progress_printer
    from app.pipeline.records import record_options

    try:
        options = record_options(
            settings, level=args.level, tsa_url=args.tsa, stamp=args.stamp, location=args.location,
            agency=args.agency, reason=args.reason or None,
        )  # fmt: skip
    except ValueError as exc:
        raise UsageError(detail=str(exc)) from exc
    try:
        if args.remote:
            sign_remotely(args, ws, settings, [made.component], options)
        else:
            with open_token(args, settings) as session:
                pipeline.sign_components(
                    ws, [made.component], session, settings, cert_label=args.cert, options=options,
                    trust=args.trust, progress=progress_printer("sign"),
                )  # fmt: skip
    except BaseException:
        print(
            translate(
                "cli",
                "The record was kept in dossier {code}, not signed: sign it with `sohoa dossier sign {code} "
                "--role record`.",
            ).format(code=args.dossier),
            file=sys.stderr,
        )
        raise
    from app.workspace import ArtifactKind

    signed = ws.latest_artifact(made.component.id, ArtifactKind.SIGNED_PDF)
    path = ws.blobs.path(signed.blob)
    if args.out:
        shutil.copyfile(path, args.out)
    data = {
        "ok": True,
        "dossier": args.dossier,
        "component": made.component.name,
        "service": made.facts.service,
        "subject": made.subject,
        "request_id": made.facts.request_id,
        "requested_at": made.facts.requested_at,
        "answer_sha256": made.answer.sha256,
        "answer_bytes": len(made.answer.raw),
        "record": str(path),
        "record_sha256": signed.blob,
        "out": args.out,
        "queued": ws.component_by_id(made.component.id).status == "queued",
    }
    text = translate("cli", "Data record {name} signed and queued in dossier {code}").format(
        name=made.component.name, code=args.dossier
    )
    return out(args, data, text)


def record_verify(args) -> int:
    from app.cli.options import current_settings, trust_roots
    from app.paths import workspace_dir
    from app.pipeline.records import check_record

    settings, _ = current_settings()
    check = check_record(Path(args.file), trust_roots(settings, args.trust), workspace_dir())
    if args.json:
        print_json(check.as_dict())
    else:
        sig = translate("cli", "valid") if check.signature_ok else translate("cli", "NOT VALID")
        same = translate("cli", "matches") if check.hash_ok else translate("cli", "DOES NOT MATCH")
        print(translate("cli", "Signature: {state}").format(state=sig))
        print(
            translate("cli", "Embedded answer {name}: SHA-256 {sha}, {state} the hash on the page").format(
                name=check.answer_name, sha=check.raw_sha256, state=same
            )
        )
        print(f"{check.facts.service_name} - {check.facts.requested_at} - {check.facts.request_id}")
        for _path, label, value in check.fields:
            print(f"  {label}: {value}")
    return 0 if check.ok else 1


def record_diff(args) -> int:
    from app.paths import workspace_dir
    from app.pipeline.records import compare_records

    result = compare_records(Path(args.a), Path(args.b), workspace_dir())
    if args.json:
        print_json(result.as_dict())
        return 0
    print(
        translate("cli", "{service} {subject}: {old} -> {new}, {n} changes").format(
            service=result.service,
            subject=result.subject,
            old=result.older[1].requested_at,
            new=result.newer[1].requested_at,
            n=len(result.changes),
        )
    )
    marks = {"added": "+", "removed": "-", "changed": "~"}
    for change, label in result.changes:
        old = "" if change.old is None else change.old
        new = "" if change.new is None else change.new
        print(
            f"{marks[change.kind]} {label}: {old} -> {new}"
            if change.kind == "changed"
            else f"{marks[change.kind]} {label}: {old or new}"
        )
    return 0


def record_set_credentials(args) -> int:
    from app.dataservices import store_api_key
    from app.paths import workspace_dir

    key = read_secret(args, translate("cli", "API key: "))
    store_api_key(args.service, key, workspace_dir())
    return out(
        args, {"ok": True, "service": args.service}, translate("cli", "API key kept in the system keyring")
    )

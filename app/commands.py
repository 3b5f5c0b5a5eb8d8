"""What each `sohoa` verb does: compose the libraries and print results (text or --json)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import Settings, load_settings
from app.i18n import translate
from app.paths import workspace_dir
from app.signsetup import known_modules, sign_options, trust_folders
from common.errors import QT_TRANSLATE_NOOP, UserError

if TYPE_CHECKING:
    from app.workspace import Workspace


class UsageError(UserError):
    context = "cli"
    template = QT_TRANSLATE_NOOP("cli", "{detail}")
    exit_code = 2


class PinNeeded(UsageError):
    template = QT_TRANSLATE_NOOP(
        "cli",
        "A PIN is needed: pass --pin-stdin or --pin-env VAR (never the PIN itself on the command line).",
    )


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _progress(label: str):
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        print(f"\r{label} {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    return show


def _settings() -> tuple[Settings, dict[str, str]]:
    return load_settings(workspace_dir())


def _workspace() -> tuple[Workspace, Settings]:
    from app.workspace import Workspace

    root = workspace_dir()
    settings, _ = load_settings(root)
    return Workspace(root), settings


def read_pin(args: argparse.Namespace, token_info=None) -> tuple[str | None, bool]:
    """(PIN, use PIN pad). The PIN is never echoed, logged or kept beyond the session.

    With the token's flags at hand (`token_info`), a token with a PIN pad needs no PIN here, and
    the prompt warns when only one try is left.
    """
    if getattr(args, "pin_pad", False):
        return None, True
    if getattr(args, "pin_env", None):
        value = os.environ.get(args.pin_env)
        if not value:
            raise UsageError(
                detail=translate("cli", "Environment variable {var} is empty or not set.").format(
                    var=args.pin_env
                )
            )
        return value, False
    if getattr(args, "pin_stdin", False):
        line = sys.stdin.readline()
        pin = line.rstrip("\r\n")
        if not pin:
            raise PinNeeded()
        return pin, False
    if token_info is not None and token_info.protected_auth:
        print(translate("cli", "Enter the PIN on the token's own keypad."), file=sys.stderr)
        return None, True
    if not args.pin_required:
        return None, False
    if sys.stdin.isatty():
        if token_info is not None and token_info.pin_final_try:
            print(
                translate("cli", "Warning: only one try is left before the token locks itself."),
                file=sys.stderr,
            )
        return getpass.getpass(translate("cli", "Token PIN: ")), False
    raise PinNeeded()


# -- doctor -----------------------------------------------------------------------------------
def cmd_doctor(args: argparse.Namespace) -> int:
    from app.doctor import format_report, run_doctor

    settings, sources = _settings()
    report, ok = run_doctor(settings, sources, known_modules(settings))
    if args.json:
        _print_json(report)
    else:
        print(format_report(report))
    return 0 if ok else 1


# -- capture ----------------------------------------------------------------------------------
def cmd_devices(args: argparse.Namespace) -> int:
    from scanner.sane import list_devices

    devices = list_devices()
    if args.json:
        _print_json({"ok": True, "devices": [d.as_dict() for d in devices]})
        return 0
    if not devices:
        print(
            translate("cli", "No scanner found. Check that it is switched on and connected (USB or network).")
        )
    for d in devices:
        print(f"{d.name}\t{d.label}\t{d.kind}")
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    import threading

    from app.pipeline import saved_scanner
    from scanner.sane import ScanProfile, find_device, scan

    settings, _ = _settings()
    try:
        profile = ScanProfile(
            resolution=args.resolution or settings.scan_resolution,
            mode=args.mode or settings.scan_mode,
            source=args.source or settings.scan_source,
            page_size=args.page_size,
            pages=args.pages,
        )
    except ValueError as exc:
        raise UsageError(detail=str(exc)) from exc
    device = find_device(args.device) if args.device else saved_scanner(settings)
    if args.save_profile or (settings.scan_device and device.name != settings.scan_device):
        import dataclasses

        from app.config import save_user_settings

        save_user_settings(  # remember it, under its new SANE id if it changed
            workspace_dir(),
            dataclasses.replace(
                settings,
                scan_device=device.name,
                scan_device_label=f"{device.vendor}\t{device.model}",
                scan_backend=device.backend,
                scan_resolution=profile.resolution,
                scan_mode=profile.mode,
                scan_source=profile.source,
            ),
        )
    cancel = threading.Event()
    pages = []
    try:
        for page in scan(device.name, profile, args.out_dir, progress=_progress("scan"), cancel=cancel):
            pages.append({"path": str(page.path), "index": page.index, "dpi": page.dpi})
            if not args.json:
                print(translate("cli", "Scanned {path}").format(path=page.path))
    except KeyboardInterrupt:
        cancel.set()
    if args.json:
        _print_json({"ok": True, "device": device.as_dict(), "pages": pages})
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    import time

    from app import pipeline
    from scanner.watch import FolderWatcher

    ws, _ = _workspace()
    results = []
    with ws:
        ws.dossier(args.dossier)  # a clear message now if the dossier does not exist
        watcher = FolderWatcher(args.folder, ws.root / "watch-ledger.sqlite", stable_s=args.stable)

        def handler(path, sha, _retry) -> None:
            pipeline.import_watched(ws, args.dossier, args.component, path, sha)

        try:
            while True:
                watcher.ready()
                time.sleep(args.stable + 0.1)
                for r in watcher.process(handler):
                    results.append(
                        {"file": r.name, "outcome": r.outcome, "moved_to": str(r.path), "detail": r.detail}
                    )
                    if not args.json:
                        print(f"{r.outcome}\t{r.name}\t{r.detail}")
                if args.once:
                    break
        except KeyboardInterrupt:
            pass
        finally:
            watcher.close()
    if args.json:
        _print_json({"ok": True, "files": results})
    return 0


def cmd_cleanup(args: argparse.Namespace) -> int:
    from PIL import Image

    from common.atomic import atomic_output
    from scanner.cleanup import analyse_page, apply
    from scanner.importer import iter_file_pages, page_array

    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for path in args.inputs:
        for page in iter_file_pages(path):
            image = page_array(page)
            found = analyse_page(image, page.dpi, osd=not args.no_osd)
            cleaned = apply(image, found)
            dest = out_dir / f"{Path(path).stem}-{page.index + 1:03d}.png"
            with atomic_output(dest) as fh:
                Image.fromarray(cleaned).save(fh, "PNG", dpi=(page.dpi, page.dpi))
            results.append({"file": path, "page": page.index + 1, "output": str(dest), **found.as_dict()})
    if args.json:
        _print_json({"ok": True, "pages": results})
        return 0
    for r in results:
        flags = " ".join(
            f
            for f, on in ((translate("cli", "BLANK?"), r["blank"]), (translate("cli", "colour"), r["colour"]))
            if on
        )
        print(f"{r['output']}\t{r['rotation_deg']}°\t{r['skew_deg']:+.2f}°\t{flags}")
    return 0


def _codes_from_camera(args: argparse.Namespace) -> int:
    from scanner.camera import read_from_camera

    read = read_from_camera(args.camera, want="card", timeout_s=args.timeout)
    if args.json:
        _print_json({"ok": read.card is not None, **read.as_dict()})
    elif read.card is None:
        print(
            translate("cli", "No ID card QR code was seen in {seconds} s.").format(
                seconds=round(read.seconds)
            )
        )
    else:
        c = read.card
        print(f"{c.id_number}\t{c.full_name}\t{c.date_of_birth}\t{c.sex}\t{c.address}\t{c.issue_date}")
    return 0 if read.card is not None else 1


def cmd_codes(args: argparse.Namespace) -> int:
    from scanner.codes import read_codes
    from scanner.importer import iter_file_pages, page_array

    if args.camera is not None:
        return _codes_from_camera(args)
    if not args.inputs:
        raise UsageError(detail=translate("cli", "Give image files, or --camera."))
    results = []
    for path in args.inputs:
        for page in iter_file_pages(path):
            codes = read_codes(page_array(page), page.dpi)
            results.append({"file": path, "page": page.index + 1, "codes": [c.as_dict() for c in codes]})
    if args.json:
        _print_json({"ok": True, "pages": results})
        return 0
    for r in results:
        for c in r["codes"]:
            print(f"{r['file']}#{r['page']}\t{c['type']}\t{c['text']}")
            if "cccd" in c:
                f = c["cccd"]
                print(
                    "  "
                    + translate(
                        "cli", "ID {id} - {name} - born {dob} - {sex} - {address} - issued {issued}"
                    ).format(
                        id=f["id_number"],
                        name=f["full_name"],
                        dob=f["date_of_birth"],
                        sex=f["sex"],
                        address=f["address"],
                        issued=f["issue_date"],
                    )
                )
    return 0


# -- ocr --------------------------------------------------------------------------------------
def cmd_ocr(args: argparse.Namespace) -> int:
    from ocr import OcrOptions, PageSource, ocr_to_pdf
    from scanner.importer import page_refs

    settings, _ = _settings()
    sources = [
        PageSource(
            dpi=ref.dpi,
            rotation=ref.rotation,
            label=f"{Path(ref.path).name}#{ref.index + 1}",
            path=ref.path,
            pdf_page=ref.index if ref.is_pdf else None,
            frame=0 if ref.is_pdf else ref.index,
        )
        for path in args.inputs
        for ref in page_refs(path)
    ]
    jobs = settings.ocr_jobs if args.jobs is None else args.jobs
    if jobs < 0:
        raise UsageError(detail="--jobs must be 0 or more")
    options = OcrOptions(
        lang=args.lang or settings.ocr_languages,
        jobs=jobs,
        title=args.title,
        profile=args.profile or settings.ocr_profile,
        auto_rotate=not args.no_rotate,
        deskew=not args.no_deskew,
        mode=args.mode,
    )
    result = ocr_to_pdf(sources, args.output, options, progress=_progress("OCR"))
    data = {
        "ok": True,
        "output": str(result.output),
        "pages": result.pages,
        "size_bytes": result.size_bytes,
        "text_runs": result.chars,
        "chars": result.chars,
        "lang": options.lang,
        "profile": options.profile,
        "failed_pages": result.failed_pages,
        "mode": options.mode,
        "page_reports": [r.__dict__ for r in result.page_reports],
    }
    if args.json:
        _print_json(data)
    else:
        print(
            translate("cli", "Wrote {output}: {pages} pages, {size} KB").format(
                output=result.output, pages=result.pages, size=result.size_bytes // 1024
            )
        )
    return 0


# -- stitch -----------------------------------------------------------------------------------
def _grid(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    try:
        rows, cols = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UsageError(detail=translate("cli", "--grid is ROWSxCOLS, e.g. 2x3.")) from None
    if rows < 1 or cols < 1:
        raise UsageError(detail=translate("cli", "--grid is ROWSxCOLS, e.g. 2x3."))
    return rows, cols


def cmd_stitch(args: argparse.Namespace) -> int:
    from app.pipeline.drawings import SHEET_FORMATS, stitch_drawing

    out = Path(args.output)
    if out.suffix.lower() not in SHEET_FORMATS:
        raise UsageError(detail=translate("cli", "The sheet is written as .pdf, .png or .tif."))
    grid = _grid(args.grid)
    settings, _ = _settings()
    data = stitch_drawing(
        args.tiles, out, grid=grid, lang=settings.ocr_languages, progress=_progress("stitch")
    )
    data = {"ok": data["verdict"] == "ok", "output": str(out), **data}
    if args.json:
        _print_json(data)
    else:
        print(
            translate("cli", "Sheet written to {path} ({verdict})").format(path=out, verdict=data["verdict"])
        )
        if data["rescan_tiles"]:
            print(
                translate("cli", "Scan these tiles again with the sheet shifted: {tiles}").format(
                    tiles=", ".join(str(i + 1) for i in data["rescan_tiles"])
                )
            )
    if "resolution_below_200dpi" in data.get("warnings", []):
        print(
            translate(
                "cli",
                "The scans are below 200 dpi: a digitized copy needs at least 200 dpi. Scan again at 300 dpi.",
            ),
            file=sys.stderr,
        )
    return 0 if data["verdict"] == "ok" else 1


def cmd_plan(args: argparse.Namespace) -> int:
    """Which parts of a large sheet to put on the glass, in order."""
    from scanner.stitch import SHEETS_MM, plan_tiles

    def size(text: str) -> str | tuple[float, float]:
        if text.upper() in SHEETS_MM:
            return text.upper()
        try:
            w, h = (float(v) for v in text.lower().split("x"))
            return (w, h)
        except ValueError:
            raise UsageError(
                detail=translate("cli", "A size is A0..A4 or WIDTHxHEIGHT in millimetres, e.g. 900x600.")
            ) from None

    plan = plan_tiles(size(args.sheet), size(args.bed), min_overlap_mm=args.overlap)
    data = {"ok": True, **plan.as_dict()}
    if args.json:
        _print_json(data)
        return 0
    tw, th = plan.tile_mm
    print(
        translate(
            "cli",
            "{count} scans in {rows} rows of {cols}; the sheet's long side along the glass's {side} side.",
        ).format(
            count=plan.rows * plan.cols,
            rows=plan.rows,
            cols=plan.cols,
            side=translate("cli", "long") if tw >= th else translate("cli", "short"),
        )
    )
    for k, (left, top, right, bottom) in enumerate(plan.tiles):
        print(
            translate(
                "cli",
                "Scan {n}: from {left:.0f} to {right:.0f} mm across, {top:.0f} to {bottom:.0f} mm down (from the top left corner)",
            ).format(n=k + 1, left=left, right=right, top=top, bottom=bottom)
        )
    print(
        translate("cli", "Then: sohoa stitch the scans in this order --grid {grid} -o SHEET.pdf").format(
            grid=f"{plan.rows}x{plan.cols}"
        )
    )
    return 0


# -- tokens and signing -----------------------------------------------------------------------
def cmd_tokens(args: argparse.Namespace) -> int:
    from signing import list_tokens

    settings, _ = _settings()
    modules = [args.module] if args.module else [m.path for m in known_modules(settings)]
    pin, _ = read_pin(args)
    out = []
    for module in modules:
        tokens = list_tokens(module, pin=pin, token_label=args.token)
        out.append({"module": module, "tokens": [t.as_dict() for t in tokens]})
    if args.json:
        _print_json({"ok": True, "modules": out})
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


def _sign_options(args: argparse.Namespace, settings: Settings):
    try:
        return sign_options(
            settings,
            role=args.role,
            level=args.level,
            tsa_url=args.tsa,
            reason=args.reason,
            stamp=args.stamp,
            location=args.location,
            copy_kind=args.copy_kind,
            agency=args.agency,
        )
    except ValueError as exc:
        raise UsageError(detail=str(exc)) from exc


def _open_token(args: argparse.Namespace, settings: Settings):
    from signing import TokenSession
    from signing.errors import PinLocked
    from signing.tokens import modules_with_tokens

    module = args.module
    if not module:
        drivers = [m.path for m in known_modules(settings)]
        if not drivers:
            raise UsageError(detail=translate("cli", "No token driver found: pass --module."))
        with_tokens = modules_with_tokens(drivers, args.token)
        if len(with_tokens) > 1:
            raise UsageError(
                detail=translate(
                    "cli", "Tokens are plugged in through several drivers ({drivers}): pass --module."
                ).format(drivers=", ".join(with_tokens))
            )
        module = with_tokens[0] if with_tokens else drivers[0]  # none: TokenSession says "insert it"
    session = TokenSession(module, token_label=args.token)
    info = session.info
    if info.pin_locked:  # say so before asking for a PIN that cannot help
        raise PinLocked()
    pin, pin_pad = read_pin(args, info)
    try:
        session.login(pin, pin_pad=pin_pad)
    finally:
        del pin
    return session


def cmd_sign(args: argparse.Namespace) -> int:
    from signing import sign_pdfs

    settings, _ = _settings()
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
    options = _sign_options(args, settings)
    roots = _trust_roots(settings, args.trust)
    with _open_token(args, settings) as session:
        results = sign_pdfs(session, args.cert, pairs, options, trust_roots=roots, progress=_progress("sign"))
    if args.json:
        _print_json(
            {
                "ok": True,
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


def _trust_roots(settings: Settings, extra: list[str]):
    from signing.verify import load_trust_roots

    return load_trust_roots([*trust_folders(workspace_dir(), settings), *extra])


def _local_time(iso: str) -> str:
    from datetime import datetime

    from signing.pades import vietnam_time

    try:
        return vietnam_time(datetime.fromisoformat(iso))
    except ValueError:
        return iso


# Revocation states as verify reports them, marked for translation.
_REVOCATION_STATES = (
    QT_TRANSLATE_NOOP("cli", "good"),
    QT_TRANSLATE_NOOP("cli", "revoked"),
    QT_TRANSLATE_NOOP("cli", "unknown"),
    QT_TRANSLATE_NOOP("cli", "not checked"),
)


def cmd_verify(args: argparse.Namespace) -> int:
    from signing import verify_pdf

    settings, _ = load_settings(workspace_dir())
    roots = _trust_roots(settings, args.trust)
    report = verify_pdf(args.pdf, roots, online=args.online)
    if args.json:
        _print_json(report.as_dict())
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
                print(
                    "  " + translate("cli", "signing time: {time}").format(time=_local_time(s.signing_time))
                )
            if s.timestamp:
                print("  " + translate("cli", "timestamp: {time}").format(time=_local_time(s.timestamp)))
            print("  " + translate("cli", "revocation: {state}").format(state=translate("cli", s.revocation)))
            for problem in s.problem_messages(translate):
                print(f"  - {problem}")
    return 0 if report.ok else 1


# -- dossiers ---------------------------------------------------------------------------------
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


def cmd_dossier(args: argparse.Namespace) -> int:
    from app import pipeline

    ws, settings = _workspace()
    with ws:
        action = args.dossier_command
        if action == "new":
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
            return _out(
                args,
                shown,
                translate("cli", "Created dossier {code}").format(code=d.code),
            )
        if action == "add" and args.split:
            result = pipeline.import_stack(
                ws, args.code, args.component, args.files, kind=args.kind, progress=_progress("import")
            )
            added = {name: len(pages) for name, pages in result.pages.items()}
            return _out(
                args,
                {
                    "ok": True,
                    "added": sum(added.values()),
                    "components": added,
                    "separators": result.separators,
                    "applicant": result.applicant,
                    "dossier": _dossier_dict(ws, args.code),
                },
                translate("cli", "Added {n} pages to {k} components").format(
                    n=sum(added.values()), k=len(added)
                ),
            )
        if action == "add":
            ws.dossier(args.code)
            pages = pipeline.import_into(
                ws,
                args.code,
                args.component,
                args.files,
                kind=args.kind,
                grid=_grid(args.grid),
                progress=_progress("import"),
            )
            return _out(
                args,
                {"ok": True, "added": len(pages), "dossier": _dossier_dict(ws, args.code)},
                translate("cli", "Added {n} pages to {component}").format(
                    n=len(pages), component=args.component
                ),
            )
        if action == "show":
            data = _dossier_dict(ws, args.code)
            if args.json:
                _print_json(data)
                return 0
            print(
                f"{data['code']}  {data['procedure']}  {data['applicant_name']} {data['applicant_id']}  "
                f"[{data['status']}]"
            )
            for c in data["components"]:
                print(f"  - {c['name']} ({c['kind']}): {c['pages']} pages, {c['status']}")
            return 0
        if action == "list":
            rows = [d.__dict__ for d in ws.dossiers()]
            if args.json:
                _print_json(rows)
                return 0
            for r in rows:
                print(f"{r['code']}\t{r['status']}\t{r['applicant_name']}\t{r['procedure']}")
            return 0
        comps = _selected_components(ws, args.code, args.component, action, getattr(args, "role", "citizen"))
        if action == "process":
            if args.jobs is not None:
                settings = Settings.from_dict({**settings.to_dict(), "ocr_jobs": args.jobs})
            done = []
            for comp in comps:
                art = pipeline.process_component(ws, comp, settings, progress=_progress(comp.name))
                done.append(
                    {
                        "component": comp.name,
                        "sha256": art.blob,
                        "size": art.size,
                        "path": str(ws.blobs.path(art.blob)),
                    }
                )
            return _out(
                args,
                {"ok": True, "processed": done},
                translate("cli", "Processed {n} components").format(n=len(done)),
            )
        if action == "sign":
            options = _sign_options(args, settings)
            with _open_token(args, settings) as session:
                parts = pipeline.sign_components(
                    ws,
                    comps,
                    session,
                    settings,
                    cert_label=args.cert,
                    options=options,
                    trust=args.trust,
                    progress=_progress("sign"),
                )
            data = {
                "ok": True,
                "signed": [
                    {
                        "component": p.component.name,
                        "sha256": p.artifact.blob,
                        "path": str(ws.blobs.path(p.artifact.blob)),
                        "outbox_id": p.outbox_id,
                        "queued": p.newly_queued,
                        "verify": p.report.as_dict(),
                    }
                    for p in parts
                ],
            }
            return _out(args, data, translate("cli", "Signed and queued {n} components").format(n=len(parts)))
    raise UsageError(detail=f"unknown action {action}")


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


def _out(args: argparse.Namespace, data, text: str) -> int:
    if getattr(args, "json", False):
        _print_json(data)
    else:
        print(text)
    return 0


# -- outbox and upload ------------------------------------------------------------------------
def cmd_outbox(args: argparse.Namespace) -> int:
    from app import pipeline
    from upload import Outbox

    ws, settings = _workspace()
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
            return _out(
                args,
                {"ok": True, "id": item_id, "created": created},
                translate("cli", "Queued as item {id}").format(id=item_id)
                if created
                else translate("cli", "Already queued as item {id}").format(id=item_id),
            )
        with Outbox(ws.outbox_path) as outbox:
            if args.outbox_command == "purge":
                purged = pipeline.purge_expired(ws, settings, outbox)
                return _out(
                    args,
                    {"ok": True, "purged": purged, "retention_days": settings.retention_days},
                    translate("cli", "Local copies of {n} delivered items deleted").format(n=len(purged)),
                )
            if args.outbox_command == "retry":
                n = outbox.requeue_failed()
                return _out(
                    args, {"ok": True, "requeued": n}, translate("cli", "{n} items queued again").format(n=n)
                )
            items = [i.as_dict() for i in outbox.items()]
    if args.json:
        _print_json(items)
        return 0
    for i in items:
        err = f"  ({i['last_error']})" if i["last_error"] else ""
        print(
            f"{i['id']}\t{i['state']}\t{i['dossier']}\t{i['component']}\t{i['size']}\t{i['sha256'][:12]}{err}"
        )
    return 0


def cmd_upload(args: argparse.Namespace) -> int:
    from app import pipeline

    ws, settings = _workspace()
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
        _print_json(data)
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


def cmd_portal(args: argparse.Namespace) -> int:
    from app.credentials import store_secret

    if args.portal_command == "set-credentials":
        if args.secret_stdin:
            secret = sys.stdin.readline().rstrip("\r\n")
        elif sys.stdin.isatty():
            secret = getpass.getpass(translate("cli", "Client secret: "))
        else:
            raise UsageError(detail=translate("cli", "Give the secret with --secret-stdin or at the prompt."))
        if not secret:
            raise UsageError(detail=translate("cli", "The client secret is empty."))
        store_secret(args.client_id, secret)
        del secret
        print(
            translate(
                "cli", "Secret of {client} stored in the system keyring. Set portal_client_id to {client}."
            ).format(client=args.client_id)
        )
        return 0
    raise UsageError(detail=f"unknown action {args.portal_command}")


def cmd_audit(args: argparse.Namespace) -> int:
    ws, _settings = _workspace()
    with ws:
        if args.audit_command == "verify":
            check = ws.verify_audit()
            if args.json:
                _print_json({"ok": check.ok, "entries": check.entries, "problems": check.problems})
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
            _print_json(rows)
        else:
            for r in rows:
                print(f"{r['id']}\t{_local_time(r['at'])}\t{r['actor']}\t{r['action']}\t{r['subject']}")
        return 0

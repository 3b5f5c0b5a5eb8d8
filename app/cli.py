"""The `sohoa` command line: argument parsing, one place that turns errors into messages and exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import sys

from app import __version__
from common.errors import UserError

log = logging.getLogger("sohoa")


def _json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print machine-readable JSON on stdout")


def _pin_flags(p: argparse.ArgumentParser, *, required: bool) -> None:
    g = p.add_mutually_exclusive_group(required=False)
    g.add_argument("--pin-stdin", action="store_true", help="read the token PIN from the first line of stdin")
    g.add_argument("--pin-env", metavar="VAR", help="read the token PIN from environment variable VAR")
    g.add_argument("--pin-pad", action="store_true", help="enter the PIN on the token's own PIN pad")
    p.set_defaults(pin_required=required)


def _token_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--module", help="PKCS#11 module (token driver) file (default: the first known driver found)"
    )
    p.add_argument("--token", help="token label (default: the only token plugged in)")
    p.add_argument(
        "--cert", help="certificate label or CKA_ID in hex (default: the only signing certificate)"
    )


def _sign_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--level", choices=["B-B", "B-T", "B-LT", "B-LTA"], help="PAdES level (default: settings)")
    p.add_argument("--tsa", help="RFC 3161 timestamp server URL (B-T and above)")
    p.add_argument("--stamp", dest="stamp", action="store_true", default=None, help="draw a visible stamp")
    p.add_argument("--no-stamp", dest="stamp", action="store_false", help="sign without a visible stamp")
    p.add_argument("--reason", default="", help="reason for signing")
    p.add_argument("--location", default=None, help="where the signing takes place")
    p.add_argument(
        "--role",
        choices=["citizen", "official"],
        default="citizen",
        help="citizen: stamp at the bottom right of the last page; official: certify an electronic "
        "copy (stamp at the top right of page 1: kind of copy, agency, ISO 8601 time)",
    )
    p.add_argument("--copy-kind", default=None, help='kind of copy the official certifies (default "SAO Y")')
    p.add_argument(
        "--agency", default=None, help="the official's agency (default: settings, then the certificate)"
    )
    p.add_argument(
        "--trust",
        action="append",
        default=[],
        metavar="CERT.pem",
        help="trusted root for B-LT/B-LTA (repeatable)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sohoa",
        description="SoHoa: digitize paper dossiers into signed, searchable PDF/A.",
    )
    parser.add_argument("--version", action="version", version=f"sohoa {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("gui", help="open the workstation window (the default)")

    p = sub.add_parser("doctor", help="check Tesseract, token drivers, scanners and the workspace")
    _json_flag(p)

    p = sub.add_parser("devices", help="scanners SANE can see (USB and network)")
    _json_flag(p)

    p = sub.add_parser("scan", help="scan pages into a folder")
    p.add_argument(
        "--device", help="scanner name or label (default: the saved scanner, else the first found)"
    )
    p.add_argument("--resolution", type=int, default=None, metavar="DPI", help="default: saved profile, 300")
    p.add_argument("--mode", choices=["color", "gray", "lineart"], default=None)
    p.add_argument("--source", choices=["flatbed", "adf", "duplex"], default=None)
    p.add_argument("--save-profile", action="store_true", help="remember this scanner and these settings")
    p.add_argument(
        "--pages", type=int, default=None, help="stop after N pages (default: all the feeder holds)"
    )
    p.add_argument("--page-size", choices=["A4", "A3", "A5", "letter", "legal"], default="A4")
    p.add_argument("--out-dir", required=True, metavar="DIR")
    _json_flag(p)

    p = sub.add_parser("watch", help="import what copiers drop into a folder (scan to folder)")
    p.add_argument("folder")
    p.add_argument("--dossier", required=True, metavar="CODE")
    p.add_argument("--component", required=True, metavar="NAME")
    p.add_argument("--stable", type=float, default=2.0, help="seconds a file must stay unchanged (default 2)")
    p.add_argument("--once", action="store_true", help="take what is there now, then stop")
    _json_flag(p)

    p = sub.add_parser("cleanup", help="crop, turn upright and straighten pages; flag blank and colour pages")
    p.add_argument("inputs", nargs="+", metavar="IMAGE")
    p.add_argument("--out-dir", required=True, metavar="DIR")
    p.add_argument("--no-osd", action="store_true", help="do not ask Tesseract when the ink is unclear")
    _json_flag(p)

    p = sub.add_parser("codes", help="QR codes and barcodes on pages (the chip ID card's QR parsed)")
    p.add_argument("inputs", nargs="*", metavar="IMAGE")
    p.add_argument(
        "--camera",
        nargs="?",
        const="0",
        metavar="SOURCE",
        help="read from a camera until an ID card's QR is seen (index, /dev/videoN, or a video file)",
    )
    p.add_argument(
        "--timeout", type=float, default=60.0, metavar="S", help="give up on the camera after S seconds"
    )
    _json_flag(p)

    p = sub.add_parser("ocr", help="images or PDFs to one searchable PDF/A")
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    p.add_argument("--lang", default=None, help="Tesseract languages (default vie+eng)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    p.add_argument("--title", default="", help="document title for the PDF/A metadata")
    p.add_argument(
        "--profile",
        choices=["archive", "standard", "small"],
        default=None,
        help="size against fidelity (default: standard)",
    )
    p.add_argument(
        "--mode",
        choices=["skip", "redo", "force"],
        default="skip",
        help="PDF pages that already hold text: keep them (skip), replace an earlier OCR layer "
        "(redo), or rasterise and OCR everything (force)",
    )
    p.add_argument("--no-rotate", action="store_true", help="keep every page the way it was scanned")
    p.add_argument("--no-deskew", action="store_true", help="do not straighten tilted pages")
    _json_flag(p)

    p = sub.add_parser(
        "stitch",
        help="tiles of a large drawing (or one large-format scan) to one sheet: .pdf, .png or .tif",
    )
    p.add_argument("tiles", nargs="+", metavar="TILE")
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    p.add_argument("--grid", metavar="ROWSxCOLS", help="the tiles were scanned row by row in this grid")
    _json_flag(p)

    p = sub.add_parser("plan", help="which parts of a large sheet to scan, in order, on a small flatbed")
    p.add_argument("sheet", metavar="SHEET", help="A0, A1, A2 or WIDTHxHEIGHT in mm")
    p.add_argument(
        "--bed", default="A3", help="the scanner's glass: A3, A4 or WIDTHxHEIGHT in mm (default A3)"
    )
    p.add_argument("--overlap", type=float, default=20.0, metavar="MM", help="least overlap between scans")
    _json_flag(p)

    p = sub.add_parser("tokens", help="tokens and certificates on a PKCS#11 module")
    p.add_argument("--module", help="PKCS#11 module (default: every known driver found)")
    p.add_argument("--token", help="only the token with this label (needed with a PIN when several are in)")
    _pin_flags(p, required=False)
    _json_flag(p)

    p = sub.add_parser("sign", help="PAdES-sign PDFs with a token (one login for all)")
    p.add_argument("inputs", nargs="+", metavar="IN.pdf")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("-o", "--output", metavar="OUT.pdf")
    out.add_argument("--out-dir", metavar="DIR")
    _token_flags(p)
    _pin_flags(p, required=True)
    _sign_flags(p)
    _json_flag(p)

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
    _json_flag(p)

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
    _json_flag(q)
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
    _json_flag(q)
    q = dsub.add_parser("show", help="one dossier with its components")
    q.add_argument("code")
    _json_flag(q)
    q = dsub.add_parser("list", help="all dossiers")
    _json_flag(q)
    q = dsub.add_parser("process", help="OCR the components' pages into searchable PDF/A")
    q.add_argument("code")
    q.add_argument("--component", action="append", help="only this component (repeatable)")
    q.add_argument("--jobs", type=int, default=None)
    _json_flag(q)
    q = dsub.add_parser("sign", help="sign, verify and queue the processed components")
    q.add_argument("code")
    q.add_argument("--component", action="append", help="only this component (repeatable)")
    _token_flags(q)
    _pin_flags(q, required=True)
    _sign_flags(q)
    _json_flag(q)

    p = sub.add_parser("outbox", help="files waiting to be delivered")
    osub = p.add_subparsers(dest="outbox_command", metavar="ACTION", required=True)
    q = osub.add_parser("list", help="every item and its state")
    _json_flag(q)
    q = osub.add_parser("add", help="queue a signed file after verifying it")
    q.add_argument("file")
    q.add_argument("--dossier", required=True)
    q.add_argument("--component", required=True)
    q.add_argument("--trust", action="append", default=[], metavar="CERT.pem")
    _json_flag(q)
    q = osub.add_parser("retry", help="put failed items back in the queue")
    _json_flag(q)
    q = osub.add_parser("purge", help="delete local copies delivered more than retention_days ago")
    _json_flag(q)

    p = sub.add_parser("upload", help="deliver everything due (folder by default)")
    t = p.add_mutually_exclusive_group()
    t.add_argument("--folder", metavar="DIR", help="deliver into this folder")
    t.add_argument("--portal", metavar="URL", help="upload to the central portal")
    _json_flag(p)

    p = sub.add_parser("audit", help="the audit trail: who captured, signed, queued, sent and purged what")
    asub = p.add_subparsers(dest="audit_command", required=True)
    q = asub.add_parser("verify", help="check that no entry was changed or deleted (exit 1 if one was)")
    _json_flag(q)
    q = asub.add_parser("list", help="the latest entries, newest first")
    q.add_argument("--limit", type=int, default=50)
    _json_flag(q)

    p = sub.add_parser("portal", help="the central portal's credentials")
    psub = p.add_subparsers(dest="portal_command", metavar="ACTION", required=True)
    q = psub.add_parser("set-credentials", help="keep the client secret in the system keyring")
    q.add_argument("--client-id", required=True)
    q.add_argument("--secret-stdin", action="store_true", help="read the secret from the first line of stdin")
    return parser


def main(argv: list[str] | None = None) -> int:
    multiprocessing.freeze_support()
    parser = build_parser()
    args = parser.parse_args(argv)
    from app import i18n
    from app.logs import setup_logging

    logfile = setup_logging(args.verbose)

    i18n.install()
    command = args.command or "gui"
    if command == "gui":
        from app.gui.main import run_gui

        return run_gui()
    from app import commands

    handler = getattr(commands, f"cmd_{command}")
    try:
        return handler(args)
    except UserError as exc:
        log.info("%s: %s", command, exc)
        return _fail(args, i18n.message(exc), type(exc).__name__, exc.exit_code)
    except KeyboardInterrupt:
        print("sohoa: " + i18n.translate("cli", "interrupted"), file=sys.stderr)
        return 130
    except OSError as exc:
        log.exception("%s failed", command)
        where = f" {exc.filename}" if exc.filename else ""
        text = i18n.translate("cli", "Cannot read or write{where}: {reason}").format(
            where=where, reason=exc.strerror or exc
        )
        return _fail(args, text, "OSError", 74)
    except Exception as exc:
        log.exception("%s failed", command)
        text = i18n.translate("cli", "Unexpected error ({kind}); details are in {log}").format(
            kind=type(exc).__name__, log=logfile or "stderr"
        )
        return _fail(args, text, type(exc).__name__, 70)


def _fail(args: argparse.Namespace, text: str, kind: str, code: int) -> int:
    if getattr(args, "json", False):
        print(json.dumps({"ok": False, "error": text, "kind": kind}, ensure_ascii=False))
    print(f"sohoa: {text}", file=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main())

"""The `sohoa` command line. Each verb family is a module that registers its parsers and handlers
(`register(sub)`); `output` prints text or JSON; `options` holds what several verbs share. The use
cases themselves live in `app.pipeline`: a handler reads its arguments, calls them, prints.

`run` is the one place that turns errors into a message in the user's language and an exit code;
`app.main` chooses between the window (no command, or `gui`) and this.
"""

from __future__ import annotations

import argparse
import logging
import sys

from app import __version__
from app.cli import admin, capture, delivery, dossier, records, remote, sheets, signing
from app.cli.output import fail
from common.errors import UserError

log = logging.getLogger("sohoa")

FAMILIES = (admin, capture, sheets, signing, remote, dossier, records, delivery)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sohoa",
        description="SoHoa: digitize paper dossiers into signed, searchable PDF/A.",
    )
    parser.add_argument("--version", action="version", version=f"sohoa {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("gui", help="open the workstation window (the default)")
    for family in FAMILIES:
        family.register(sub)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run the parsed command: the one place that turns errors into a message in the user's
    language and an exit code."""
    from app import i18n
    from app.logs import setup_logging

    logfile = setup_logging(args.verbose)
    i18n.install()
    command = args.command
    try:
        return args.handler(args)
    except UserError as exc:
        log.info("%s: %s", command, exc)
        return fail(args, i18n.message(exc), type(exc).__name__, exc.exit_code)
    except KeyboardInterrupt:
        print("sohoa: " + i18n.translate("cli", "interrupted"), file=sys.stderr)
        return 130
    except OSError as exc:
        log.exception("%s failed", command)
        where = f" {exc.filename}" if exc.filename else ""
        text = i18n.translate("cli", "Cannot read or write{where}: {reason}").format(
            where=where, reason=exc.strerror or exc
        )
        return fail(args, text, "OSError", 74)
    except Exception as exc:
        log.exception("%s failed", command)
        text = i18n.translate("cli", "Unexpected error ({kind}); details are in {log}").format(
            kind=type(exc).__name__, log=logfile or "stderr"
        )
        return fail(args, text, type(exc).__name__, 70)

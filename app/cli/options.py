"""What several commands share: their common flags, the settings and workspace, the PIN, the token."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING

from app.cli.output import PinNeeded, UsageError
from app.config import Settings, load_settings
from app.i18n import translate
from app.paths import workspace_dir

if TYPE_CHECKING:
    from app.workspace import Workspace


def json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print machine-readable JSON on stdout")


def pin_flags(p: argparse.ArgumentParser, *, required: bool) -> None:
    g = p.add_mutually_exclusive_group(required=False)
    g.add_argument("--pin-stdin", action="store_true", help="read the token PIN from the first line of stdin")
    g.add_argument("--pin-env", metavar="VAR", help="read the token PIN from environment variable VAR")
    g.add_argument("--pin-pad", action="store_true", help="enter the PIN on the token's own PIN pad")
    p.set_defaults(pin_required=required)


def token_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--module", help="PKCS#11 module (token driver) file (default: the first known driver found)"
    )
    p.add_argument("--token", help="token label (default: the only token plugged in)")
    p.add_argument(
        "--cert", help="certificate label or CKA_ID in hex (default: the only signing certificate)"
    )


def sign_flags(p: argparse.ArgumentParser, *, roles: bool = True) -> None:
    """The signing flags; without `roles` (a data record: the signer's own stamp) no --role."""
    p.add_argument("--level", choices=["B-B", "B-T", "B-LT", "B-LTA"], help="PAdES level (default: settings)")
    p.add_argument("--tsa", help="RFC 3161 timestamp server URL (B-T and above)")
    p.add_argument("--stamp", dest="stamp", action="store_true", default=None, help="draw a visible stamp")
    p.add_argument("--no-stamp", dest="stamp", action="store_false", help="sign without a visible stamp")
    p.add_argument("--reason", default="", help="reason for signing")
    p.add_argument("--location", default=None, help="where the signing takes place")
    if roles:
        p.add_argument(
            "--role",
            choices=["citizen", "official", "record"],
            default="citizen",
            help="citizen: stamp at the bottom right of the last page; official: certify an electronic "
            "copy (stamp at the top right of page 1: kind of copy, agency, ISO 8601 time); record: the "
            "official signs the dossier's data records",
        )
        p.add_argument(
            "--copy-kind", default=None, help='kind of copy the official certifies (default "SAO Y")'
        )
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


def current_settings() -> tuple[Settings, dict[str, str]]:
    return load_settings(workspace_dir())


def open_workspace() -> tuple[Workspace, Settings]:
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


def read_secret(args: argparse.Namespace, prompt: str) -> str:
    """A service secret from the first line of stdin (--secret-stdin) or typed unseen at a prompt."""
    if args.secret_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        secret = getpass.getpass(prompt)
    else:
        raise UsageError(detail=translate("cli", "Give the secret with --secret-stdin or at the prompt."))
    if not secret:
        raise UsageError(detail=translate("cli", "The client secret is empty."))
    return secret


def sign_options_from(args: argparse.Namespace, settings: Settings):
    from app.signsetup import sign_options

    try:
        return sign_options(
            settings,
            role=args.role,
            level=args.level,
            tsa_url=args.tsa,
            reason=args.reason or None,
            stamp=args.stamp,
            location=args.location,
            copy_kind=args.copy_kind,
            agency=args.agency,
        )
    except ValueError as exc:
        raise UsageError(detail=str(exc)) from exc


def open_token(args: argparse.Namespace, settings: Settings):
    from app.signsetup import known_modules
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


def trust_roots(settings: Settings, extra: list[str]):
    """The trusted roots (app.signsetup.trust_roots) for this workspace and the roots given with --trust."""
    from app.signsetup import trust_roots as gather

    return gather(workspace_dir(), settings, extra)


def parse_grid(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    try:
        rows, cols = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UsageError(detail=translate("cli", "--grid is ROWSxCOLS, e.g. 2x3.")) from None
    if rows < 1 or cols < 1:
        raise UsageError(detail=translate("cli", "--grid is ROWSxCOLS, e.g. 2x3."))
    return rows, cols

"""Printing for every command: one line of text or JSON on stdout, progress and errors on stderr."""

from __future__ import annotations

import argparse
import json
import sys

from common.errors import QT_TRANSLATE_NOOP, UserError


class UsageError(UserError):
    context = "cli"
    template = QT_TRANSLATE_NOOP("cli", "{detail}")
    exit_code = 2


class PinNeeded(UsageError):
    template = QT_TRANSLATE_NOOP(
        "cli",
        "A PIN is needed: pass --pin-stdin or --pin-env VAR (never the PIN itself on the command line).",
    )


def print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def progress_printer(label: str):
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        print(f"\r{label} {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    return show


def out(args: argparse.Namespace, data, text: str) -> int:
    if getattr(args, "json", False):
        print_json(data)
    else:
        print(text)
    return 0


def local_time(iso: str) -> str:
    from datetime import datetime

    from common.vntime import vietnam_time

    try:
        return vietnam_time(datetime.fromisoformat(iso))
    except ValueError:
        return iso


def fail(args: argparse.Namespace, text: str, kind: str, code: int) -> int:
    """A command that failed: one line on stderr (and the error as JSON on stdout with --json)."""
    if getattr(args, "json", False):
        print(json.dumps({"ok": False, "error": text, "kind": kind}, ensure_ascii=False))
    print(f"sohoa: {text}", file=sys.stderr)
    return code

"""`sohoa`: the workstation window when no command is given (or `gui`), else the command line."""

from __future__ import annotations

import multiprocessing


def main(argv: list[str] | None = None) -> int:
    multiprocessing.freeze_support()
    from app.cli import build_parser, run

    args = build_parser().parse_args(argv)
    if args.command in (None, "gui"):
        from app import i18n
        from app.gui.main import run_gui
        from app.logs import setup_logging

        setup_logging(args.verbose)
        i18n.install()
        return run_gui()
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())

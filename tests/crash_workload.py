"""One working round at a counter, through the real command line in one process, as the crash
harness runs it (and kills it): every dossier folder under INPUTS is taken in from its watched
folders (one per part), then OCR, the citizen's signature and the upload to the portal.

    python -m tests.crash_workload INPUTS PORTAL_URL MODULE TOKEN_LABEL TRUST_PEM

The PIN comes from $CRASH_PIN. Each step is idempotent, so running the round again after a kill
takes up what was left.
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path


def cli(*args: str) -> int:
    from app.main import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        return main(list(args))


def round_(inputs: Path, portal: str, module: str, token: str, trust: str) -> None:
    dossiers = sorted(p for p in inputs.iterdir() if p.is_dir())
    for folder in dossiers:
        parts = [p for p in sorted(folder.iterdir()) if p.is_dir() and any(f.is_file() for f in p.iterdir())]
        if not parts:
            continue  # everything dropped here was taken in already
        cli("dossier", "new", folder.name)  # refused when it exists: fine
        for part in parts:
            cli(
                "watch",
                str(part),
                "--dossier",
                folder.name,
                "--component",
                part.name,
                "--once",
                "--stable",
                "0",
            )
    for folder in dossiers:
        cli("dossier", "process", folder.name, "--jobs", "1")
    for folder in dossiers:
        cli(
            "dossier", "sign", folder.name, "--module", module, "--token", token,
            "--pin-env", "CRASH_PIN", "--trust", trust,
        )  # fmt: skip
    cli("upload", "--portal", portal)


if __name__ == "__main__":
    if len(sys.argv) != 6:
        raise SystemExit(__doc__)
    import multiprocessing

    multiprocessing.freeze_support()
    round_(Path(sys.argv[1]), *sys.argv[2:])

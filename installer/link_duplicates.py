#!/usr/bin/env python3
"""Replace each file of the application folder that repeats another byte for byte with a relative
symbolic link to it (Linux). Tesseract's libraries and Python's share a few (OpenSSL, Kerberos):
one copy of each is enough.

    python installer/link_duplicates.py dist/app/sohoa

Files under 64 kB are left alone: the saving would not pay for the links. Prints what it saved.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from pathlib import Path

from common.hashing import sha256_file  # SoHoa is installed in the build's virtualenv

SMALLEST = 64 * 1024


def link_duplicates(folder: Path) -> tuple[int, int]:
    """(files linked, bytes saved). The copy kept is the one nearest the top of the folder."""
    by_size: dict[int, list[Path]] = defaultdict(list)
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.stat().st_size >= SMALLEST:
            by_size[path.stat().st_size].append(path)
    linked = saved = 0
    for size, paths in by_size.items():
        if len(paths) < 2:
            continue
        by_digest: dict[str, list[Path]] = defaultdict(list)
        for path in paths:
            by_digest[sha256_file(path)[0]].append(path)
        for same in by_digest.values():
            keep, *others = sorted(same, key=lambda p: (len(p.relative_to(folder).parts), str(p)))
            for other in others:
                mode = other.stat().st_mode
                if mode & 0o111 and not keep.stat().st_mode & 0o111:
                    continue  # an executable is not replaced by a link to a non-executable copy
                target = os.path.relpath(keep, other.parent)
                tmp = other.with_name(other.name + ".link")
                os.symlink(target, tmp)
                os.replace(tmp, other)
                linked += 1
                saved += size
    return linked, saved


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    linked, saved = link_duplicates(Path(sys.argv[1]))
    print(f"link_duplicates: {linked} file(s) now link to an identical copy, {saved / 1e6:.1f} MB saved")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

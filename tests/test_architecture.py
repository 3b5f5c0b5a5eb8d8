"""The architecture holds: the libraries below app/ import neither Qt nor app/ (imported with both
blocked); no module grows past 600 lines; only the workspace store speaks SQL; the command line
starts light. The layers inside app/ are import-linter contracts (pyproject.toml, make lint)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

from tests.conftest import ROOT

LIBRARIES = ("common", "scanner", "ocr", "signing", "upload", "records")

BLOCKER = r"""
import importlib, importlib.abc, pkgutil, sys

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        if top in ("PySide6", "shiboken6", "PyQt5", "PyQt6", "app"):
            raise ImportError(f"forbidden import of {name}")
        return None

sys.meta_path.insert(0, Block())
count = 0
for lib in %r:
    pkg = importlib.import_module(lib)
    count += 1
    for info in pkgutil.walk_packages(pkg.__path__, lib + "."):
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
        count += 1
print(count)
"""


def test_libraries_import_without_qt_or_app():
    proc = subprocess.run(
        [sys.executable, "-c", BLOCKER % (LIBRARIES,)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.strip()) >= 20  # every module was really imported


def test_blocker_catches_a_qt_import():
    """The check above can fail: a module importing Qt is refused."""
    code = BLOCKER.replace("for lib in %r:", "import PySide6.QtCore\nfor lib in ():")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode != 0 and "forbidden import" in proc.stderr


PRODUCT = ("app", "scanner", "ocr", "signing", "upload", "records", "common")
MAX_LINES, REPORT_LINES = 600, 400
# a module allowed past MAX_LINES, with the reason; none today
TOO_LONG_ALLOWED: dict[str, str] = {}


def _modules():
    for pkg in PRODUCT:
        yield from sorted((ROOT / pkg).rglob("*.py"))


def test_no_module_is_over_600_lines_and_those_over_400_are_reported(capsys):
    sizes = {
        p.relative_to(ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines()) for p in _modules()
    }
    assert len(sizes) > 50  # the walk saw the product
    too_long = {name: n for name, n in sizes.items() if n > MAX_LINES and name not in TOO_LONG_ALLOWED}
    assert not too_long, (
        f"split these by responsibility (or name them in TOO_LONG_ALLOWED with why): {too_long}"
    )
    watch = sorted(((n, name) for name, n in sizes.items() if n > REPORT_LINES), reverse=True)
    with capsys.disabled():
        print("\nmodules over 400 lines: " + (", ".join(f"{name} ({n})" for n, name in watch) or "none"))


SQL = re.compile(
    r"^\s*(SELECT\s.+\sFROM\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|"
    r"(CREATE|DROP)\s+(TABLE|INDEX|TRIGGER|VIEW)\s|ALTER\s+TABLE\s|PRAGMA\s+\w+)",
    re.I | re.S,
)
STORE = ("app/workspace/store.py", "app/workspace/schema.py", "app/workspace/audit.py")


def sql_outside_the_store(files) -> list[str]:
    """Where app/ code outside the workspace store speaks SQL: an SQL statement in a string, a
    `.db` or `.execute` reached on an object, or sqlite imported."""
    found = []
    for path in files:
        name = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
        if name in STORE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{name}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value):
                found.append(f"{where} SQL text")
            elif isinstance(node, ast.Attribute) and node.attr in ("db", "execute", "executemany", "conn"):
                found.append(f"{where} .{node.attr}")
            elif isinstance(node, ast.Import | ast.ImportFrom):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                if any(m.split(".")[0] in ("sqlite3", "sqlite_utils") for m in mods):
                    found.append(f"{where} imports {mods}")
    return found


def test_only_the_workspace_store_speaks_sql(tmp_path):
    assert sql_outside_the_store(sorted((ROOT / "app").rglob("*.py"))) == []
    # the check can fail: a pipeline module reaching into a table is found
    bad = tmp_path / "reaches_in.py"
    bad.write_text(
        'def code_of(ws, comp):\n    return ws.db["dossiers"].get(comp.dossier_id)["code"]\n'
        'def late(ws):\n    return ws.query("SELECT id FROM events")\n'
        'def prose():\n    return "Select a dossier", "delete", "Create the dossier"\n',
        encoding="utf-8",
    )
    assert len(sql_outside_the_store([bad])) == 2


def test_the_command_line_starts_without_the_heavy_libraries():
    """`sohoa --version`, `--help` and argument errors answer at once: no Qt, signing, PDF, OpenCV or
    SQLite library is loaded before a command needs it."""
    probe = (
        "import sys; from app.cli import build_parser; build_parser().format_help();"
        "heavy = ('PySide6', 'pyhanko', 'pikepdf', 'cv2', 'sqlite_utils', 'numpy', 'httpx');"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]", out.stdout

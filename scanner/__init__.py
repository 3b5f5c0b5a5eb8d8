"""Capture: scanner drivers, watched folder and file import, cleanup, tile stitching, codes."""

from scanner.errors import ScannerError
from scanner.importer import ImportedPage, import_files, iter_files_pages

__all__ = ["ImportedPage", "ScannerError", "import_files", "iter_files_pages"]

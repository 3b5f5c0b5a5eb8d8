"""`sohoa ocr`, `stitch` and `plan`: searchable PDF/A from pages, one sheet from a large drawing's scans."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.options import current_settings, json_flag, parse_grid
from app.cli.output import UsageError, print_json, progress_printer
from app.i18n import translate


def register(sub) -> None:
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
    json_flag(p)
    p.set_defaults(handler=cmd_ocr)

    p = sub.add_parser(
        "stitch",
        help="tiles of a large drawing (or one large-format scan) to one sheet: .pdf, .png or .tif",
    )
    p.add_argument("tiles", nargs="+", metavar="TILE")
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    p.add_argument("--grid", metavar="ROWSxCOLS", help="the tiles were scanned row by row in this grid")
    json_flag(p)
    p.set_defaults(handler=cmd_stitch)

    p = sub.add_parser("plan", help="which parts of a large sheet to scan, in order, on a small flatbed")
    p.add_argument("sheet", metavar="SHEET", help="A0, A1, A2 or WIDTHxHEIGHT in mm")
    p.add_argument(
        "--bed", default="A3", help="the scanner's glass: A3, A4 or WIDTHxHEIGHT in mm (default A3)"
    )
    p.add_argument("--overlap", type=float, default=20.0, metavar="MM", help="least overlap between scans")
    json_flag(p)
    p.set_defaults(handler=cmd_plan)


def cmd_ocr(args: argparse.Namespace) -> int:
    from ocr import OcrOptions, PageSource, ocr_to_pdf
    from scanner.importer import page_refs

    settings, _ = current_settings()
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
    result = ocr_to_pdf(sources, args.output, options, progress=progress_printer("OCR"))
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
        print_json(data)
    else:
        print(
            translate("cli", "Wrote {output}: {pages} pages, {size} KB").format(
                output=result.output, pages=result.pages, size=result.size_bytes // 1024
            )
        )
    return 0


def cmd_stitch(args: argparse.Namespace) -> int:
    from app.pipeline.drawings import SHEET_FORMATS, stitch_drawing

    out = Path(args.output)
    if out.suffix.lower() not in SHEET_FORMATS:
        raise UsageError(detail=translate("cli", "The sheet is written as .pdf, .png or .tif."))
    grid = parse_grid(args.grid)
    settings, _ = current_settings()
    report = stitch_drawing(
        args.tiles, out, grid=grid, lang=settings.ocr_languages, progress=progress_printer("stitch")
    )
    if args.json:
        print_json({"ok": report.ok, "output": str(out), **report.as_dict()})
    else:
        print(
            translate("cli", "Sheet written to {path} ({verdict})").format(path=out, verdict=report.verdict)
        )
        if report.rescan_tiles:
            print(
                translate("cli", "Scan these tiles again with the sheet shifted: {tiles}").format(
                    tiles=", ".join(str(i + 1) for i in report.rescan_tiles)
                )
            )
    if "resolution_below_200dpi" in report.warnings:
        print(
            translate(
                "cli",
                "The scans are below 200 dpi: a digitized copy needs at least 200 dpi. Scan again at 300 dpi.",
            ),
            file=sys.stderr,
        )
    return 0 if report.ok else 1


def cmd_plan(args: argparse.Namespace) -> int:
    """Which parts of a large sheet to put on the glass, in order."""
    from scanner.plan import SHEETS_MM, plan_tiles

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
        print_json(data)
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

"""`sohoa devices`, `scan`, `watch`, `cleanup` and `codes`: pages and codes from scanners, folders and cameras."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.options import current_settings, json_flag, open_workspace
from app.cli.output import UsageError, print_json, progress_printer
from app.i18n import translate
from app.paths import workspace_dir


def register(sub) -> None:
    p = sub.add_parser("devices", help="scanners SANE can see (USB and network)")
    json_flag(p)
    p.set_defaults(handler=cmd_devices)

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
    json_flag(p)
    p.set_defaults(handler=cmd_scan)

    p = sub.add_parser("watch", help="import what copiers drop into a folder (scan to folder)")
    p.add_argument("folder")
    p.add_argument("--dossier", required=True, metavar="CODE")
    p.add_argument("--component", required=True, metavar="NAME")
    p.add_argument("--stable", type=float, default=2.0, help="seconds a file must stay unchanged (default 2)")
    p.add_argument("--once", action="store_true", help="take what is there now, then stop")
    json_flag(p)
    p.set_defaults(handler=cmd_watch)

    p = sub.add_parser("cleanup", help="crop, turn upright and straighten pages; flag blank and colour pages")
    p.add_argument("inputs", nargs="+", metavar="IMAGE")
    p.add_argument("--out-dir", required=True, metavar="DIR")
    p.add_argument("--no-osd", action="store_true", help="do not ask Tesseract when the ink is unclear")
    json_flag(p)
    p.set_defaults(handler=cmd_cleanup)

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
    json_flag(p)
    p.set_defaults(handler=cmd_codes)


def cmd_devices(args: argparse.Namespace) -> int:
    from scanner.driver import list_devices

    devices = list_devices()
    if args.json:
        print_json({"ok": True, "devices": [d.as_dict() for d in devices]})
        return 0
    if not devices:
        print(
            translate("cli", "No scanner found. Check that it is switched on and connected (USB or network).")
        )
    for d in devices:
        print(f"{d.name}\t{d.label}\t{d.kind}")
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    import threading

    from app.pipeline import saved_scanner
    from scanner.driver import ScanProfile, find_device, scan

    settings, _ = current_settings()
    try:
        profile = ScanProfile(
            resolution=args.resolution or settings.scan_resolution,
            mode=args.mode or settings.scan_mode,
            source=args.source or settings.scan_source,
            page_size=args.page_size,
            pages=args.pages,
        )
    except ValueError as exc:
        raise UsageError(detail=str(exc)) from exc
    device = find_device(args.device) if args.device else saved_scanner(settings)
    if args.save_profile or (settings.scan_device and device.name != settings.scan_device):
        import dataclasses

        from app.config import save_user_settings

        save_user_settings(  # remember it, under its new SANE id if it changed
            workspace_dir(),
            dataclasses.replace(
                settings,
                scan_device=device.name,
                scan_device_label=f"{device.vendor}\t{device.model}",
                scan_backend=device.backend,
                scan_resolution=profile.resolution,
                scan_mode=profile.mode,
                scan_source=profile.source,
            ),
        )
    cancel = threading.Event()
    pages = []
    try:
        for page in scan(device, profile, args.out_dir, progress=progress_printer("scan"), cancel=cancel):
            pages.append({"path": str(page.path), "index": page.index, "dpi": page.dpi})
            if not args.json:
                print(translate("cli", "Scanned {path}").format(path=page.path))
    except KeyboardInterrupt:
        cancel.set()
    if args.json:
        print_json({"ok": True, "device": device.as_dict(), "pages": pages})
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    from app import pipeline

    ws, _ = open_workspace()
    results = []
    with ws:
        try:
            for r in pipeline.watch_folder(
                ws, args.dossier, args.component, args.folder, stable_s=args.stable, once=args.once
            ):
                results.append(
                    {"file": r.name, "outcome": r.outcome, "moved_to": str(r.path), "detail": r.detail}
                )
                if not args.json:
                    print(f"{r.outcome}\t{r.name}\t{r.detail}")
        except KeyboardInterrupt:
            pass
    if args.json:
        print_json({"ok": True, "files": results})
    return 0


def cmd_cleanup(args: argparse.Namespace) -> int:
    from PIL import Image

    from common.atomic import atomic_output
    from scanner.cleanup import analyse_page, apply
    from scanner.importer import iter_file_pages, page_array

    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for path in args.inputs:
        for page in iter_file_pages(path):
            image = page_array(page)
            found = analyse_page(image, page.dpi, osd=not args.no_osd)
            cleaned = apply(image, found)
            dest = out_dir / f"{Path(path).stem}-{page.index + 1:03d}.png"
            with atomic_output(dest) as fh:
                Image.fromarray(cleaned).save(fh, "PNG", dpi=(page.dpi, page.dpi))
            results.append({"file": path, "page": page.index + 1, "output": str(dest), **found.as_dict()})
    if args.json:
        print_json({"ok": True, "pages": results})
        return 0
    for r in results:
        flags = " ".join(
            f
            for f, on in ((translate("cli", "BLANK?"), r["blank"]), (translate("cli", "colour"), r["colour"]))
            if on
        )
        print(f"{r['output']}\t{r['rotation_deg']}°\t{r['skew_deg']:+.2f}°\t{flags}")
    return 0


def _codes_from_camera(args: argparse.Namespace) -> int:
    from scanner.camera import read_from_camera

    read = read_from_camera(args.camera, want="card", timeout_s=args.timeout)
    if args.json:
        print_json({"ok": read.card is not None, **read.as_dict()})
    elif read.card is None:
        print(
            translate("cli", "No ID card QR code was seen in {seconds} s.").format(
                seconds=round(read.seconds)
            )
        )
    else:
        c = read.card
        print(f"{c.id_number}\t{c.full_name}\t{c.date_of_birth}\t{c.sex}\t{c.address}\t{c.issue_date}")
    return 0 if read.card is not None else 1


def cmd_codes(args: argparse.Namespace) -> int:
    from scanner.codes import read_codes
    from scanner.importer import iter_file_pages, page_array

    if args.camera is not None:
        return _codes_from_camera(args)
    if not args.inputs:
        raise UsageError(detail=translate("cli", "Give image files, or --camera."))
    results = []
    for path in args.inputs:
        for page in iter_file_pages(path):
            codes = read_codes(page_array(page), page.dpi)
            results.append({"file": path, "page": page.index + 1, "codes": [c.as_dict() for c in codes]})
    if args.json:
        print_json({"ok": True, "pages": results})
        return 0
    for r in results:
        for c in r["codes"]:
            print(f"{r['file']}#{r['page']}\t{c['type']}\t{c['text']}")
            if "cccd" in c:
                f = c["cccd"]
                print(
                    "  "
                    + translate(
                        "cli", "ID {id} - {name} - born {dob} - {sex} - {address} - issued {issued}"
                    ).format(
                        id=f["id_number"],
                        name=f["full_name"],
                        dob=f["date_of_birth"],
                        sex=f["sex"],
                        address=f["address"],
                        issued=f["issue_date"],
                    )
                )
    return 0

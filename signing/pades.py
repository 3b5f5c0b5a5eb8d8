"""PAdES signatures with pyHanko over a PKCS#11 session: one login, many files, atomic outputs."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import text
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError as HankoSigningError
from pyhanko.sign.pkcs11 import PKCS11Signer
from pyhanko.stamp.text import TextStampStyle

from common.atomic import atomic_output
from common.progress import Progress, check_cancel, report
from signing.errors import BadPdf, SigningError, TokenRemoved
from signing.fonts import vietnamese_font
from signing.tokens import REMOVAL_ERRORS, TokenSession

log = logging.getLogger(__name__)

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")
STAMP_TEXT = "Ký bởi: %(signer)s\nSố định danh: %(citizen_id)s\nThời gian: %(vn_time)s"
VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")  # Vietnam keeps UTC+7 all year


def vietnam_time(moment: datetime | None = None) -> str:
    """A signing time as a Vietnamese reader expects it: day/month/year, 24 h clock, UTC+07:00."""
    moment = (moment or datetime.now(UTC)).astimezone(VIETNAM_TIME)
    return moment.strftime("%d/%m/%Y %H:%M:%S") + " (GMT+7)"


@dataclass(frozen=True)
class SignOptions:
    level: str = "B-B"
    reason: str = ""
    location: str = ""
    stamp: bool = True
    tsa_url: str | None = None
    field_prefix: str = "SoHoa"

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"unknown PAdES level {self.level!r}; expected one of {', '.join(LEVELS)}")
        if self.level != "B-B" and not self.tsa_url:
            raise ValueError(f"PAdES {self.level} needs a timestamp server (--tsa URL)")


@dataclass(frozen=True)
class SignResult:
    input: Path
    output: Path
    field: str
    signer: str
    size_bytes: int


def _field_name(reader: PdfFileReader, prefix: str) -> str:
    existing = {name for name, _, _ in fields.enumerate_sig_fields(reader)}
    n = 1
    while f"{prefix}{n}" in existing:
        n += 1
    return f"{prefix}{n}"


def _stamp_box(reader: PdfFileReader, index: int) -> tuple[int, int, int, int]:
    """A box at the bottom right of page `index` for the visible stamp."""
    page = reader.find_page_for_modification(index)[0].get_object()
    box = page.get("/MediaBox", (0, 0, 595, 842))
    _x0, y0, x1, _y1 = (float(v) for v in box)
    width, height = 220, 62
    margin = 18
    return (int(x1 - margin - width), int(y0 + margin), int(x1 - margin), int(y0 + margin + height))


def sign_pdf(
    token: TokenSession,
    signer: PKCS11Signer,
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    options: SignOptions,
    *,
    holder: str = "",
    citizen_id: str = "",
) -> SignResult:
    """Sign one PDF into `output_path` (written atomically; the input is never touched)."""
    src, dst = Path(input_path), Path(output_path)
    try:
        with open(src, "rb") as inf:
            writer = IncrementalPdfFileWriter(inf, strict=False)
            name = _field_name(writer.prev, options.field_prefix)
            meta = signers.PdfSignatureMetadata(
                field_name=name,
                md_algorithm="sha256",
                subfilter=fields.SigSeedSubFilter.PADES,
                reason=options.reason or None,
                location=options.location or None,
            )
            kwargs = {}
            if options.stamp:
                last = int(writer.prev.root["/Pages"]["/Count"]) - 1
                kwargs["new_field_spec"] = fields.SigFieldSpec(
                    sig_field_name=name, on_page=last, box=_stamp_box(writer.prev, last)
                )
                kwargs["stamp_style"] = _stamp_style()
            pdf_signer = signers.PdfSigner(meta, signer=signer, **kwargs)
            params = {"citizen_id": citizen_id or "-", "vn_time": vietnam_time()}
            with token.lock, atomic_output(dst, "w+b") as outf:
                pdf_signer.sign_pdf(writer, output=outf, appearance_text_params=params)
    except REMOVAL_ERRORS as exc:
        raise TokenRemoved(detail=type(exc).__name__) from exc
    except (PdfError, ValueError) as exc:
        raise BadPdf(name=src.name, detail=str(exc)) from exc
    except OSError as exc:
        raise SigningError(detail=f"{src.name}: {exc.strerror or exc}") from exc
    except HankoSigningError as exc:
        cause = exc.__cause__
        if isinstance(cause, REMOVAL_ERRORS):
            raise TokenRemoved(detail=type(cause).__name__) from exc
        raise SigningError(detail=str(exc)) from exc
    log.info("signed %s as field %s", dst.name, name)
    return SignResult(src, dst, name, holder, dst.stat().st_size)


def _stamp_style() -> TextStampStyle:
    font = vietnamese_font()
    box_style = text.TextBoxStyle(font=GlyphAccumulatorFactory(str(font)), font_size=8) if font else None
    style_kwargs = {"stamp_text": STAMP_TEXT, "border_width": 1, "timestamp_format": "%d/%m/%Y %H:%M:%S %z"}
    if box_style is not None:
        style_kwargs["text_box_style"] = box_style
    return TextStampStyle(**style_kwargs)


def sign_pdfs(
    token: TokenSession,
    cert_label: str | None,
    pairs: Sequence[tuple[Path, Path]],
    options: SignOptions,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> list[SignResult]:
    """Sign every (input, output) pair with one certificate of a logged-in token; stop at the first error.

    Files signed before an error stay signed; the failing file's output is never half-written.
    """
    info, key_id = token.choose_certificate(cert_label)
    chain = token.chain_certificates(info.der)
    signer = PKCS11Signer(
        token.session,
        signing_cert=asn1_x509.Certificate.load(info.der),
        ca_chain=chain,
        key_id=key_id,
        use_raw_mechanism=info.key_type == "ec",
    )
    results = []
    report(progress, 0, len(pairs))
    for done, (src, dst) in enumerate(pairs):
        check_cancel(cancel)
        results.append(
            sign_pdf(token, signer, src, dst, options, holder=info.holder, citizen_id=info.citizen_id)
        )
        report(progress, done + 1, len(pairs))
    return results

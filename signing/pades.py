"""PAdES signatures with pyHanko over a PKCS#11 session: one login, many files, atomic outputs."""

from __future__ import annotations

import logging
import os
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import text
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError as HankoSigningError
from pyhanko.sign.pkcs11 import PKCS11Signer
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko.stamp.text import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, RevokedError

from common.atomic import atomic_output
from common.fonts import stamp_font
from common.progress import Progress, check_cancel, report
from common.vntime import iso_vietnam_time, vietnam_time
from signing.errors import (
    BadPdf,
    CertificateRevoked,
    CertificateUntrusted,
    RevocationUnavailable,
    SigningError,
    TimestampUnavailable,
    TokenRemoved,
)
from signing.tokens import REMOVAL_ERRORS, TokenSession

log = logging.getLogger(__name__)

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")
ROLES = ("citizen", "official", "record")
# The citizen's stamp (bottom right of the last page).
STAMP_TEXT = "Ký bởi: %(signer)s\nSố định danh: %(citizen_id)s\nThời gian: %(vn_time)s"
# The official's certification of an electronic copy of a paper original (top right of page 1, no
# image): the kind of copy, the agency, and the signing time in ISO 8601 with Vietnam's time zone.
CERTIFY_TEXT = "%(copy_kind)s\n%(agency)s\nThời gian ký: %(iso_time)s"
OFFICIAL_FIELD = "SoHoaCertify"
HTTP_TIMEOUT = 20  # seconds, for the TSA and revocation servers


@dataclass(frozen=True)
class SignOptions:
    """How to sign. Role `official` certifies an electronic copy (`copy_kind`, `agency`); role
    `record` signs a data record (the signer's stamp, no place kept for a certification)."""

    level: str = "B-B"
    reason: str = ""
    location: str = ""
    stamp: bool = True
    tsa_url: str | None = None
    field_prefix: str = "SoHoa"
    role: str = "citizen"
    copy_kind: str = "SAO Y"
    agency: str = ""

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"unknown PAdES level {self.level!r}; expected one of {', '.join(LEVELS)}")
        if self.level != "B-B" and not self.tsa_url:
            raise ValueError(f"PAdES {self.level} needs a timestamp server (--tsa URL)")
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}; expected one of {', '.join(ROLES)}")

    @property
    def embeds_revocation(self) -> bool:
        return self.level in ("B-LT", "B-LTA")


@dataclass(frozen=True)
class SignResult:
    input: Path
    output: Path
    field: str
    signer: str
    size_bytes: int


@dataclass
class _Batch:
    """What every file of a batch shares: signer, TSA client, validation context, stamp styles.

    `bytes_reserved` is the signature size pyHanko estimated for the first file (by a dry run that
    costs as much as a signature); the rest of the batch reuses it.
    """

    signer: PKCS11Signer
    timestamper: HTTPTimeStamper | None
    validation_context: ValidationContext | None
    holder: str
    citizen_id: str
    organization: str
    font_cache: Path | None = None
    bytes_reserved: int | None = None
    styles: dict = field(default_factory=dict)

    def style(self, stamp_text: str) -> TextStampStyle:
        if stamp_text not in self.styles:
            self.styles[stamp_text] = _stamp_style(stamp_text, self.font_cache)
        return self.styles[stamp_text]


class _Writer(IncrementalPdfFileWriter):
    """An incremental writer that keeps a PDF/A file at PDF 1.7.

    pyHanko raises the catalog's /Version to 2.0 for ECDSA P-256 signatures (ISO/TS 32002), which
    PDF/A-2 and -3 (based on PDF 1.7) do not allow. The extension itself is still declared.
    """

    def __init__(self, stream, **kwargs) -> None:
        self._cap = None
        super().__init__(stream, **kwargs)
        if _claims_pdfa(self.prev):
            self._cap = (1, 7)

    def ensure_output_version(self, version):
        if self._cap is not None and version > self._cap:
            version = self._cap
        super().ensure_output_version(version)


def _claims_pdfa(reader: PdfFileReader) -> bool:
    try:
        ref = reader.root.raw_get("/Metadata")
        # Loaded as an XMP stream, as pyHanko's writer expects, so it updates it in place (keeping
        # the PDF/A identification) instead of writing a new one.
        meta = reader.get_object(ref.reference, as_metadata_stream=True)
        return b"pdfaid:part" in meta.data
    except (PdfError, AttributeError, KeyError, ValueError, TypeError):
        return False


def _field_name(reader: PdfFileReader, prefix: str) -> str:
    existing = {name for name, _, _ in fields.enumerate_sig_fields(reader)}
    n = 1
    while f"{prefix}{n}" in existing:
        n += 1
    return f"{prefix}{n}"


def _page_box(reader: PdfFileReader, index: int) -> tuple[float, float, float, float]:
    """The page's crop box, else its media box: either may be inherited from the page tree and
    either may be an indirect object."""
    node = reader.find_page_for_modification(index)[0].get_object()
    box = None
    for _ in range(64):  # a page tree is never that deep; a loop in a broken file ends here
        box = node.get("/CropBox") or node.get("/MediaBox")
        if box is not None or "/Parent" not in node:
            break
        node = node["/Parent"].get_object()
    if box is None:
        box = (0, 0, 595, 842)
    elif hasattr(box, "get_object"):
        box = box.get_object()
    x0, y0, x1, y1 = (float(v) for v in box)
    return x0, y0, x1, y1


def _stamp_box(reader: PdfFileReader, index: int) -> tuple[int, int, int, int]:
    """A box at the bottom right of page `index` for the citizen's visible stamp."""
    _x0, y0, x1, _y1 = _page_box(reader, index)
    width, height, margin = 220, 62, 18
    return (int(x1 - margin - width), int(y0 + margin), int(x1 - margin), int(y0 + margin + height))


def _certify_box(reader: PdfFileReader) -> tuple[int, int, int, int]:
    """The official's place: the top right corner of page 1."""
    _x0, _y0, x1, y1 = _page_box(reader, 0)
    width, height, margin = 230, 48, 18
    return (int(x1 - margin - width), int(y1 - margin - height), int(x1 - margin), int(y1 - margin))


def _stamp_style(stamp_text: str, font_cache: Path | None = None) -> TextStampStyle:
    """A text-only stamp drawn with an embedded Vietnamese-capable OpenType font."""
    from signing.stampfont import SharedSubsetFactory  # fontTools: only when stamping

    font = stamp_font(font_cache)
    box_style = text.TextBoxStyle(font=SharedSubsetFactory(str(font)), font_size=8) if font else None
    style_kwargs = {"stamp_text": stamp_text, "border_width": 1, "timestamp_format": "%d/%m/%Y %H:%M:%S %z"}
    if box_style is not None:
        style_kwargs["text_box_style"] = box_style
    return TextStampStyle(**style_kwargs)


def _placement(writer: IncrementalPdfFileWriter, options: SignOptions, batch: _Batch):
    """The field to sign, the new-field spec and stamp style if any, and the stamp's text values."""
    reader = writer.prev
    sig_fields = list(fields.enumerate_sig_fields(reader))
    empty = {name for name, value, _ in sig_fields if value is None}
    now = datetime.now(UTC)
    params = {
        "signer": batch.holder,
        "citizen_id": batch.citizen_id or "-",
        "vn_time": vietnam_time(now),
        "iso_time": iso_vietnam_time(now),
        "copy_kind": options.copy_kind,
        "agency": options.agency or batch.organization or batch.holder,
    }
    # One precomposed glyph per letter (the stamp font carries no shaping tables).
    params = {k: unicodedata.normalize("NFC", v) for k, v in params.items()}
    kwargs: dict = {}
    if options.role == "official":
        if OFFICIAL_FIELD in empty:
            name = OFFICIAL_FIELD  # placed when the citizen signed: filling it changes nothing else
        else:
            name = _field_name(reader, OFFICIAL_FIELD)
            kwargs["new_field_spec"] = fields.SigFieldSpec(
                sig_field_name=name, on_page=0, box=_certify_box(reader)
            )
        kwargs["stamp_style"] = batch.style(CERTIFY_TEXT)
        return name, kwargs, params
    name = _field_name(reader, options.field_prefix)
    if options.stamp:
        last = int(reader.root["/Pages"]["/Count"]) - 1
        kwargs["new_field_spec"] = fields.SigFieldSpec(
            sig_field_name=name, on_page=last, box=_stamp_box(reader, last)
        )
        kwargs["stamp_style"] = batch.style(STAMP_TEXT)
        if options.role == "citizen" and not any(n.startswith(OFFICIAL_FIELD) for n, _, _ in sig_fields):
            # Place the official's empty field now, inside the revision the citizen signs, so that
            # certifying the copy later only fills a field the citizen's signature already covers.
            fields.append_signature_field(
                writer,
                fields.SigFieldSpec(sig_field_name=OFFICIAL_FIELD, on_page=0, box=_certify_box(reader)),
            )
    return name, kwargs, params


def _first_line(exc: BaseException) -> str:
    message = str(exc).strip() or type(exc).__name__
    return message.splitlines()[0][:200]


def _causes(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _signing_error(exc: BaseException, batch: _Batch, options: SignOptions) -> SigningError:
    """Say why pyHanko refused, in the clerk's terms."""
    for cause in _causes(exc):
        if isinstance(cause, REMOVAL_ERRORS):
            return TokenRemoved(detail=type(cause).__name__)
        if isinstance(cause, RevokedError):
            return CertificateRevoked(holder=batch.holder)
        if isinstance(cause, TimestampRequestError):
            return TimestampUnavailable(url=options.tsa_url or "", detail=_first_line(cause))
        if isinstance(cause, PathBuildingError):
            return CertificateUntrusted(holder=batch.holder)
        if isinstance(cause, PathValidationError):
            message = str(cause).lower()
            if any(w in message for w in ("revocation", "ocsp", "crl", "fetch")):
                return RevocationUnavailable(holder=batch.holder, detail=_first_line(cause))
            return CertificateUntrusted(holder=batch.holder)
    return SigningError(detail=_first_line(exc))


def _reserved_size(stream, field_name: str) -> int | None:
    """The signature size pyHanko reserved in the file just signed (None if it cannot be read)."""
    try:
        stream.seek(0)
        reader = PdfFileReader(stream, strict=False)
        for sig in reader.embedded_signatures:
            if sig.field_name == field_name:
                _, start, end, _ = (int(v) for v in sig.sig_object["/ByteRange"])
                return end - start - 2  # between the ranges: <hex digits>, as pyHanko counts them
    except (PdfError, ValueError, KeyError, AttributeError):
        log.debug("could not read the reserved signature size", exc_info=True)
    return None


def sign_pdf(
    token: TokenSession,
    batch: _Batch,
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    options: SignOptions,
) -> SignResult:
    """Sign one PDF into `output_path` (written atomically; the input is never touched).

    Every change (a new field, its appearance, the signature, then the revocation data and document
    timestamp of B-LT/B-LTA) is an incremental update: earlier bytes stay as they were.
    """
    src, dst = Path(input_path), Path(output_path)
    try:
        with open(src, "rb") as inf:
            writer = _Writer(inf, strict=False)
            name, kwargs, params = _placement(writer, options, batch)
            meta = signers.PdfSignatureMetadata(
                field_name=name,
                md_algorithm="sha256",
                subfilter=fields.SigSeedSubFilter.PADES,
                reason=options.reason or None,
                location=options.location or None,
                embed_validation_info=options.embeds_revocation,
                use_pades_lta=options.level == "B-LTA",
                validation_context=batch.validation_context,
            )
            pdf_signer = signers.PdfSigner(meta, signer=batch.signer, timestamper=batch.timestamper, **kwargs)
            with token.lock, atomic_output(dst, "w+b") as outf:
                pdf_signer.sign_pdf(
                    writer, output=outf, appearance_text_params=params, bytes_reserved=batch.bytes_reserved
                )
                if batch.bytes_reserved is None:
                    batch.bytes_reserved = _reserved_size(outf, name)
    except REMOVAL_ERRORS as exc:
        raise TokenRemoved(detail=type(exc).__name__) from exc
    except (HankoSigningError, TimestampRequestError) as exc:  # before ValueError: they derive from it
        raise _signing_error(exc, batch, options) from exc
    except (PdfError, ValueError) as exc:
        raise BadPdf(name=src.name, detail=str(exc)) from exc
    except OSError as exc:
        raise SigningError(detail=f"{src.name}: {exc.strerror or exc}") from exc
    log.info("signed %s as field %s (%s, %s)", dst.name, name, options.level, options.role)
    return SignResult(src, dst, name, batch.holder, dst.stat().st_size)


def sign_pdfs(
    token: TokenSession,
    cert_label: str | None,
    pairs: Sequence[tuple[Path, Path]],
    options: SignOptions,
    *,
    trust_roots: Sequence[asn1_x509.Certificate] = (),
    font_cache: Path | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    on_signed: Callable[[SignResult], None] | None = None,
) -> list[SignResult]:
    """Sign every (input, output) pair with one certificate of a logged-in token; stop at the first error.

    Files signed before an error stay signed (`on_signed` hears of each as soon as it is written,
    so a caller can keep it whatever happens next); the failing file's output is never half-written.
    B-LT and B-LTA check the signer's certificate against `trust_roots` and its CA's revocation
    services before signing, and embed what they answered.
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
    timestamper = HTTPTimeStamper(options.tsa_url, timeout=HTTP_TIMEOUT) if options.tsa_url else None
    vc = None
    if options.embeds_revocation:
        vc = ValidationContext(
            trust_roots=list(trust_roots), other_certs=chain, allow_fetching=True, revocation_mode="hard-fail"
        )
    batch = _Batch(signer, timestamper, vc, info.holder, info.citizen_id, info.organization, font_cache)
    results = []
    report(progress, 0, len(pairs))
    for done, (src, dst) in enumerate(pairs):
        check_cancel(cancel)
        result = sign_pdf(token, batch, src, dst, options)
        results.append(result)
        if on_signed is not None:
            on_signed(result)
        report(progress, done + 1, len(pairs))
    return results

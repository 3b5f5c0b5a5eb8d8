"""PAdES signatures whose key stays with a remote service: pyHanko's interrupted signing.

1. `prepare`: each PDF gets its field, stamp and signature placeholder written (pyHanko's
   `PdfSigner.async_digest_doc_for_signing`), and the CMS signed attributes are fixed; their
   SHA-256 is what the signer approves.
2. `ask`: one approval per `max_batch` hashes (one for a whole dossier when the service allows).
3. `wait`: the requests are polled until approved, refused, expired or failed.
4. `finish`: each returned signature is checked against the certificate and the signed attributes,
   then embedded (`async_sign_prescribed_attributes`, `PdfTBSDocument.async_finish_signing`) with
   the timestamp, revocation data and archive timestamp of the level asked for.

A `RemoteBatch` is plain data (`to_json`) so that a caller can record it before waiting: after a
crash or a power cut the same batch is read back, polled again and finished, or discarded.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import load_der_public_key
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError as HankoSigningError
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument, PostSignInstructions, PreSignValidationStatus
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.fetchers.aiohttp_fetchers.util import LazySession
from pyhanko_certvalidator.registry import SimpleCertificateStore

from common.atomic import atomic_output
from common.errors import Cancelled
from common.progress import Progress, check_cancel, report
from signing.certinfo import describe
from signing.errors import (
    BadPdf,
    CertificateExpired,
    RemoteBadSignature,
    RemoteCancelled,
    RemoteUnavailable,
    SigningError,
)
from signing.pades import HTTP_TIMEOUT, SignOptions, SignResult, _Batch, _placement, _signing_error, _Writer
from signing.remote.service import (
    RemoteCredential,
    RemoteService,
    RemoteState,
    Transaction,
    check_codes,
    raise_for,
)

log = logging.getLogger(__name__)

MD = "sha256"
PLACEHOLDER = 512  # bytes of signature to reserve room for (RSA 4096 and below, any ECDSA)
POLL_INTERVAL = 2.0
CONCURRENT = 4  # files finished at once when a timestamp server is asked
GRACE = 30.0  # seconds a service may take past its own expiry to give its answer


@dataclass
class PreparedFile:
    input: str
    output: str
    prepared: str  # the PDF with its placeholder, in the batch's folder
    field: str
    doc_id: str
    document_digest: str  # hex, over the byte range
    region_start: int
    region_end: int
    signed_attrs: str  # base64 DER: what the signature covers
    tbs_digest: str  # hex SHA-256 of signed_attrs: what the signer approves


@dataclass
class RemoteBatch:
    """Everything needed to finish, or throw away, one remote signing of several files."""

    id: str
    provider: str
    user_id: str
    credential: dict  # credential_id, cert (b64), chain (b64 list), max_batch, algorithms, hash_pinning
    options: dict
    folder: str
    files: list[PreparedFile] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    created: float = field(default_factory=time.time)
    _post_sign: dict = field(default_factory=dict, repr=False)  # in memory: pyHanko's own instructions

    def to_json(self) -> str:
        out = {k: v for k, v in asdict(self).items() if k not in ("_post_sign", "transactions")}
        out["transactions"] = [t.to_dict() for t in self.transactions]
        return json.dumps(out, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> RemoteBatch:
        d = json.loads(text)
        files = [PreparedFile(**f) for f in d.pop("files")]
        txns = [Transaction.from_dict(t) for t in d.pop("transactions")]
        return cls(**d, files=files, transactions=txns)

    @property
    def sign_options(self) -> SignOptions:
        return SignOptions(**self.options)

    @property
    def expires_at(self) -> float:
        return min((t.expires_at for t in self.transactions), default=self.created + 600)

    def credential_obj(self) -> RemoteCredential:
        c = self.credential
        der = base64.b64decode(c["cert"])
        return RemoteCredential(
            self.provider,
            c["credential_id"],
            describe(der, has_key=True),
            tuple(base64.b64decode(x) for x in c["chain"]),
            max_batch=int(c["max_batch"]),
            algorithms=tuple(c.get("algorithms", ())),
            hash_pinning=bool(c.get("hash_pinning", True)),
        )


def _credential_dict(cred: RemoteCredential) -> dict:
    return {
        "credential_id": cred.credential_id,
        "cert": base64.b64encode(cred.info.der).decode(),
        "chain": [base64.b64encode(d).decode() for d in cred.chain],
        "max_batch": cred.max_batch,
        "algorithms": list(cred.algorithms),
        "hash_pinning": cred.hash_pinning,
    }


def _run(coro, vc: ValidationContext | None, timestamper: HTTPTimeStamper | None = None):
    """Run one step, then close the network sessions it opened in its loop."""

    async def scoped():
        try:
            return await coro
        finally:
            if vc is not None:
                await vc.aclose()
            if timestamper is not None and isinstance(timestamper._session, LazySession):
                await timestamper._session.close()

    return asyncio.run(scoped())


def _context(cred: RemoteCredential, options: SignOptions, trust_roots):
    cert = asn1_x509.Certificate.load(cred.info.der)
    chain = [asn1_x509.Certificate.load(d) for d in cred.chain]
    registry = SimpleCertificateStore()
    registry.register_multiple(chain)
    timestamper = None
    if options.tsa_url:
        # One connection pool per step: a session of its own per request costs pyHanko a TLS
        # context (a CA bundle read) every time.
        timestamper = HTTPTimeStamper(options.tsa_url, timeout=HTTP_TIMEOUT, session=LazySession())
    vc = None
    if options.embeds_revocation:
        vc = ValidationContext(
            trust_roots=list(trust_roots), other_certs=chain, allow_fetching=True, revocation_mode="hard-fail"
        )
    return cert, chain, registry, timestamper, vc


def prepare(
    credential: RemoteCredential,
    user_id: str,
    pairs: Sequence[tuple[Path, Path]],
    options: SignOptions,
    folder: Path,
    *,
    trust_roots: Sequence[asn1_x509.Certificate] = (),
    font_cache: Path | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    batch_id: str | None = None,
) -> RemoteBatch:
    """Write every file's placeholder and fix what the signer will approve. Nothing is sent."""
    info = credential.info
    if info.expired:
        raise CertificateExpired(
            holder=info.holder, not_before=info.not_before.date(), not_after=info.not_after.date()
        )
    folder.mkdir(parents=True, exist_ok=True)
    batch = RemoteBatch(
        batch_id or uuid.uuid4().hex,
        credential.provider,
        user_id,
        _credential_dict(credential),
        asdict(options),
        str(folder),
    )
    cert, _chain, registry, timestamper, vc = _context(credential, options, trust_roots)
    style = _Batch(None, timestamper, vc, info.holder, info.citizen_id, info.organization, font_cache)  # type: ignore[arg-type]
    report(progress, 0, len(pairs))
    for n, (src, dst) in enumerate(pairs):
        check_cancel(cancel)
        prepared = folder / f"{n:03d}.pdf"
        signer = signers.ExternalSigner(cert, registry, signature_value=PLACEHOLDER)
        try:
            item, psi = _run(
                _prepare_one(Path(src), Path(dst), prepared, n, options, style, signer, timestamper, vc),
                vc,
                timestamper,
            )
        except (HankoSigningError, TimestampRequestError) as exc:
            raise _signing_error(exc, style, options) from exc
        except (PdfError, ValueError) as exc:
            raise BadPdf(name=Path(src).name, detail=str(exc)) from exc
        batch.files.append(item)
        batch._post_sign[item.doc_id] = psi
        report(progress, n + 1, len(pairs))
    return batch


async def _prepare_one(src, dst, prepared, n, options, style, signer, timestamper, vc):
    with open(src, "rb") as inf:
        writer = _Writer(inf, strict=False)
        name, kwargs, params = _placement(writer, options, style)
        meta = signers.PdfSignatureMetadata(
            field_name=name,
            md_algorithm=MD,
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=options.reason or None,
            location=options.location or None,
            embed_validation_info=options.embeds_revocation,
            use_pades_lta=options.level == "B-LTA",
            validation_context=vc,
        )
        pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper, **kwargs)
        with atomic_output(prepared, "w+b") as out:
            digest, tbs, _ = await pdf_signer.async_digest_doc_for_signing(
                writer, appearance_text_params=params, output=out, bytes_reserved=style.bytes_reserved
            )
    if style.bytes_reserved is None:
        style.bytes_reserved = digest.reserved_region_end - digest.reserved_region_start - 2
    attrs = await signer.signed_attrs(digest.document_digest, MD, use_pades=True)
    der = attrs.dump()
    item = PreparedFile(
        input=str(src),
        output=str(dst),
        prepared=str(prepared),
        field=name,
        doc_id=f"{n + 1:03d}-{src.stem[:40]}",
        document_digest=digest.document_digest.hex(),
        region_start=digest.reserved_region_start,
        region_end=digest.reserved_region_end,
        signed_attrs=base64.b64encode(der).decode(),
        tbs_digest=hashlib.sha256(der).hexdigest(),
    )
    return item, tbs.post_sign_instructions


def ask(
    service: RemoteService,
    batch: RemoteBatch,
    description: str,
    *,
    pin: str | None = None,
    otp: str | None = None,
) -> None:
    """Ask for the fewest approvals the service allows: one per `max_batch` files.

    `pin` and `otp` go to the service with each request and are kept nowhere.
    """
    cred = batch.credential_obj()
    size = max(1, cred.max_batch)
    pending = batch.files[sum(len(t.digests) for t in batch.transactions) :]
    for start in range(0, len(pending), size):
        chunk = pending[start : start + size]
        txn = service.request(
            cred,
            batch.user_id,
            [bytes.fromhex(f.tbs_digest) for f in chunk],
            [f.doc_id for f in chunk],
            description,
            pin=pin,
            otp=otp,
        )
        batch.transactions.append(txn)


def wait(
    service: RemoteService,
    batch: RemoteBatch,
    *,
    timeout: float | None = None,
    cancel: threading.Event | None = None,
    on_tick: Callable[[RemoteState, float], None] | None = None,
    interval: float = POLL_INTERVAL,
) -> list[bytes]:
    """The signatures, in file order, once every transaction is approved.

    A service that stops answering (5xx, a cut connection) is asked again until the request
    lapses; a refusal, an expiry or a failure ends the wait with its own error.
    """
    cred = batch.credential_obj()
    limit = time.time() + timeout if timeout is not None else None
    results: dict[int, tuple[bytes, ...]] = {}
    last_error: Exception | None = None
    while True:
        for i, txn in enumerate(batch.transactions):
            if i in results:
                continue
            try:
                result = service.poll(cred, batch.user_id, txn)
            except RemoteUnavailable as exc:
                last_error = exc
                log.info("polling %s: %s", txn.id, exc)
                continue
            if result.state == RemoteState.APPROVED:
                if len(result.signatures) != len(txn.digests):
                    raise_for(RemoteState.FAILED, service.name, "signature count")
                results[i] = result.signatures
            elif result.state != RemoteState.PENDING:
                raise_for(result.state, service.name, result.detail)
        if len(results) == len(batch.transactions):
            return [s for i in range(len(batch.transactions)) for s in results[i]]
        now = time.time()
        ends = batch.expires_at + GRACE if limit is None else min(limit, batch.expires_at + GRACE)
        if on_tick is not None:
            on_tick(RemoteState.PENDING, max(0.0, batch.expires_at - now))
        if now >= ends:
            if last_error is not None:  # the service stopped answering: the request may still be approved
                raise last_error
            raise_for(RemoteState.EXPIRED, service.name)
        deadline = min(now + interval, ends)
        while time.time() < deadline:
            if cancel is not None and cancel.is_set():
                raise RemoteCancelled()
            time.sleep(min(0.1, max(0.0, deadline - time.time())))


def check_signature(raw: bytes, cert_der: bytes, signed_attrs: bytes, key_type: str) -> bytes:
    """`raw` if it is the certificate's key's signature over `signed_attrs` (ECDSA as DER)."""
    cert = asn1_x509.Certificate.load(cert_der)
    key = load_der_public_key(cert.public_key.dump())
    if isinstance(key, ec.EllipticCurvePublicKey):
        size = (key.curve.key_size + 7) // 8
        if len(raw) == 2 * size:  # r||s as some services send it: CMS wants DER
            raw = encode_dss_signature(int.from_bytes(raw[:size], "big"), int.from_bytes(raw[size:], "big"))
        key.verify(raw, signed_attrs, ec.ECDSA(hashes.SHA256()))
    elif isinstance(key, rsa.RSAPublicKey):
        key.verify(raw, signed_attrs, padding.PKCS1v15(), hashes.SHA256())
    else:
        raise InvalidSignature(key_type)
    return raw


def finish(
    batch: RemoteBatch,
    signatures: Sequence[bytes],
    *,
    trust_roots: Sequence[asn1_x509.Certificate] = (),
    progress: Progress | None = None,
    on_signed: Callable[[SignResult], None] | None = None,
) -> list[SignResult]:
    """Check each signature, then write each signed file atomically. A bad one writes nothing."""
    cred = batch.credential_obj()
    options = batch.sign_options
    if len(signatures) != len(batch.files):
        raise SigningError(detail="signature count does not match the files")
    checked = []
    for item, raw in zip(batch.files, signatures, strict=True):
        try:
            checked.append(
                check_signature(raw, cred.info.der, base64.b64decode(item.signed_attrs), cred.info.key_type)
            )
        except (InvalidSignature, ValueError) as exc:
            raise RemoteBadSignature(name=Path(item.input).name, holder=cred.info.holder) from exc
    cert, chain, registry, timestamper, vc = _context(cred, options, trust_roots)
    style = _Batch(None, timestamper, vc, cred.info.holder, cred.info.citizen_id, cred.info.organization)  # type: ignore[arg-type]
    results: list[SignResult | None] = [None] * len(batch.files)
    done = 0
    report(progress, 0, len(batch.files))

    async def one(n: int, item: PreparedFile, raw: bytes, gate: asyncio.Semaphore) -> None:
        nonlocal done
        async with gate:
            try:
                await _finish_one(batch, item, raw, cert, chain, registry, timestamper, vc, options)
            except (HankoSigningError, TimestampRequestError) as exc:
                raise _signing_error(exc, style, options) from exc
            except OSError as exc:
                raise SigningError(detail=f"{Path(item.output).name}: {exc.strerror or exc}") from exc
        result = SignResult(
            Path(item.input), Path(item.output), item.field, cred.info.holder, os.path.getsize(item.output)
        )
        results[n] = result
        done += 1
        report(progress, done, len(batch.files))

    async def every() -> None:
        # The timestamp and revocation requests of several files overlap; a failure stops the
        # rest, whose outputs are never half-written.
        gate = asyncio.Semaphore(CONCURRENT if timestamper is not None else 1)
        async with asyncio.TaskGroup() as group:
            for n, (item, raw) in enumerate(zip(batch.files, checked, strict=True)):
                group.create_task(one(n, item, raw, gate))

    failure: BaseException | None = None
    try:
        _run(every(), vc, timestamper)
    except BaseExceptionGroup as group:
        failure = group.exceptions[0]
    finished = [r for r in results if r is not None]
    if on_signed is not None:  # outside the loop: a caller may verify, which runs a loop of its own
        for result in finished:
            on_signed(result)
    if failure is not None:
        raise failure
    return finished


async def _finish_one(batch, item, raw, cert, chain, registry, timestamper, vc, options):
    signer = signers.ExternalSigner(cert, registry, signature_value=raw)
    attrs = cms.CMSAttributes.load(base64.b64decode(item.signed_attrs))
    sig_cms = await signer.async_sign_prescribed_attributes(MD, signed_attrs=attrs, timestamper=timestamper)
    psi = batch._post_sign.get(item.doc_id)
    if psi is None and options.embeds_revocation:
        psi = await _post_sign_again(cert, chain, timestamper, vc, options)
    elif psi is not None and psi.timestamper is not None:
        psi = replace(psi, timestamper=timestamper)  # this step's connections
    digest = PreparedByteRangeDigest(bytes.fromhex(item.document_digest), item.region_start, item.region_end)
    with open(item.prepared, "rb") as src, atomic_output(Path(item.output), "w+b") as out:
        out.write(src.read())
        out.flush()
        await PdfTBSDocument.async_finish_signing(
            out, digest, sig_cms, post_sign_instr=psi, validation_context=vc
        )


async def _post_sign_again(cert, chain, timestamper, vc, options) -> PostSignInstructions:
    """The revocation data (and archive timestamp) to add, gathered afresh after a restart."""
    validator = CertificateValidator(cert, intermediate_certs=chain, validation_context=vc)
    path = await validator.async_validate_usage({"non_repudiation"})
    ts_paths = []
    if timestamper is not None:
        async for p in timestamper.validation_paths(vc):
            ts_paths.append(p)
    status = PreSignValidationStatus(
        signer_path=path,
        validation_paths=[path, *ts_paths],
        ts_validation_paths=ts_paths,
        ocsps_to_embed=vc.ocsps,
        crls_to_embed=vc.crls,
    )
    return PostSignInstructions(
        validation_info=status,
        timestamper=timestamper if options.level == "B-LTA" else None,
        timestamp_md_algorithm=MD,
        strict=False,
    )


def discard(batch: RemoteBatch) -> None:
    """Remove the prepared files (outputs that were finished stay)."""
    for item in batch.files:
        with contextlib.suppress(FileNotFoundError):
            os.remove(item.prepared)
    with contextlib.suppress(OSError):
        os.rmdir(batch.folder)


def sign_remote(
    service: RemoteService,
    credential: RemoteCredential,
    user_id: str,
    pairs: Sequence[tuple[Path, Path]],
    options: SignOptions,
    folder: Path,
    *,
    description: str = "",
    pin: str | None = None,
    otp: str | None = None,
    timeout: float | None = None,
    trust_roots: Sequence[asn1_x509.Certificate] = (),
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    on_recorded: Callable[[RemoteBatch], None] | None = None,
    on_tick: Callable[[RemoteState, float], None] | None = None,
    on_signed: Callable[[SignResult], None] | None = None,
) -> list[SignResult]:
    """Prepare, ask once (or as few times as the service allows), wait, check and finish.

    `on_recorded` hears of the batch once it is prepared and again once it is asked, so that a
    caller can keep it durably; the prepared files are removed at the end, whatever happens.
    """
    check_codes(credential, service.name, pin, otp)
    batch = prepare(
        credential, user_id, pairs, options, folder, trust_roots=trust_roots, progress=progress, cancel=cancel
    )
    try:
        if on_recorded is not None:
            on_recorded(batch)
        check_cancel(cancel)
        ask(service, batch, description or _describe(pairs), pin=pin, otp=otp)
        if on_recorded is not None:
            on_recorded(batch)
        signatures = wait(service, batch, timeout=timeout, cancel=cancel, on_tick=on_tick)
        return finish(batch, signatures, trust_roots=trust_roots, progress=progress, on_signed=on_signed)
    except Cancelled:
        raise RemoteCancelled() from None
    finally:
        discard(batch)


def _describe(pairs) -> str:
    names = [Path(src).name for src, _ in pairs]
    text = ", ".join(names[:5]) + (f" (+{len(names) - 5})" if len(names) > 5 else "")
    return f"SoHoa: {len(names)} PDF - {text}"

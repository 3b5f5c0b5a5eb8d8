"""A test PKI on SoftHSM2 tokens, issued and served by certomancer on 127.0.0.1.

Keys are generated on the tokens; their public halves go into a certomancer configuration, which
issues the certificates (root, issuing CA, OCSP responder, TSA, one leaf per token) with the OCSP,
CRL and TSA URLs of a local port. The certificates are then put on the tokens beside their keys.
`PkiServices` runs certomancer's web services on that port for timestamps and revocation data.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pkcs11
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass

SOFTHSM_CANDIDATES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
)
ARCH = "sohoa-test"
SO_PIN = "87654321"


def softhsm_module() -> str | None:
    for path in SOFTHSM_CANDIDATES:
        if os.path.exists(path):
            return path
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class TokenSpec:
    """What one test token holds: a key generated on it and the certificate issued for that key."""

    name: str
    label: str
    pin: str
    holder: str
    citizen_id: str = ""
    tax_id: str = ""
    organization: str = ""
    key_type: str = "rsa"
    cert_label: str = ""
    key_label: str | None = None
    cert_id_differs: bool = False
    expired: bool = False
    revoked: bool = False
    remote: bool = False  # the key stays in a file for the remote signing services, not on a token


@dataclass
class TestToken:
    module: str
    conf: Path
    label: str
    pin: str
    so_pin: str
    root_pem: Path
    issuing_pem: Path
    holder: str
    citizen_id: str
    cert_label: str
    cert_der: bytes = b""


@dataclass
class RemoteUser:
    """A signer whose key a remote signing service keeps (certomancer's key file)."""

    name: str
    credential: str  # the CSC credential ID certomancer-csc-dummy gives it
    holder: str
    citizen_id: str
    cert_der: bytes


@dataclass
class TestPki:
    workdir: Path
    port: int
    config: Path
    root_pem: Path
    issuing_pem: Path
    tsa_url: str
    tokens: dict[str, TestToken] = field(default_factory=dict)
    remote: dict[str, RemoteUser] = field(default_factory=dict)


def _days(n: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=n)).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _write_private_key(path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )


def _token_public_key(pub_obj, key_type: str):
    if key_type == "rsa":
        n = int.from_bytes(pub_obj[Attribute.MODULUS], "big")
        e = int.from_bytes(pub_obj[Attribute.PUBLIC_EXPONENT], "big")
        return rsa.RSAPublicNumbers(e, n).public_key()
    point = bytes(pub_obj[Attribute.EC_POINT])
    if point[0] == 0x04 and point[1] == len(point) - 2:
        point = point[2:]
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)


def _ku(*names: str, critical: bool = True) -> dict:
    return {
        "id": "key_usage",
        "critical": critical,
        "smart-value": {"schema": "key-usage", "params": list(names)},
    }


def _config(port: int, keydir: Path, specs: list[TokenSpec]) -> dict:
    keys = {n: {"path": f"{n}.key.pem"} for n in ("root", "interm", "ocsp", "tsa")}
    entities = {
        "root": {"common-name": "SoHoa Test Root CA", "organization-name": "SoHoa Test PKI"},
        "interm": {"common-name": "SoHoa Test Issuing CA", "organization-name": "SoHoa Test PKI"},
        "ocsp": {"common-name": "SoHoa Test OCSP", "organization-name": "SoHoa Test PKI"},
        "tsa": {"common-name": "SoHoa Test TSA", "organization-name": "SoHoa Test PKI"},
    }
    long = {"valid-from": _days(-30), "valid-to": _days(3650)}
    revocation_urls = [
        {
            "id": "crl_distribution_points",
            "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": ["interm"]}},
        },
        {
            "id": "authority_information_access",
            "smart-value": {"schema": "aia-urls", "params": {"ocsp-responder-names": ["interm"]}},
        },
    ]
    certs: dict = {
        "root": {
            "subject": "root",
            "issuer": "root",
            "authority-key": "root",
            "validity": long,
            "extensions": [
                {"id": "basic_constraints", "critical": True, "value": {"ca": True}},
                _ku("digital_signature", "key_cert_sign", "crl_sign"),
            ],
        },
        "interm": {
            "issuer": "root",
            "validity": long,
            "extensions": [
                {
                    "id": "basic_constraints",
                    "critical": True,
                    "value": {"ca": True, "path-len-constraint": 0},
                },
                _ku("digital_signature", "key_cert_sign", "crl_sign"),
                {
                    "id": "crl_distribution_points",
                    "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": ["root"]}},
                },
            ],
        },
        "ocsp": {
            "issuer": "interm",
            "validity": long,
            "extensions": [
                _ku("digital_signature"),
                {"id": "extended_key_usage", "critical": True, "value": ["ocsp_signing"]},
                {"id": "ocsp_no_check"},
            ],
        },
        "tsa": {
            "issuer": "root",
            "validity": long,
            "extensions": [
                _ku("digital_signature"),
                {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
                {
                    "id": "crl_distribution_points",
                    "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": ["root"]}},
                },
            ],
        },
    }
    for spec in specs:
        keys[spec.name] = (
            {"path": f"{spec.name}.key.pem"}
            if spec.remote
            else {"path": f"{spec.name}.pub.pem", "public-only": True}
        )
        entity = {"country-name": "VN", "common-name": spec.holder}
        if spec.organization:
            entity["organization-name"] = spec.organization
        uid = f"CCCD:{spec.citizen_id}" if spec.citizen_id else (f"MST:{spec.tax_id}" if spec.tax_id else "")
        if uid:
            entity["user-id"] = uid
        entities[spec.name] = entity
        validity = (
            {"valid-from": _days(-400), "valid-to": _days(-30)}
            if spec.expired
            else {"valid-from": _days(-1), "valid-to": _days(365)}
        )
        cert = {
            "issuer": "interm",
            "validity": validity,
            "extensions": [
                _ku("digital_signature", "non_repudiation"),
                {"id": "extended_key_usage", "value": ["email_protection"]},
                *revocation_urls,
            ],
        }
        if spec.revoked:
            cert["revocation"] = {"revoked-since": _days(-0.5), "reason": "key_compromise"}
        certs[spec.name] = cert
    return {
        "external-url-prefix": f"http://127.0.0.1:{port}",
        "keysets": {ARCH: {"path-prefix": str(keydir), "keys": keys}},
        "pki-architectures": {
            ARCH: {
                "keyset": ARCH,
                "entities": entities,
                "certs": certs,
                "services": {
                    "ocsp": {
                        "interm": {"for-issuer": "interm", "responder-cert": "ocsp", "signing-key": "ocsp"}
                    },
                    "crl-repo": {
                        "root": {
                            "for-issuer": "root",
                            "signing-key": "root",
                            "simulated-update-schedule": "P90D",
                        },
                        "interm": {
                            "for-issuer": "interm",
                            "signing-key": "interm",
                            "simulated-update-schedule": "P30D",
                        },
                    },
                    "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
                },
            }
        },
    }


def make_pki(workdir: Path, specs: list[TokenSpec], *, port: int | None = None) -> TestPki:
    """Initialise one SoftHSM2 token per spec under `workdir` and issue its certificate.

    Sets SOFTHSM2_CONF in this process's environment (child processes inherit it).
    """
    from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig

    module = softhsm_module()
    if module is None or shutil.which("softhsm2-util") is None:
        raise RuntimeError("SoftHSM2 is not installed (apt install softhsm2)")
    port = port or free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    tokdir, keydir = workdir / "tokens", workdir / "keys"
    shutil.rmtree(tokdir, ignore_errors=True)  # a new PKI: no token of an earlier one
    tokdir.mkdir(exist_ok=True)
    keydir.mkdir(exist_ok=True)
    conf = workdir / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokdir}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    for name in ("root", "interm", "ocsp", "tsa"):
        _write_private_key(keydir / f"{name}.key.pem")

    lib = pkcs11.lib(module)
    key_ids = {}
    for spec in specs:
        if spec.remote:
            _write_private_key(keydir / f"{spec.name}.key.pem")
            continue
        subprocess.run(
            [
                "softhsm2-util",
                "--init-token",
                "--free",
                "--label",
                spec.label,
                "--pin",
                spec.pin,
                "--so-pin",
                SO_PIN,
            ],
            check=True,
            capture_output=True,
        )
        lib.reinitialize()  # see the token just made
        key_ids[spec.name] = os.urandom(8)
        with lib.get_token(token_label=spec.label).open(rw=True, user_pin=spec.pin) as session:
            label = spec.key_label or spec.cert_label or spec.holder
            if spec.key_type == "rsa":
                pub, _ = session.generate_keypair(
                    KeyType.RSA, 2048, id=key_ids[spec.name], label=label, store=True
                )
            else:
                params = session.create_domain_parameters(
                    KeyType.EC,
                    {Attribute.EC_PARAMS: pkcs11.util.ec.encode_named_curve_parameters("secp256r1")},
                    local=True,
                )
                pub, _ = params.generate_keypair(id=key_ids[spec.name], label=label, store=True)
            (keydir / f"{spec.name}.pub.pem").write_bytes(
                _token_public_key(pub, spec.key_type).public_bytes(
                    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
                )
            )

    config_path = workdir / "certomancer.yml"
    config_path.write_text(yaml.safe_dump(_config(port, keydir, specs), allow_unicode=True), encoding="utf-8")
    arch = CertomancerConfig.from_file(str(config_path)).get_pki_arch(ArchLabel(ARCH))
    root_der = arch.get_cert(CertLabel("root")).dump()
    interm = arch.get_cert(CertLabel("interm"))
    root_pem = workdir / "root.pem"
    issuing_pem = workdir / "issuing.pem"
    root_pem.write_bytes(_pem(root_der))
    issuing_pem.write_bytes(_pem(interm.dump()))
    tsa_url = arch.service_registry.get_tsa_info("tsa").url

    pki = TestPki(workdir, port, config_path, root_pem, issuing_pem, tsa_url)
    for spec in specs:
        leaf = arch.get_cert(CertLabel(spec.name))
        if spec.remote:
            pki.remote[spec.name] = RemoteUser(
                spec.name, f"{ARCH}/{spec.name}", spec.holder, spec.citizen_id, leaf.dump()
            )
            continue
        leaf_id = os.urandom(8) if spec.cert_id_differs else key_ids[spec.name]
        cert_label = spec.cert_label or spec.holder
        with lib.get_token(token_label=spec.label).open(rw=True, user_pin=spec.pin) as session:
            for cert, lbl, cid in (
                (leaf, cert_label, leaf_id),
                (interm, "SoHoa Test Issuing CA", os.urandom(8)),
            ):
                session.create_object(
                    {
                        Attribute.CLASS: ObjectClass.CERTIFICATE,
                        Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                        Attribute.TOKEN: True,
                        Attribute.PRIVATE: False,
                        Attribute.LABEL: lbl,
                        Attribute.ID: cid,
                        Attribute.SUBJECT: cert.subject.dump(),
                        Attribute.ISSUER: cert.issuer.dump(),
                        Attribute.VALUE: cert.dump(),
                    }
                )
        pki.tokens[spec.name] = TestToken(
            module,
            conf,
            spec.label,
            spec.pin,
            SO_PIN,
            root_pem,
            issuing_pem,
            spec.holder,
            spec.citizen_id or spec.tax_id,
            cert_label,
            leaf.dump(),
        )
    return pki


def _pem(der: bytes) -> bytes:
    from asn1crypto import pem

    return pem.armor("CERTIFICATE", der)


class Process:
    """A server started with `args` that listens on 127.0.0.1:`port`; its output goes to `log`."""

    def __init__(self, args: list[str], port: int, log: Path) -> None:
        self.args, self.port, self.log = args, port, log
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 30):
        out = open(self.log, "ab")  # noqa: SIM115 - kept open for the child
        self.proc = subprocess.Popen(self.args, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.args[2]} exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.args[2]} did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.proc = None


class PkiServices(Process):
    """certomancer's OCSP, CRL and TSA services for a TestPki, on the port written into its certificates."""

    def __init__(self, pki: TestPki) -> None:
        self.pki = pki
        args = [sys.executable, "-m", "certomancer", "--config", str(pki.config), "animate"]
        super().__init__(
            [*args, "--port", str(pki.port), "--no-web-ui"], pki.port, pki.workdir / "certomancer.log"
        )

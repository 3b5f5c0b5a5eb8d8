"""A test PKI on a SoftHSM2 token: root CA, issuing CA, a citizen's key generated on the token."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass

SOFTHSM_CANDIDATES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
)
UID = x509.ObjectIdentifier("0.9.2342.19200300.100.1.1")


def softhsm_module() -> str | None:
    for path in SOFTHSM_CANDIDATES:
        if os.path.exists(path):
            return path
    return None


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


def _name(cn: str, *, org: str = "", uid: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    if uid:
        attrs.append(x509.NameAttribute(UID, uid))
    return x509.Name(attrs)


def _ca_cert(subject, issuer, pub, sign_key, *, days=3650, path_len=None):
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(pub)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_len), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False)
        .sign(sign_key, hashes.SHA256())
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


def make_token(
    workdir: Path,
    *,
    label: str = "SoHoa Test",
    pin: str = "123456",
    holder: str = "Nguyễn Thị Hồng Nhung",
    citizen_id: str = "001203012345",
    key_type: str = "rsa",
    cert_label: str = "Nguyen Thi Hong Nhung",
    key_label: str | None = None,
    validity_days: int = 365,
    cert_id_differs: bool = False,
) -> TestToken:
    """Initialise a SoftHSM2 token under `workdir` and put a citizen's key and certificates on it.

    Sets SOFTHSM2_CONF in this process's environment (child processes inherit it).
    """
    module = softhsm_module()
    if module is None or shutil.which("softhsm2-util") is None:
        raise RuntimeError("SoftHSM2 is not installed (apt install softhsm2)")
    tokdir = workdir / "tokens"
    tokdir.mkdir(parents=True, exist_ok=True)
    conf = workdir / "softhsm2.conf"
    if not conf.exists():
        conf.write_text(f"directories.tokendir = {tokdir}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    so_pin = "87654321"
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", so_pin],
        check=True,
        capture_output=True,
        env={**os.environ, "SOFTHSM2_CONF": str(conf)},
    )
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name("SoHoa Test Root CA", org="SoHoa Test PKI")
    root = _ca_cert(root_name, root_name, root_key.public_key(), root_key)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("SoHoa Test Issuing CA", org="SoHoa Test PKI")
    ca = _ca_cert(ca_name, root_name, ca_key.public_key(), root_key, path_len=0)

    lib = pkcs11.lib(module)
    lib.reinitialize()  # see tokens made since this process first loaded the module
    token = lib.get_token(token_label=label)
    key_id = os.urandom(8)
    with token.open(rw=True, user_pin=pin) as session:
        kl = key_label or cert_label
        if key_type == "rsa":
            pub, _priv = session.generate_keypair(KeyType.RSA, 2048, id=key_id, label=kl, store=True)
        else:
            params = session.create_domain_parameters(
                KeyType.EC,
                {Attribute.EC_PARAMS: pkcs11.util.ec.encode_named_curve_parameters("secp256r1")},
                local=True,
            )
            pub, _priv = params.generate_keypair(id=key_id, label=kl, store=True)
        subject_pub = _token_public_key(pub, key_type)
        now = dt.datetime.now(dt.UTC)
        leaf = (
            x509.CertificateBuilder()
            .subject_name(_name(holder, uid=f"CCCD:{citizen_id}"))
            .issuer_name(ca_name)
            .public_key(subject_pub)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=max(1, 1 - validity_days)))
            .not_valid_after(now + dt.timedelta(days=validity_days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
            )
            .sign(ca_key, hashes.SHA256())
        )
        leaf_id = os.urandom(8) if cert_id_differs else key_id
        for cert, lbl, cid in ((leaf, cert_label, leaf_id), (ca, "SoHoa Test Issuing CA", os.urandom(8))):
            der = cert.public_bytes(serialization.Encoding.DER)
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.PRIVATE: False,
                    Attribute.LABEL: lbl,
                    Attribute.ID: cid,
                    Attribute.SUBJECT: cert.subject.public_bytes(),
                    Attribute.ISSUER: cert.issuer.public_bytes(),
                    Attribute.VALUE: der,
                }
            )
    root_pem = workdir / f"{label}-root.pem"
    root_pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    issuing_pem = workdir / f"{label}-issuing.pem"
    issuing_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return TestToken(module, conf, label, pin, so_pin, root_pem, issuing_pem, holder, citizen_id, cert_label)

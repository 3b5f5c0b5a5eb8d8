"""What real USB tokens do and SoftHSM2 does not: a PIN pad, locking after wrong PINs, being pulled out.

The tokens are the session's SoftHSM2 tokens seen through tests/vtoken (a PKCS#11 module compiled
from C), driven through the real `sohoa` command line in child processes.
"""

from __future__ import annotations

import hashlib
import shutil

from signing import verify_pdf
from signing.verify import load_trust_roots
from tests.conftest import run_json, run_sohoa

EN = {"SOHOA_LANG": "en"}


def _sign(vtoken, token, inputs, out_dir, *, pin: str | None, extra=(), env=None):
    args = [
        "sign",
        *map(str, inputs),
        "--out-dir",
        str(out_dir),
        "--module",
        vtoken.module,
        "--token",
        token.label,
    ]
    args += ["--pin-stdin"] if pin is not None else []
    return run_sohoa(
        *args,
        *extra,
        stdin=(pin + "\n") if pin is not None else "",
        env={**vtoken.env, **EN, **(env or {})},
        check=False,
    )


def test_pin_pad_token_signs_without_a_pin(vtoken, token, scan_pdf, tmp_path, sohoa_home):
    vtoken.set("pinpad", token.pin)  # what the holder types on the pad
    data = run_json("tokens", "--module", vtoken.module, "--token", token.label, env=vtoken.env)
    (tok,) = data["modules"][0]["tokens"]
    assert tok["pin_pad"] is True
    proc = _sign(vtoken, token, [scan_pdf], tmp_path / "out", pin=None)
    assert proc.returncode == 0, proc.stderr
    assert "keypad" in proc.stderr  # the clerk is told where to type it
    report = verify_pdf(tmp_path / "out" / scan_pdf.name, load_trust_roots([token.root_pem]))
    assert report.ok and report.signatures[0].signer == token.holder


def test_wrong_pins_report_what_the_token_says_and_lock_it(vtoken, token, scan_pdf, tmp_path, sohoa_home):
    vtoken.set("lockout", "")
    out = tmp_path / "out"
    expected = ["few tries are left", "Only one try is left", "locked"]
    for n, words in enumerate(expected, start=1):
        proc = _sign(vtoken, token, [scan_pdf], out, pin="000000")
        assert proc.returncode == 5 and words in proc.stderr, proc.stderr
        assert vtoken.number("tries") == n  # one login per run: a wrong PIN is never retried
        assert "000000" not in proc.stdout + proc.stderr
    data = run_json("tokens", "--module", vtoken.module, "--token", token.label, env=vtoken.env)
    assert data["modules"][0]["tokens"][0]["pin_locked"] is True
    proc = _sign(vtoken, token, [scan_pdf], out, pin=token.pin)  # even the right PIN: locked
    assert proc.returncode == 5 and "locked" in proc.stderr
    assert vtoken.number("tries") == 3  # refused before the token was even asked
    assert not out.exists() or not any(out.iterdir())
    log = (sohoa_home / "logs" / "sohoa.log").read_text(encoding="utf-8")
    assert "000000" not in log and token.pin not in log


def test_token_pulled_out_mid_batch(vtoken, token, tmp_path, sohoa_home, scan_pdf):
    inputs = []
    for n in range(4):
        p = tmp_path / f"phan-{n}.pdf"
        p.write_bytes(scan_pdf.read_bytes())
        inputs.append(p)
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs}
    out = tmp_path / "out"
    vtoken.set("unplug-after", "2")
    proc = _sign(vtoken, token, inputs, out, pin=token.pin)
    assert proc.returncode == 5 and "removed" in proc.stderr, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["phan-0.pdf", "phan-1.pdf"]  # no partial, no temp file
    roots = load_trust_roots([token.root_pem])
    assert all(verify_pdf(out / f"phan-{n}.pdf", roots).ok for n in (0, 1))
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs} == before
    vtoken.clear("unplug-after")  # plugged back in: the rest signs
    proc = _sign(vtoken, token, inputs[2:], out, pin=token.pin)
    assert proc.returncode == 0, proc.stderr
    assert all(verify_pdf(out / f"phan-{n}.pdf", roots).ok for n in range(4))


def test_dossier_signing_keeps_the_parts_signed_before_the_token_was_pulled(
    vtoken, official_token, scan_pdf, sohoa_home
):
    from app.workspace import Workspace

    names = ["Đơn đề nghị", "Giấy tờ đất", "Bản vẽ"]
    with Workspace(sohoa_home) as ws:
        ws.create_dossier("HS-RUT-TOKEN")
        for name in names:
            comp = ws.component("HS-RUT-TOKEN", name, create=True)
            ws.add_artifact(comp.id, "ocr_pdf", scan_pdf, status="processed")
    vtoken.set("unplug-after", "1")
    args = ["dossier", "sign", "HS-RUT-TOKEN", "--module", vtoken.module, "--token", official_token.label]
    args += ["--pin-stdin", "--role", "official", "--trust", str(official_token.root_pem)]
    proc = run_sohoa(*args, stdin=official_token.pin + "\n", env={**vtoken.env, **EN}, check=False)
    assert proc.returncode == 5 and "removed" in proc.stderr, proc.stderr
    outbox = run_json("outbox", "list")
    assert [i["component"] for i in outbox] == [names[0]]  # signed, verified and queued
    with Workspace(sohoa_home) as ws:
        assert [c.status for c in ws.components("HS-RUT-TOKEN")] == ["queued", "processed", "processed"]
    vtoken.clear("unplug-after")
    data = run_json(*args, stdin=official_token.pin + "\n", env=vtoken.env)
    assert sorted(p["component"] for p in data["signed"]) == sorted(names[1:])


def test_driver_is_found_without_module_and_an_ambiguity_is_refused(
    vtoken, token, scan_pdf, tmp_path, sohoa_home
):
    import json

    out = tmp_path / "out"
    args = ["sign", str(scan_pdf), "--out-dir", str(out), "--token", token.label, "--pin-stdin"]
    run_sohoa(*args, stdin=token.pin + "\n")  # SoftHSM2 is in the catalogue of known drivers
    assert verify_pdf(out / scan_pdf.name, load_trust_roots([token.root_pem])).ok
    # A second driver that sees tokens too (another CA's: here a copy of SoftHSM2, loaded apart).
    other_ca = tmp_path / "libsofthsm2-copy.so"
    shutil.copyfile(vtoken.env["VTOKEN_TARGET"], other_ca)
    sohoa_home.mkdir(exist_ok=True)
    (sohoa_home / "settings.json").write_text(json.dumps({"pkcs11_modules": [vtoken.module]}))
    env = {**vtoken.env, **EN, "VTOKEN_TARGET": str(other_ca)}
    proc = run_sohoa(*args, stdin=token.pin + "\n", env=env, check=False)
    assert proc.returncode == 2 and "several drivers" in proc.stderr and vtoken.module in proc.stderr


def test_a_driver_in_a_registered_folder_is_found_before_the_usual_places(tmp_path):
    """The Windows installer registers the folders where it found CA drivers (and those IT staff
    name); drivers there are offered first, under their vendor's name."""
    import shutil

    from app.signsetup import module_catalog
    from signing.modules import discover_modules

    drivers = tmp_path / "Nhà cung cấp" / "drivers"
    drivers.mkdir(parents=True)
    shutil.copy2("/usr/lib/softhsm/libsofthsm2.so", drivers / "libsofthsm2.so")
    found = discover_modules(module_catalog(extra_folders=[str(drivers)]))
    assert found[0].path == str(drivers / "libsofthsm2.so") and found[0].vendor == "SoftHSM (test token)"
    assert all(m.path != str(drivers / "libsofthsm2.so") for m in discover_modules(module_catalog([])))


def test_a_registered_folder_wins_over_a_driver_listed_earlier_in_the_usual_places(tmp_path):
    """Whatever else the machine has installed (OpenSC in a standard folder, listed before the CA's
    driver in the catalogue), a known driver in a registered folder comes first."""
    from signing.modules import discover_modules, platform_key

    usual, registered = tmp_path / "usr-lib", tmp_path / "Nhà cung cấp"
    usual.mkdir()
    registered.mkdir()
    (usual / "opensc-pkcs11.so").write_bytes(b"\x7fELF opensc")
    (usual / "ca-driver.so").write_bytes(b"\x7fELF the CA's, in the usual place")
    (registered / "ca-driver.so").write_bytes(b"\x7fELF the CA's, where the installer found it")
    key = platform_key()
    catalog = {
        "folders": {key: [str(usual)]},
        "modules": [
            {"vendor": "OpenSC", "files": {key: ["opensc-pkcs11.so"]}},
            {"vendor": "Một CA", "files": {key: ["ca-driver.so"]}},
        ],
    }
    plain = [(m.vendor, m.path) for m in discover_modules(catalog)]
    assert plain == [("OpenSC", str(usual / "opensc-pkcs11.so")), ("Một CA", str(usual / "ca-driver.so"))]
    found = [(m.vendor, m.path) for m in discover_modules({**catalog, "registered": [str(registered)]})]
    assert found[0] == ("Một CA", str(registered / "ca-driver.so"))
    assert found[1:] == plain
    configured = discover_modules({**catalog, "registered": [str(registered)]}, [str(usual / "ca-driver.so")])
    assert configured[0].vendor == "configured"  # an admin's own path still comes before everything


def test_roots_pushed_by_it_staff_beside_the_machine_settings_are_trusted(
    token, scan_pdf, tmp_path, monkeypatch
):
    """A signature checks out against a root in trust/ beside the admin settings file
    (/etc/sohoa/trust, %ProgramData%\\SoHoa\\trust), with nothing in the workspace or the command."""
    from tests.conftest import run_json, run_sohoa

    machine = tmp_path / "etc-sohoa"
    (machine / "trust").mkdir(parents=True)
    (machine / "settings.json").write_text("{}", encoding="utf-8")
    env = {"SOHOA_ADMIN_CONFIG": str(machine / "settings.json"), "SOHOA_HOME": str(tmp_path / "ws")}
    signed = tmp_path / "signed.pdf"
    run_json(
        "sign", str(scan_pdf), "-o", str(signed), "--module", token.module, "--token", token.label,
        "--pin-stdin", stdin=token.pin + "\n", env=env,
    )  # fmt: skip
    assert run_sohoa("verify", str(signed), "--json", check=False, env=env).returncode != 0
    (machine / "trust" / "root.pem").write_bytes(token.root_pem.read_bytes())
    assert run_json("verify", str(signed), env=env)["ok"] is True

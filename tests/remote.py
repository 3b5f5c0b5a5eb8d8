"""Remote signing services for the tests, each its own process on 127.0.0.1."""

from __future__ import annotations

import sys

from tests import pki


def csc_dummy(test_pki: pki.TestPki, *, scal: int, multisign: int) -> tuple[pki.Process, str]:
    """certomancer-csc-dummy over the test PKI; returns the process and its `/csc/v1` URL."""
    port = pki.free_port()
    proc = pki.Process(
        [sys.executable, "-m", "tests.cscdummy", str(test_pki.config), str(port), str(scal), str(multisign)],
        port,
        test_pki.workdir / f"csc-{port}.log",
    ).start()
    return proc, f"http://127.0.0.1:{port}/csc/v1"

"""Remote signing services for the tests, each its own process on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from tests import pki


class Process:
    """A server started with `args` that listens on `port`; its output goes to `log`."""

    def __init__(self, args: list[str], port: int, log: Path) -> None:
        self.args, self.port, self.log = args, port, log
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> Process:
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
        raise RuntimeError(f"{self.args} did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.proc = None


def csc_dummy(test_pki: pki.TestPki, *, scal: int, multisign: int) -> tuple[Process, str]:
    """certomancer-csc-dummy over the test PKI; returns the process and its `/csc/v1` URL."""
    port = pki.free_port()
    proc = Process(
        [sys.executable, "-m", "tests.cscdummy", str(test_pki.config), str(port), str(scal), str(multisign)],
        port,
        test_pki.workdir / f"csc-{port}.log",
    ).start()
    return proc, f"http://127.0.0.1:{port}/csc/v1"

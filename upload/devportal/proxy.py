"""A TCP pass-through in front of the portal that can cut connections mid-request, like a bad proxy."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random

log = logging.getLogger(__name__)


class CuttingProxy:
    """Forward 127.0.0.1:`port` to the real server; when `cutting()` is true, abort a connection
    after a random share of `every_bytes` has gone upstream since the last cut."""

    def __init__(self, upstream_port: int, cutting, *, every_bytes: int = 3 * 1024 * 1024) -> None:
        self.upstream_port = upstream_port
        self.cutting = cutting
        self.every = every_bytes
        self.budget = self._next_budget()
        self.cuts = 0

    def _next_budget(self) -> int:
        return int(self.every * random.uniform(0.5, 1.5))

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            writer.close()
            return

        async def pipe(src, dst, upstream: bool) -> None:
            try:
                while data := await src.read(256 * 1024):
                    if upstream and self.cutting():
                        self.budget -= len(data)
                        if self.budget <= 0:
                            self.budget = self._next_budget()
                            self.cuts += 1
                            log.info("fault: connection cut after part of a request (%d so far)", self.cuts)
                            dst.write(data[: len(data) // 2])
                            await dst.drain()
                            writer.transport.abort()
                            up_writer.transport.abort()
                            return
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                with contextlib.suppress(ConnectionError, OSError, RuntimeError):
                    dst.close()

        await asyncio.gather(pipe(reader, up_writer, True), pipe(up_reader, writer, False))

"""python -m upload.devportal --host 127.0.0.1 --port N --root DIR [--fault NAME]..."""

from __future__ import annotations

import argparse
import asyncio
import logging
import socket
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    try:
        import uvicorn

        from upload.devportal.app import FAULTS, PortalState, create_app
        from upload.devportal.proxy import CuttingProxy
    except ImportError as exc:
        print(f"the reference portal needs its extra: pip install -e '.[devportal]' ({exc})", file=sys.stderr)
        return 2
    ap = argparse.ArgumentParser(prog="python -m upload.devportal", description=__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument(
        "--root", type=Path, required=True, help="where uploads, attached files and the journal go"
    )
    ap.add_argument(
        "--fault", action="append", default=[], choices=FAULTS, help="inject a fault (repeatable)"
    )
    ap.add_argument("--every", type=int, default=3, help="the n-th request a fault hits (default 3)")
    ap.add_argument("--client-id", help="accept only this client (default: any id and secret)")
    ap.add_argument("--client-secret-env", help="environment variable holding the accepted client secret")
    ap.add_argument("--token-ttl", type=int, default=3600, help="token lifetime in seconds")
    ap.add_argument("--reject-dossier", default="TUCHOI-", help="dossier codes with this prefix are refused")
    ap.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    ap.add_argument("--tls-key", help="and this key (PEM)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    import os

    state = PortalState(
        root=args.root,
        client_id=args.client_id,
        client_secret=os.environ.get(args.client_secret_env, "") if args.client_secret_env else None,
        token_ttl_s=args.token_ttl,
        reject_prefix=args.reject_dossier,
    )
    state.faults.active = set(args.fault)
    state.faults.every = args.every
    app = create_app(state)

    # With --fault drop a cutting TCP proxy listens on --port in front of the server; otherwise the
    # server listens there itself (the proxy, in Python, costs throughput).
    cutting = state.cutting_proxy = "drop" in state.faults.active
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        inner = s.getsockname()[1]
    config = uvicorn.Config(
        app,
        host="127.0.0.1" if cutting else args.host,
        port=inner if cutting else args.port,
        log_level="warning",
        ssl_certfile=args.tls_cert,
        ssl_keyfile=args.tls_key,
        timeout_keep_alive=30,
        h11_max_incomplete_event_size=64 * 1024,
    )
    server = uvicorn.Server(config)
    proxy = CuttingProxy(inner, lambda: "drop" in state.faults.active)

    async def run() -> None:
        if not cutting:
            await server.serve()
            return
        outer = await asyncio.start_server(proxy.handle, args.host, args.port)
        async with outer:
            await server.serve()

    print(
        f"reference portal on {'https' if args.tls_cert else 'http'}://{args.host}:{args.port}/", flush=True
    )
    asyncio.run(run())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

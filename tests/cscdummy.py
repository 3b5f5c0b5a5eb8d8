"""certomancer-csc-dummy (an independent CSC v1 server) over the test PKI, as its own process.

    python -m tests.cscdummy CONFIG PORT SCAL MULTISIGN

Its own launcher binds "localhost" and fixes the batch limit at 10; this one binds 127.0.0.1 and
takes the limit, so that a batch above the provider's limit can be tried.
"""

import sys

from aiohttp import web
from certomancer import registry
from csc_dummy.csc_dummy_server import CSCWithCertomancer, DummyServiceParams


def main() -> None:
    config, port, scal, multisign = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    app = CSCWithCertomancer(
        registry.CertomancerConfig.from_file(config),
        service_params=DummyServiceParams(hash_pinning_required=scal >= 2, multisign=multisign),
    )
    app.register_routes()
    web.run_app(app.app, host="127.0.0.1", port=port, print=None)


if __name__ == "__main__":
    main()

"""certomancer-csc-dummy (an independent CSC v1 server) over the test PKI, as its own process.

    python -m tests.cscdummy CONFIG PORT SCAL MULTISIGN [PIN|-] [OTP|-]

Its own launcher binds "localhost" and fixes the batch limit at 10; this one binds 127.0.0.1 and
takes the limit, so that a batch above the provider's limit can be tried. The dummy authorizes
implicitly; given a PIN and/or a one-time code, this launcher makes its credentials explicit
(`authMode`, `PIN`, an online `OTP` sent by `credentials/sendOTP`) and refuses an authorization
without them, as CSC v1.0.4 says, leaving the signing to the dummy. `GET /_test/otp` tells how
many codes were sent.
"""

import json
import sys

from aiohttp import web
from certomancer import registry
from csc_dummy.csc_dummy_server import CSCWithCertomancer, DummyServiceParams


class ExplicitCsc(CSCWithCertomancer):
    def __init__(self, *args, pin: str | None = None, otp: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pin, self.otp, self.sent = pin, otp, 0

    def register_routes(self) -> None:
        super().register_routes()
        self.app.add_routes(
            [
                web.post("/csc/v1/credentials/sendOTP", self.send_otp),
                web.get("/_test/otp", lambda _r: web.json_response({"sent": self.sent})),
            ]
        )

    async def credentials_info(self, request: web.Request):
        answer = json.loads((await super().credentials_info(request)).body)
        if self.pin:
            answer.update(authMode="explicit", PIN={"presence": "true", "format": "N", "label": "PIN"})
        if self.otp:
            answer.update(authMode="explicit", OTP={"presence": "true", "type": "online", "format": "N"})
        return web.json_response(answer)

    async def send_otp(self, request: web.Request):
        await request.json()
        self.sent += 1
        return web.Response(status=204)

    async def credentials_authorize(self, request: web.Request):
        params = await request.json()
        if self.pin and params.get("PIN") != self.pin:
            return _invalid("Invalid PIN")
        if self.otp and (not self.sent or params.get("OTP") != self.otp):
            return _invalid("Invalid OTP")
        return await super().credentials_authorize(request)


def _invalid(description: str) -> web.Response:
    return web.json_response({"error": "invalid_request", "error_description": description}, status=400)


def main() -> None:
    config, port, scal, multisign = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    pin, otp = ([a if a != "-" else None for a in sys.argv[5:7]] + [None, None])[:2]
    app = ExplicitCsc(
        registry.CertomancerConfig.from_file(config),
        service_params=DummyServiceParams(hash_pinning_required=scal >= 2, multisign=multisign),
        pin=pin,
        otp=otp,
    )
    app.register_routes()
    web.run_app(app.app, host="127.0.0.1", port=port, print=None)


if __name__ == "__main__":
    main()

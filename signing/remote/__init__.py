"""Remote signing: the signer's key stays with a CA's service and the signer approves on their phone.

`CscService` speaks the Cloud Signature Consortium API; `Sp769Service` the Vietnamese services of the
769 shape (the national eSign gateway, VNPT SmartCA). `signing.remote.pades` signs PDFs through any
of them with pyHanko's interrupted signing.
"""

from signing.remote.csc import CscService
from signing.remote.pades import RemoteBatch, ask, discard, finish, prepare, sign_remote, wait
from signing.remote.service import (
    PollResult,
    RemoteCredential,
    RemoteService,
    RemoteState,
    Transaction,
    check_codes,
)
from signing.remote.sp769 import Paths, Sp769Service

__all__ = [
    "CscService",
    "Paths",
    "PollResult",
    "RemoteBatch",
    "RemoteCredential",
    "RemoteService",
    "RemoteState",
    "Sp769Service",
    "Transaction",
    "ask",
    "check_codes",
    "discard",
    "finish",
    "prepare",
    "sign_remote",
    "wait",
]

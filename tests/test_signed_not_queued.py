"""A part signed and recorded, the process killed before the outbox took it: the day's upload
queues it (verified again) and delivers it; nothing signed is left behind."""

from __future__ import annotations

import shutil

import pytest

from tests import remote


class Killed(BaseException):
    """Stands for SIGKILL between recording the signed file and queueing it."""


def test_a_part_signed_but_not_queued_is_delivered_by_the_next_upload(
    sohoa_home, token, scan_pdf, tmp_path, monkeypatch
):
    from app import pipeline
    from app.config import Settings
    from app.pipeline import sign as sign_stage
    from app.workspace import Workspace
    from signing import TokenSession
    from upload import Outbox

    (sohoa_home / "trust").mkdir(parents=True, exist_ok=True)
    shutil.copy(token.root_pem, sohoa_home / "trust" / "root.pem")
    remote.processed_dossier("HS-KILL", scan_pdf, 2)
    settings = Settings()

    def killed(*_args, **_kwargs):
        raise Killed()

    with Workspace(sohoa_home) as ws, TokenSession(token.module, token_label=token.label) as session:
        session.login(token.pin)
        monkeypatch.setattr(sign_stage, "_queue", killed)
        with pytest.raises(Killed):
            pipeline.sign_components(ws, ws.components("HS-KILL")[:1], session, settings)
        monkeypatch.undo()
        assert [c.status for c in ws.components("HS-KILL")] == ["signed", "processed"]
        with Outbox(ws.outbox_path) as box:
            assert box.items() == []
        summary = pipeline.upload_due(ws, settings, folder=str(tmp_path / "delivered"))
        assert len(summary.delivered) == 1
        assert [c.status for c in ws.components("HS-KILL")] == ["uploaded", "processed"]
        assert len(list((tmp_path / "delivered").rglob("*.pdf"))) == 1

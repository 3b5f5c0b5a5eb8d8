"""Times as a Vietnamese counter writes them: Vietnam keeps UTC+7 all year."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")


def vietnam_time(moment: datetime | None = None) -> str:
    """A time as a Vietnamese reader expects it: day/month/year, 24 h clock, UTC+07:00."""
    moment = (moment or datetime.now(UTC)).astimezone(VIETNAM_TIME)
    return moment.strftime("%d/%m/%Y %H:%M:%S") + " (GMT+7)"


def iso_vietnam_time(moment: datetime | None = None) -> str:
    """ISO 8601 with the Vietnam time zone, to the second: 2026-11-28T09:30:00+07:00."""
    return (moment or datetime.now(UTC)).astimezone(VIETNAM_TIME).isoformat(timespec="seconds")

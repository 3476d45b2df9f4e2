"""Daily schedule arithmetic in a channel's timezone (pure: `now` is always a parameter)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ScheduleError(ValueError):
    """A time of day or timezone that cannot be used; str() says why."""


def parse_time_of_day(text: str) -> time:
    match = _HHMM.match(text.strip())
    if not match:
        raise ScheduleError(f"“{text}” is not a time of day like 08:30")
    return time(int(match.group(1)), int(match.group(2)))


def parse_timezone(name: str) -> ZoneInfo:
    try:
        if "/" not in name and name.upper() != "UTC":
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ScheduleError(f"“{name}” is not an IANA timezone like Europe/London") from exc


def occurrence(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of `at` on local `day`.

    Around DST changes (PEP 495, fold=0): a time skipped in spring lands one hour later
    (02:30 becomes 03:30), and a time repeated in autumn is its first occurrence.
    """
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def last_occurrence(at: time, tz: ZoneInfo, now: datetime) -> tuple[date, datetime]:
    """The latest scheduled instant at or before `now`, and the local date it belongs to."""
    today = now.astimezone(tz).date()
    for day in (today, today - timedelta(days=1), today - timedelta(days=2)):
        instant = occurrence(day, at, tz)
        if instant <= now:
            return day, instant
    raise AssertionError("unreachable: a day has one occurrence")  # pragma: no cover

"""How many times one client address may do a thing, in sliding windows.

The public report form takes reports from anyone, without signing in: the
limits keep one address from filling the triage queue (a family sends one
report, or a few for several children; nobody honest sends twenty in a day).
The sign-in throttle (``homeward.web.security.FailureThrottle``) counts failed
sign-ins the same way.  Counts are kept in the database (``address_events``),
so every server process of the registry sees the same ones and a restart
forgets none; behind a proxy, the address is the one the trusted proxy forwards.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import Engine, delete, insert, select

from homeward.storage.tables import AddressEventRow, Base

HOUR = 3600.0
DAY = 86400.0
PUBLIC_REPORT = "public.report"
SIGN_IN_FAILURE = "signin.failure"

_EVENTS = Base.metadata.tables[AddressEventRow.__tablename__]


@dataclass(frozen=True, slots=True)
class Window:
    seconds: float
    limit: int


class AddressEvents:
    """The ``address_events`` table: what each client address did, and when.

    The address is kept as HMAC-SHA256 under a key of the registry's data
    directory (``homeward.web.shared.address_key``), never as it was sent:
    the table can tell that the same address came again, not which one it was.
    Each event is one short transaction of its own, outside the audit trail."""

    def __init__(self, engine: Engine, key: bytes) -> None:
        self.engine = engine
        self._key = key

    def digest(self, address: str) -> str:
        return hmac.new(self._key, address.encode(), hashlib.sha256).hexdigest()

    def times(self, kind: str, address: str, since: float) -> list[float]:
        """When the address did ``kind`` after ``since``, oldest first."""
        query = (
            select(_EVENTS.c.at)
            .where(
                _EVENTS.c.kind == kind,
                _EVENTS.c.address == self.digest(address),
                _EVENTS.c.at > since,
            )
            .order_by(_EVENTS.c.at)
        )
        with self.engine.connect() as conn:
            return [float(at) for at in conn.scalars(query)]

    def add(self, kind: str, address: str, at: float, *, forget_before: float) -> None:
        """Note that the address did ``kind`` at ``at``; events of the kind from
        ``forget_before`` or earlier, which no window counts any more, go."""
        with self.engine.begin() as conn:
            conn.execute(insert(_EVENTS).values(kind=kind, address=self.digest(address), at=at))
            conn.execute(
                delete(_EVENTS).where(_EVENTS.c.kind == kind, _EVENTS.c.at <= forget_before)
            )


class RateLimit:
    """At most ``limit`` hits per address within each window.

    The check and the hit are apart, so requests of one address arriving at
    the same moment may each pass before any is counted; a few more, never
    one whole limit per server process."""

    def __init__(
        self,
        events: AddressEvents,
        kind: str,
        windows: Sequence[Window],
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not windows:
            raise ValueError("a rate limit needs at least one window")
        self.events = events
        self.kind = kind
        self.windows = tuple(windows)
        self.longest = max(w.seconds for w in windows)
        self.clock = clock

    def retry_after(self, address: str) -> int:
        """Seconds until this address may try again; 0 when it may now."""
        now = self.clock()
        hits = self.events.times(self.kind, address, now - self.longest)
        wait = 0.0
        for window in self.windows:
            inside = [t for t in hits if t > now - window.seconds]
            if len(inside) >= window.limit:
                # the hit that must leave the window before one more fits
                oldest = inside[len(inside) - window.limit]
                wait = max(wait, oldest + window.seconds - now)
        return int(wait) + 1 if wait > 0 else 0

    def hit(self, address: str) -> None:
        now = self.clock()
        self.events.add(self.kind, address, now, forget_before=now - self.longest)


def public_report_limit(request: Request) -> RateLimit:
    """The public report form's limit, from the settings ``public_reports_per_hour``
    and ``public_reports_per_day``, over the events every server process shares."""
    web = request.app.state.web
    settings = web.settings
    return RateLimit(
        web.address_events,
        PUBLIC_REPORT,
        (
            Window(HOUR, settings.public_reports_per_hour),
            Window(DAY, settings.public_reports_per_day),
        ),
    )

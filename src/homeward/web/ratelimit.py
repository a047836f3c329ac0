"""How many times one client address may do a thing, in sliding windows.

The public report form takes reports from anyone, without signing in: the
limits keep one address from filling the triage queue (a family sends one
report, or a few for several children; nobody honest sends twenty in a day).
Counts are kept per server process, like the sign-in throttle; behind a
proxy, the address is the one the trusted proxy forwards.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fastapi import Request

HOUR = 3600.0
DAY = 86400.0


@dataclass(frozen=True, slots=True)
class Window:
    seconds: float
    limit: int


class RateLimit:
    """At most ``limit`` hits per address within each window."""

    def __init__(
        self, windows: Sequence[Window], clock: Callable[[], float] = time.monotonic
    ) -> None:
        if not windows:
            raise ValueError("a rate limit needs at least one window")
        self.windows = tuple(windows)
        self.longest = max(w.seconds for w in windows)
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str, now: float) -> deque[float]:
        found = self._hits.setdefault(address, deque())
        while found and found[0] <= now - self.longest:
            found.popleft()
        return found

    def retry_after(self, address: str) -> int:
        """Seconds until this address may try again; 0 when it may now."""
        with self._lock:
            now = self.clock()
            hits = self._recent(address, now)
            wait = 0.0
            for window in self.windows:
                inside = [t for t in hits if t > now - window.seconds]
                if len(inside) >= window.limit:
                    # the hit that must leave the window before one more fits
                    oldest = inside[len(inside) - window.limit]
                    wait = max(wait, oldest + window.seconds - now)
            return int(wait) + 1 if wait > 0 else 0

    def hit(self, address: str) -> None:
        with self._lock:
            now = self.clock()
            self._recent(address, now).append(now)
            if len(self._hits) > 10_000:  # forget idle addresses
                for key in [k for k, v in self._hits.items() if not self._recent(k, now)]:
                    del self._hits[key]


def public_report_limit(request: Request) -> RateLimit:
    """The public report form's limit, one per app (made when first needed),
    from the settings ``public_reports_per_hour`` and ``public_reports_per_day``."""
    app_state = request.app.state
    found = getattr(app_state, "public_report_limit", None)
    if not isinstance(found, RateLimit):
        settings = app_state.web.settings
        found = RateLimit(
            (
                Window(HOUR, settings.public_reports_per_hour),
                Window(DAY, settings.public_reports_per_day),
            )
        )
        app_state.public_report_limit = found
    return found

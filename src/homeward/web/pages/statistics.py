"""The statistics pages: the public figures (no sign-in) and the same figures
for signed-in readers, with bar charts drawn here as SVG (no script, no
inline style: the page's Content-Security-Policy allows neither) and
downloads as CSV with HXL hashtags and as JSON.

Only counts reach these pages (services/statistics.py), never a child; a
count from 1 to 4 is shown as ``<5``.  The public figures are computed at most
once every :data:`PUBLIC_CACHE_SECONDS`, however many people ask.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from homeward.domain.roles import Actor, Permission, Role
from homeward.services.statistics import (
    HIDDEN,
    OUTSIDE_UKRAINE,
    SMALL,
    SUPPRESSED,
    UNKNOWN,
    Statistics,
    compute_statistics,
    statistics_csv,
    statistics_json,
)
from homeward.web import i18n
from homeward.web.deps import language, page_actor, render, state
from homeward.web.security import csrf_protect

router = APIRouter(dependencies=[Depends(csrf_protect)])

PUBLIC_CACHE_SECONDS = 300.0
PUBLIC_STATISTICS_ACTOR = Actor(username="public-statistics", role=Role.SYSTEM)
"""Who reads the registry for the public figures (in read-only units of work)."""

SECTIONS = (
    ("category", "Children by category"),
    ("status", "Children by status"),
    ("oblast", "Children by oblast of origin"),
    ("returns_by_month", "Children returned, by month of return"),
)

# The geometry of a chart, in SVG user units (the chart scales to its column).
CHART_WIDTH = 640
LABEL_WIDTH = 280
BAR_SPACE = 290
ROW_HEIGHT = 28
BAR_HEIGHT = 18
LABEL_CHARACTERS = 30


class StatisticsCache:
    """The last figures computed, kept for a while; one computation at a time,
    so a flood of requests waits for one query instead of making a thousand."""

    def __init__(
        self, seconds: float = PUBLIC_CACHE_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._kept: tuple[float, Statistics] | None = None

    def get(self, compute: Callable[[], Statistics]) -> Statistics:
        with self._lock:
            now = self.clock()
            if self._kept is None or now - self._kept[0] >= self.seconds:
                self._kept = (now, compute())
            return self._kept[1]


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    short_label: str
    shown: str
    y: int
    width: float
    text_x: float


@dataclass
class Chart:
    key: str
    title: str
    height: int
    bars: list[Bar] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)
    """(label, count as shown) for the table beside the chart."""


def _shown(children: Any) -> str:
    if children == HIDDEN:
        return "—"
    return str(children)


def _label(tr: i18n.Translator, item: dict[str, Any]) -> str:
    breakdown = item["breakdown"]
    if breakdown == "category":
        return tr.category(item["category"])
    if breakdown == "status":
        return tr.status(item["status"])
    if breakdown == "returns_by_month":
        return tr.day(item["month"])
    if item["oblast"] == UNKNOWN:
        return tr.gettext("Not known")
    if item["oblast"] == OUTSIDE_UKRAINE:
        return tr.gettext("Outside Ukraine")
    return str(item["oblast"] if tr.lang == "uk" else item["oblast_en"])


def _chart(key: str, title: str, rows: list[tuple[str, Any]]) -> Chart:
    numbers = [c for _, c in rows if isinstance(c, int)]
    top = max(numbers, default=0)
    chart = Chart(key, title, height=max(ROW_HEIGHT, ROW_HEIGHT * len(rows)))
    for index, (label, children) in enumerate(rows):
        width = BAR_SPACE * children / top if isinstance(children, int) and top else 0.0
        short = label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"
        chart.bars.append(
            Bar(label, short, _shown(children), index * ROW_HEIGHT, round(width, 1),
                round(LABEL_WIDTH + width + 6, 1))
        )  # fmt: skip
        chart.rows.append((label, _shown(children)))
    return chart


def figures(stats: Statistics, tr: i18n.Translator) -> dict[str, Any]:
    """What the statistics templates show: the total, a chart and a table per
    breakdown, the as-of time."""
    table = stats.table(public=True)
    total = next((i["children"] for i in table if i["breakdown"] == "total"), 0)
    charts = []
    for key, title in SECTIONS:
        rows = [(_label(tr, i), i["children"]) for i in table if i["breakdown"] == key]
        charts.append(_chart(key, tr.gettext(title), rows))
    return {
        "total": _shown(total),
        "charts": charts,
        "as_of": tr.when(stats.as_of),
        "hidden_any": any(i["children"] == HIDDEN for i in table),
        "small": SMALL,
        "suppressed": SUPPRESSED,
        "chart_width": CHART_WIDTH,
        "label_width": LABEL_WIDTH,
        "row_height": ROW_HEIGHT,
        "bar_height": BAR_HEIGHT,
    }


def _translator(request: Request) -> i18n.Translator:
    return i18n.Translator(language(request), state(request).settings.time_zone)


def public_statistics(request: Request) -> Statistics:
    """The public figures, computed at most once every few minutes per app."""
    app_state = request.app.state
    cache = getattr(app_state, "public_statistics_cache", None)
    if not isinstance(cache, StatisticsCache):
        cache = StatisticsCache()
        app_state.public_statistics_cache = cache

    def compute() -> Statistics:
        with state(request).registry.uow(PUBLIC_STATISTICS_ACTOR, write=False) as uow:
            return compute_statistics(uow)

    return cache.get(compute)


def _download(body: str, media_type: str, stats: Statistics, extension: str) -> Response:
    name = f"homeward-statistics-{stats.as_of.strftime('%Y-%m-%d')}.{extension}"
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/public/statistics")
def public_statistics_page(request: Request) -> Response:
    stats = public_statistics(request)
    response = render(request, "statistics_public.html", figures(stats, _translator(request)))
    return response


@router.get("/public/statistics.csv")
def public_statistics_csv(request: Request) -> Response:
    stats = public_statistics(request)
    response = _download(statistics_csv(stats, hxl=True), "text/csv; charset=utf-8", stats, "csv")
    # Nothing personal in it: browsers and proxies may keep it as long as the server does.
    response.headers["Cache-Control"] = f"public, max-age={int(PUBLIC_CACHE_SECONDS)}"
    return response


def _signed_in_statistics(request: Request, actor: Actor) -> Statistics:
    actor.require(Permission.READ_STATISTICS)
    with state(request).registry.uow(actor, write=False) as uow:
        return compute_statistics(uow)


@router.get("/statistics")
def statistics_page(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    stats = _signed_in_statistics(request, actor)
    return render(request, "statistics.html", figures(stats, _translator(request)))


@router.get("/statistics.csv")
def statistics_csv_download(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    stats = _signed_in_statistics(request, actor)
    return _download(statistics_csv(stats, hxl=True), "text/csv; charset=utf-8", stats, "csv")


@router.get("/statistics.json")
def statistics_json_download(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    stats = _signed_in_statistics(request, actor)
    return _download(statistics_json(stats), "application/json", stats, "json")

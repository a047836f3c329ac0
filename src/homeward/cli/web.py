"""``homeward serve``: the web app and the JSON API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from homeward.allocator import limit_malloc_arenas
from homeward.cli.common import console, settings
from homeward.config import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            help="Proxies trusted to say the request came over HTTPS (X-Forwarded-Proto)."
        ),
    ] = "127.0.0.1",
    access_log: Annotated[
        bool,
        typer.Option(help="Log every request line; these hold searched names, so off by default."),
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Server processes answering requests: one per processor core serves the most "
            "people at once.",
        ),
    ] = 1,
) -> None:
    """Serve the web app (pages and the JSON API under /api/v1) until stopped.

    Run ``homeward init`` first.  Put a TLS-terminating proxy in front of it for
    anything but a local machine: cookies are marked Secure when the proxy says
    the request came over HTTPS.
    """
    run_app(settings(), host=host, port=port, forwarded_allow_ips=forwarded_allow_ips,
            access_log=access_log, workers=workers)  # fmt: skip


WORKER_START_SECONDS = 180
"""How long a new server process may take to start answering."""


def run_app(
    config: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    forwarded_allow_ips: str = "127.0.0.1",
    access_log: bool = False,
    workers: int = 1,
) -> None:
    """Serve the web app of these settings with uvicorn until stopped.

    With several ``workers``, each process builds its own app from the same
    settings, read again from the environment (:func:`app_from_environment`);
    everything they share lives in the database."""
    import uvicorn

    if workers > 1 and config != Settings():
        raise ValueError("several server processes read their settings from the environment")
    app: Any = "homeward.cli.web:app_from_environment" if workers > 1 else make_app(config)
    console.print(f"Homeward at http://{host}:{port}/  (API: /api/v1/openapi.json)")
    uvicorn.run(
        app,
        factory=workers > 1,
        workers=workers,
        # A new process loads the names layer's data before it answers the
        # supervisor's pings: on a busy machine that takes many seconds, and a
        # process that does not answer in time is killed and started again.
        timeout_worker_healthcheck=WORKER_START_SECONDS,
        host=host,
        port=port,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        server_header=False,
        access_log=access_log,
        log_level="info",
    )


def make_app(config: Settings) -> FastAPI:
    """The web app of these settings, ready to answer its first request quickly."""
    from homeward.web import create_app

    app = create_app(config)
    _settle(app)
    return app


def app_from_environment() -> FastAPI:
    """The app of one server process among several: the settings come from the
    environment that ``homeward serve`` was started in."""
    return make_app(Settings())


GC_FULL_EVERY = 100
"""Collections of the middle generation between two full ones (Python's
default is 10)."""


def _settle(app: FastAPI) -> None:
    """Load the names layer's data and compile the page templates now, not on
    the first requests, and move everything loaded so far out of the garbage
    collector's sight: the collector then never walks those hundreds of
    megabytes of name data while a request waits.

    What the requests cache as they go (names met, compiled queries) is still
    in its sight: a full collection walks all of it, 0.03 to 0.15 s on a busy
    machine, in which every request of the process waits, and under load one
    came every ten seconds or so and found a few hundred objects to free.  Ten
    times rarer, it holds up ten times fewer requests; the younger
    generations, where nearly all garbage is, are collected as often as
    before."""
    import gc

    from homeward.linkage.model import default_model
    from homeward.linkage.scoring import score_pair

    score_pair(
        default_model(),
        {"full_name": "Коваленко Олександр Сергійович", "birth_place": "Маріуполь"},
        {"full_name": "KOVALENKO Aleksandr", "given_name": "Zbyszko", "birth_place": "Mariupol"},
    )
    env = app.state.web.templates.env
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    limit_malloc_arenas()
    gc.collect()
    gc.freeze()
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, GC_FULL_EVERY)

"""``homeward serve``: the web app and the JSON API."""

from __future__ import annotations

from typing import Annotated

import typer

from homeward.cli.common import console, settings
from homeward.config import Settings


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
) -> None:
    """Serve the web app (pages and the JSON API under /api/v1) until stopped.

    Run ``homeward init`` first.  Put a TLS-terminating proxy in front of it for
    anything but a local machine: cookies are marked Secure when the proxy says
    the request came over HTTPS.
    """
    run_app(settings(), host=host, port=port, forwarded_allow_ips=forwarded_allow_ips,
            access_log=access_log)  # fmt: skip


def run_app(
    config: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    forwarded_allow_ips: str = "127.0.0.1",
    access_log: bool = False,
) -> None:
    """Serve the web app of these settings with uvicorn until stopped."""
    import uvicorn

    from homeward.web import create_app

    app = create_app(config)
    _settle()
    console.print(f"Homeward at http://{host}:{port}/  (API: /api/v1/openapi.json)")
    uvicorn.run(
        app,
        host=host,
        port=port,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        server_header=False,
        access_log=access_log,
        log_level="info",
    )


def _settle() -> None:
    """Load the names layer's data now, not on the first search, and move
    everything loaded so far out of the garbage collector's sight: the
    collector then never walks those hundreds of megabytes of name data while a
    request waits."""
    import gc

    from homeward.linkage.model import default_model
    from homeward.linkage.scoring import score_pair

    score_pair(
        default_model(),
        {"full_name": "Коваленко Олександр Сергійович", "birth_place": "Маріуполь"},
        {"full_name": "KOVALENKO Aleksandr", "given_name": "Zbyszko", "birth_place": "Mariupol"},
    )
    gc.collect()
    gc.freeze()

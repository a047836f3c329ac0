"""``homeward serve``: the web app and the JSON API."""

from __future__ import annotations

from typing import Annotated

import typer

from homeward.cli.common import console, settings


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
    import uvicorn

    from homeward.web import create_app

    app = create_app(settings())
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

"""``homeward serve``: the web app and the JSON API."""

from __future__ import annotations

import typer

from homeward.cli.common import console, settings


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    forwarded_allow_ips: str = typer.Option(
        "127.0.0.1",
        help="Proxies trusted to say the request came over HTTPS (X-Forwarded-Proto).",
    ),
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
        log_level="info",
    )

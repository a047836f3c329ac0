"""The web application: ``create_app(settings)``."""

from __future__ import annotations

from homeward.web.app import create_app

__all__ = ["create_app"]

"""Homeward's errors.  Each kind carries the HTTP status the web app answers with."""

from __future__ import annotations


class HomewardError(Exception):
    """Base of every error Homeward raises on purpose; ``str(err)`` is for people."""

    status_code = 400


class Invalid(HomewardError):
    """Input that cannot be accepted; the message says what and where."""

    status_code = 422


class NotFound(HomewardError):
    status_code = 404


class Conflict(HomewardError):
    """Someone else changed the thing first, or the change contradicts its state."""

    status_code = 409


class Forbidden(HomewardError):
    status_code = 403


class TransitionRefused(Conflict):
    """A status move the status machine does not allow."""

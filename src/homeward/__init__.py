"""Homeward: a registry for tracing and returning children deported or forcibly
transferred during the war against Ukraine."""

__version__ = "0.1.0"

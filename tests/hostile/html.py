"""Reading a page as a browser would, to say whether a hostile value in it
could run: every element, attribute and text, parsed by the standard
library's HTML parser (which, like a browser, makes an element of any
unescaped ``<img ...>`` it meets)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster"})
ACTIVE = frozenset({"img", "svg", "iframe", "object", "embed", "math", "base"})
"""Elements that no page of Homeward has and an injected value would bring."""


@dataclass
class Scan(HTMLParser):
    """What a page holds that could run, and its text."""

    scripts: list[str] = field(default_factory=list)
    """Each ``<script>``: its ``src`` or, inline, ``inline``."""
    handlers: list[str] = field(default_factory=list)
    """Every ``on...=`` attribute, as ``tag.attribute``."""
    script_urls: list[str] = field(default_factory=list)
    injected: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"{tag}.{name}")
            if value is not None:
                self.attributes.append(value)
                if name in URL_ATTRIBUTES and _scheme(value) in ("javascript", "vbscript"):
                    self.script_urls.append(f"{tag}.{name}={value}")
        if tag == "script":
            self.scripts.append(dict(attrs).get("src") or "inline")
        if tag in ACTIVE:
            self.injected.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    @property
    def text(self) -> str:
        """The page's text with runs of white space as one space."""
        return squeeze("".join(self.texts))


def _scheme(url: str) -> str:
    """The scheme a browser reads (it ignores white space and control
    characters inside it: ``java\\tscript:`` is ``javascript:``)."""
    kept = "".join(ch for ch in url if ch > " ")
    head, colon, _ = kept.partition(":")
    return head.lower() if colon else ""


def squeeze(text: str) -> str:
    return " ".join(text.split())


def scan(html: str) -> Scan:
    found = Scan()
    found.feed(html)
    found.close()
    return found


def assert_harmless(html: str) -> Scan:
    """Nothing in the page runs but the application's own scripts."""
    found = scan(html)
    assert found.handlers == [], found.handlers
    assert found.script_urls == [], found.script_urls
    assert found.injected == [], found.injected
    assert all(s.startswith("/static/") for s in found.scripts), found.scripts
    return found

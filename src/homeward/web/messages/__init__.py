"""Ukrainian texts of the web app, by their English original, one module per
area of pages.  :data:`UKRAINIAN` is all of them; a text that two areas
translate differently is an error caught when this module loads."""

from __future__ import annotations

from homeward.web.messages import admin, cases, core, documents, imports, lists, public

AREAS = {
    "core": core.UKRAINIAN,
    "admin": admin.UKRAINIAN,
    "cases": cases.UKRAINIAN,
    "documents": documents.UKRAINIAN,
    "imports": imports.UKRAINIAN,
    "lists": lists.UKRAINIAN,
    "public": public.UKRAINIAN,
}


def _merged() -> dict[str, str]:
    merged: dict[str, str] = {}
    for area, texts in AREAS.items():
        for english, ukrainian in texts.items():
            if merged.get(english, ukrainian) != ukrainian:
                raise ValueError(f"{area} translates {english!r} differently from another area")
            merged[english] = ukrainian
    return merged


UKRAINIAN: dict[str, str] = _merged()

"""Cases as PFIF 1.4 persons, and PFIF persons as records (docs/exchange.md).

Export: one ``pfif:person`` per case, its identity taken from the case's
records, with one ``pfif:note`` per status change, per event and per reported
last known location.  The reporter's identity and contacts, investigation
notes, the reasons given for status moves, event notes and relatives are left
out unless the export asks for them and the actor may read sensitive data.
A partner exports only its organisation's cases.  Every export is noted in the
audit trail with its counts and the document's SHA-256, never its content.

Import: a PFIF 1.4 file becomes a Source (with the file's SHA-256: the same
file again adds nothing) and each person one record of it, its raw copy the
person's PFIF fields exactly as received, its notes flattened into the raw copy
(``note 1/status``) and summarised in the record's notes.
"""

from __future__ import annotations

from homeward.io.pfif import NOTE_FIELDS, PERSON_FIELDS
from homeward.services.pfif.export import DEFAULT_DOMAIN, PfifExport, export_pfif
from homeward.services.pfif.identity import ordered_records, place_of_origin, record_spelling
from homeward.services.pfif.importing import PfifImport, import_pfif, import_pfif_file
from homeward.services.pfif.persons import AUTHORITY, pfif_time

__all__ = [
    "AUTHORITY",
    "DEFAULT_DOMAIN",
    "NOTE_FIELDS",
    "PERSON_FIELDS",
    "PfifExport",
    "PfifImport",
    "export_pfif",
    "import_pfif",
    "import_pfif_file",
    "ordered_records",
    "pfif_time",
    "place_of_origin",
    "record_spelling",
]

"""Bulk import of CSV and XLSX files: every row kept, broken rows quarantined,
nothing imported twice, and the registry matched when the rows are in.

- A file becomes a Source (with its name and SHA-256) and an ``imports`` row
  that says how it was read (encoding, delimiter, sheet, header, mapping).
- Each good row becomes a Record with the file's row number; its raw copy is
  the row as received, keyed by the file's own headers.
- A row that cannot be read goes to the quarantine with the reason for each
  field (``row 17, birth_date: '31.02.2012' is not a date``); it never blocks
  the good rows, and it can be corrected (it then becomes a record) or discarded.
- Every row is read once before anything is written, into a temporary spool
  the rows are then written from: a file broken anywhere (a damaged cell of
  a workbook, a quote never closed) is refused whole and changes nothing.
- Rows are written in batches, one transaction each.  A file already imported
  adds nothing; an import cut short (a crash, a kill) is finished by running it
  again: rows already written are skipped by their row number.
- Then the new records are linked against the registry in one batch run
  (``review.match_records``): sure matches are linked, likely ones queued for
  review; optionally a case is opened for each record that matched nothing.
"""

from __future__ import annotations

from homeward.services.imports.batches import ImportResult, Progress
from homeward.services.imports.quarantine import (
    QUARANTINE_STATUSES,
    correct,
    discard,
    get_quarantined,
    quarantine_counts,
    quarantined,
)
from homeward.services.imports.reading import (
    NAME_FIELDS,
    Preview,
    check_row,
    file_sha256,
    preview,
    row_cells,
)
from homeward.services.imports.reads import (
    Entry,
    count_imports,
    entries,
    get_import,
    import_of_file,
    list_imports,
    sources_of,
)
from homeward.services.imports.run import BATCH_ROWS, PARALLEL_FROM_BYTES, import_file

__all__ = [
    "BATCH_ROWS",
    "NAME_FIELDS",
    "PARALLEL_FROM_BYTES",
    "QUARANTINE_STATUSES",
    "Entry",
    "ImportResult",
    "Preview",
    "Progress",
    "check_row",
    "correct",
    "count_imports",
    "discard",
    "entries",
    "file_sha256",
    "get_import",
    "get_quarantined",
    "import_file",
    "import_of_file",
    "list_imports",
    "preview",
    "quarantine_counts",
    "quarantined",
    "row_cells",
    "sources_of",
]

"""Synthetic children and the records several sources hold about them, with ground
truth: for the demo registry and the matching benchmarks.  Pure Python, deterministic
for a seed; see ``docs/synthetic-data.md``."""

from homeward.synthetic.config import CATEGORIES, SyntheticConfig
from homeward.synthetic.csvout import (
    ALL_COLUMNS,
    CONTRACT_COLUMNS,
    TRUTH_COLUMNS,
    write_csv,
    write_pairs_csv,
)
from homeward.synthetic.generator import generate
from homeward.synthetic.model import (
    RECORD_FIELDS,
    SOURCES,
    Facility,
    Record,
    Surname,
    SyntheticChild,
    SyntheticDataset,
    SyntheticEvent,
    SyntheticRelative,
    Town,
)
from homeward.synthetic.truth import LinkSplit, split_for_link, true_link_pairs, true_pairs

__all__ = [
    "ALL_COLUMNS",
    "CATEGORIES",
    "CONTRACT_COLUMNS",
    "RECORD_FIELDS",
    "SOURCES",
    "TRUTH_COLUMNS",
    "Facility",
    "LinkSplit",
    "Record",
    "Surname",
    "SyntheticChild",
    "SyntheticConfig",
    "SyntheticDataset",
    "SyntheticEvent",
    "SyntheticRelative",
    "Town",
    "generate",
    "split_for_link",
    "true_link_pairs",
    "true_pairs",
    "write_csv",
    "write_pairs_csv",
]

"""The knobs of the synthetic data generator, with documented defaults.

Every rate is a probability in ``[0, 1]``.  Rates that describe a variation of a
record are measured per record of the source they apply to (see each field), so a
benchmark can ask for "15 % of Russian-side records carry a new surname" and get it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

CATEGORIES: tuple[str, ...] = (
    "deported",
    "forcibly_transferred",
    "detained",
    "missing",
    "at_risk",
)


@dataclass(frozen=True, slots=True)
class SyntheticConfig:
    """Rates and sizes of a synthetic registry.  All defaults are documented in
    ``docs/synthetic-data.md``."""

    # --- families and names --------------------------------------------------------
    siblings_rate: float = 0.20
    """Share of children who have at least one (non-twin) sibling in the registry."""
    twins_rate: float = 0.03
    """Share of children who are one of a pair of twins."""
    common_name_collision_rate: float = 0.05
    """Share of children deliberately given the same given and family name as another,
    unrelated child (different parents, date and place)."""

    # --- which sources hold a record about a child -----------------------------------
    ua_report_rate: float = 0.92
    """Chance a child is in the Ukrainian reports (forced when no other source has it)."""
    ua_duplicate_rate: float = 0.45
    """Chance of a further Ukrainian report on a child already reported (applied twice,
    so a third report has chance ``rate**2``)."""
    ru_record_rate: float = 0.55
    """Chance the other side's records hold a deported child (scaled down for other
    categories)."""
    latin_record_rate: float = 0.40
    """Chance a mediator or NGO holds a Latin-script record of the child."""
    counterpart_list_rate: float = 0.18
    """Chance a deported child is on a list handed over by the other side."""
    russian_only_count: int | None = None
    """Children of the other side who are on no Ukrainian record (distractors);
    ``None`` means 5 % of the number of children."""

    # --- variations in Ukrainian reports (per ua_report record) ----------------------
    typo_rate: float = 0.08
    """One-character typo in one name part."""
    lookalike_rate: float = 0.04
    """Latin look-alike letters typed inside a Cyrillic name part."""
    diminutive_rate: float = 0.10
    """Diminutive given name (Саша for Олександр)."""
    full_name_only_rate: float = 0.15
    """Name given only as one unseparated ``full_name``."""
    partial_date_rate: float = 0.08
    """Birth date given as the year only."""
    former_place_name_rate: float = 0.05
    """Birth place under its former name (Артемівськ for Бахмут)."""

    # --- variations in the other side's records (per ru_record record) ---------------
    adopted_surname_rate: float = 0.15
    """Completely different Russian surname after adoption or guardianship."""
    altered_birthdate_rate: float = 0.10
    """Birth date altered: year ±1, day and month swapped, or one digit changed."""
    russian_former_place_rate: float = 0.60
    """Birth place under the former (Soviet) name when the town has one."""

    # --- all sources ----------------------------------------------------------------
    missing_field_rate: float = 0.15
    """Each optional field (patronymic, sex, places, parents, document, removal
    details...) is left empty with this chance."""

    category_weights: tuple[tuple[str, float], ...] = field(
        default=(
            ("deported", 0.55),
            ("forcibly_transferred", 0.15),
            ("detained", 0.05),
            ("missing", 0.15),
            ("at_risk", 0.10),
        )
    )
    """Relative frequency of each case category."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.endswith("_rate") and not 0.0 <= value <= 1.0:
                raise ValueError(f"{f.name} must be between 0 and 1, got {value!r}")
        if self.russian_only_count is not None and self.russian_only_count < 0:
            raise ValueError(f"russian_only_count must be >= 0, got {self.russian_only_count}")
        if self.siblings_rate + self.twins_rate + self.common_name_collision_rate > 1.0:
            raise ValueError(
                "siblings_rate + twins_rate + common_name_collision_rate must not exceed 1"
            )
        unknown = {name for name, _ in self.category_weights} - set(CATEGORIES)
        if unknown:
            raise ValueError(f"unknown categories in category_weights: {sorted(unknown)}")
        if sum(weight for _, weight in self.category_weights) <= 0:
            raise ValueError("category_weights must have a positive total")

    def russian_only_for(self, n_children: int) -> int:
        """How many distractor children a registry of ``n_children`` gets."""
        if self.russian_only_count is not None:
            return self.russian_only_count
        return round(n_children * 0.05)

"""What the generator produces: children with their true identity, facilities, and the
records several sources hold about them, with the ground truth that ties them together."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from homeward.synthetic.config import SyntheticConfig

Record = dict[str, str | None]
"""One source's account of a child: the fields of ``RECORD_FIELDS`` plus the ground
truth keys ``child_key`` and ``source``.  Any field may be ``None``."""

RECORD_FIELDS: tuple[str, ...] = (
    "record_id",
    "given_name",
    "family_name",
    "patronymic",
    "full_name",
    "sex",
    "birth_date",
    "birth_place",
    "residence",
    "document_id",
    "mother_name",
    "father_name",
    "last_known_location",
    "removal_date",
    "removal_place",
    "removal_circumstances",
)
TRUTH_FIELDS: tuple[str, ...] = ("child_key", "source")

SOURCES: tuple[str, ...] = (
    "ua_report",
    "ru_record",
    "latin_record",
    "counterpart_list",
    "russian_only",
)
UKRAINIAN_SIDE_SOURCES: frozenset[str] = frozenset({"ua_report"})
DISTRACTOR_KEY_PREFIX = "ru-"


@dataclass(frozen=True, slots=True)
class Surname:
    """A family name in its masculine and feminine forms (equal for Шевченко)."""

    masculine: str
    feminine: str

    def for_sex(self, sex: str) -> str:
        return self.feminine if sex == "f" else self.masculine


@dataclass(frozen=True, slots=True)
class Town:
    """A real town: its current Ukrainian name, the Russian and Latin spellings, and the
    former name where it was renamed (the other side keeps the former one)."""

    key: str
    oblast: str
    uk: str
    ru: str
    latin: str
    former_uk: str | None
    former_ru: str | None
    region_uk: str
    region_ru: str
    region_latin: str
    weight: float


@dataclass(frozen=True, slots=True)
class Facility:
    """A place where children are held: a camp, an institution, or a region of family
    placement, in Ukrainian, Russian and Latin spelling."""

    key: str
    kind: str
    """``camp``, ``institution`` or ``family_placement_region``."""
    country: str
    """``RU``, ``BY``, or ``UA`` for occupied territory of Ukraine."""
    name_uk: str
    name_ru: str
    name_latin: str
    region_uk: str
    region_ru: str
    region_latin: str
    settlement_uk: str | None
    settlement_ru: str | None
    settlement_latin: str | None
    weight: float = 1.0

    @property
    def region(self) -> str:
        return self.region_uk

    @property
    def settlement(self) -> str | None:
        return self.settlement_uk

    def location(self, script: str) -> str:
        """The facility as a source writes it: ``uk``, ``ru`` or ``latin``."""
        name, settlement, region = {
            "uk": (self.name_uk, self.settlement_uk, self.region_uk),
            "ru": (self.name_ru, self.settlement_ru, self.region_ru),
            "latin": (self.name_latin, self.settlement_latin, self.region_latin),
        }[script]
        if self.kind == "family_placement_region":
            return name
        if settlement and settlement not in name:
            return f"{name}, {settlement}, {region}"
        return f"{name}, {region}"


@dataclass(frozen=True, slots=True)
class SyntheticEvent:
    """One step of a child's timeline."""

    kind: str
    """``removal``, ``sighting``, ``transfer``, ``adoption``, ``guardianship`` or
    ``citizenship_change``."""
    date: date
    place: Town | None = None
    facility_key: str | None = None
    circumstances: str | None = None
    """A key of ``homeward.synthetic.phrases.CIRCUMSTANCES`` (removal events)."""
    detail: str | None = None
    """Free detail, e.g. the new surname after adoption."""


@dataclass(frozen=True, slots=True)
class SyntheticRelative:
    """A parent or grandparent, with whether they are the legal representative and
    requested the return."""

    relationship: str
    """``mother``, ``father`` or ``grandmother``."""
    given_name: str
    surname: Surname
    patronymic: str
    sex: str
    is_legal_representative: bool
    requested_return: bool
    phone: str

    @property
    def family_name(self) -> str:
        return self.surname.for_sex(self.sex)

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name} {self.patronymic}"


@dataclass(slots=True)
class SyntheticChild:
    """One real (synthetic) child: the true identity every record is a rendering of."""

    child_key: str
    family_key: str
    category: str | None
    """One of ``CATEGORIES``; ``None`` for a child of the other side (distractor)."""
    given_name: str
    surname: Surname
    patronymic: str
    father_given_name: str
    """The father's given name, from which the patronymic is derived."""
    sex: str
    birth_date: date
    birth_place: Town
    residence: Town
    relatives: list[SyntheticRelative] = field(default_factory=list)
    events: list[SyntheticEvent] = field(default_factory=list)
    is_twin: bool = False
    collision_group: str | None = None
    """Set on children deliberately sharing a common name with unrelated children."""
    uk_birth_certificate: str | None = None
    ru_birth_certificate: str | None = None
    """A new birth certificate issued by the other side, when it issued one."""
    adopted_surname: Surname | None = None
    """The surname given by the other side after adoption or guardianship."""
    ru_birth_date: date | None = None
    """The birth date the other side recorded, when it differs from the true one."""
    last_facility_key: str | None = None

    @property
    def family_name(self) -> str:
        return self.surname.for_sex(self.sex)

    @property
    def is_distractor(self) -> bool:
        return self.child_key.startswith(DISTRACTOR_KEY_PREFIX)

    def relative(self, relationship: str) -> SyntheticRelative | None:
        for relative in self.relatives:
            if relative.relationship == relationship:
                return relative
        return None


@dataclass(slots=True)
class SyntheticDataset:
    """A generated registry: the children, the distractors, the facilities and the
    records, with ``variations`` naming what was done to each record."""

    seed: int
    config: SyntheticConfig
    children: list[SyntheticChild]
    distractors: list[SyntheticChild]
    facilities: list[Facility]
    records: list[Record]
    variations: dict[str, frozenset[str]]
    """Record id -> the variations applied to it (``typo``, ``adopted_surname``...)."""

    _index: dict[str, SyntheticChild] = field(default_factory=dict, repr=False, compare=False)

    def child(self, child_key: str) -> SyntheticChild:
        """The child (or distractor) a record's ``child_key`` names."""
        if not self._index:
            self._index.update((c.child_key, c) for c in (*self.children, *self.distractors))
        return self._index[child_key]

    def records_from(self, *sources: str) -> list[Record]:
        """The records of the given sources, in dataset order."""
        wanted = set(sources)
        return [r for r in self.records if r["source"] in wanted]

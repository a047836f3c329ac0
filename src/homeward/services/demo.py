"""The demo registry: synthetic children loaded through the real services, so
the demo shows exactly what Homeward does with real reports."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from homeward.domain.documents import DocumentKind, TravellerRole
from homeward.domain.model import (
    Category,
    EventKind,
    OrganisationKind,
    Relationship,
    SourceKind,
)
from homeward.domain.roles import Actor, Role
from homeward.domain.status import Status
from homeward.errors import Invalid
from homeward.names.translit import transliterate
from homeward.services import accounts, cases, evidence, review
from homeward.services.records import raw_copy, record_data
from homeward.services.registry_app import Registry
from homeward.storage.files import FileStore
from homeward.storage.tables import FacilityRow
from homeward.storage.uow import UnitOfWork
from homeward.synthetic import generate
from homeward.synthetic.documents import synthetic_pdf
from homeward.synthetic.model import SyntheticChild

DEMO_PASSWORD = "demo-password-2026"
"""Every demo user's password.  The demo registry holds no real data."""

DEMO_USERS: tuple[tuple[str, Role, str], ...] = (
    ("keeper", Role.ADMIN, "Register keeper"),
    ("worker", Role.CASE_WORKER, "Ombudsman's office"),
    ("verifier", Role.VERIFIER, "Verification commission"),
    ("analyst", Role.ANALYST, "National information bureau"),
    ("partner", Role.PARTNER, "Partner NGO"),
    ("auditor", Role.AUDITOR, "Register keeper"),
)
ORGANISATIONS = {
    "Register keeper": OrganisationKind.REGISTER_KEEPER,
    "Ombudsman's office": OrganisationKind.OMBUDSMAN,
    "Verification commission": OrganisationKind.COMMISSION,
    "National information bureau": OrganisationKind.INFORMATION_BUREAU,
    "Partner NGO": OrganisationKind.NGO,
}
SOURCE_KINDS: dict[str, tuple[SourceKind, str, str | None]] = {
    "ua_report": (SourceKind.REPORT, "Reports to the ombudsman's office", "Ombudsman's office"),
    "ru_record": (SourceKind.INVESTIGATION, "Russian adoption and camp records", None),
    "latin_record": (SourceKind.IMPORT_FILE, "Mediator's list (Latin script)", "Partner NGO"),
    "counterpart_list": (SourceKind.COUNTERPART_LIST, "Counterpart's own list", None),
    "russian_only": (SourceKind.INVESTIGATION, "Russian social media", None),
}
# How far along the demo cases are, as (status, detail, share).
STATUS_MIX: tuple[tuple[Status, str | None, float], ...] = (
    (Status.REPORTED, None, 0.20),
    (Status.UNDER_VERIFICATION, None, 0.20),
    (Status.VERIFIED, None, 0.12),
    (Status.LOCATED, "russia", 0.18),
    (Status.LOCATED, "occupied_territory", 0.06),
    (Status.WHEREABOUTS_UNKNOWN, None, 0.10),
    (Status.RETURN_IN_PROGRESS, "requested", 0.05),
    (Status.RETURNED, None, 0.06),
    (Status.CLOSED, "reunited", 0.03),
)
PATHS: dict[tuple[Status, str | None], list[tuple[Status, str | None]]] = {
    (Status.REPORTED, None): [],
    (Status.UNDER_VERIFICATION, None): [(Status.UNDER_VERIFICATION, None)],
    (Status.VERIFIED, None): [(Status.UNDER_VERIFICATION, None), (Status.VERIFIED, None)],
}
LINKED_SHARE = 0.7
"""Share of the other side's records already linked to their case; the rest wait
for review, as they would after an import."""


@dataclass
class DemoSummary:
    children: int = 0
    records: int = 0
    unlinked_records: int = 0
    facilities: int = 0
    users: list[tuple[str, str]] = field(default_factory=list)
    review: dict[str, int] = field(default_factory=dict)
    """What the closing scan of the registry proposed (``review.Summary``)."""


def _path(status: Status, detail: str | None) -> list[tuple[Status, str | None]]:
    if (status, detail) in PATHS:
        return PATHS[(status, detail)]
    verified = PATHS[(Status.VERIFIED, None)]
    if status in (Status.LOCATED, Status.WHEREABOUTS_UNKNOWN):
        return [*verified, (status, detail)]
    located = [*verified, (Status.LOCATED, "russia")]
    if status == Status.RETURN_IN_PROGRESS:
        return [*located, (status, detail)]
    if status == Status.RETURNED:
        return [*located, (Status.RETURNED, None)]
    return [*located, (Status.RETURNED, None), (Status.REINTEGRATION, None), (status, detail)]


def build_demo(
    registry: Registry,
    children: int = 3000,
    seed: int = 2026,
    progress: Callable[[int, int], None] | None = None,
    *,
    scan: bool = True,
) -> DemoSummary:
    """Fill an empty registry with synthetic children, their records from
    several sources, events, relatives and facilities; create one user per role;
    then (``scan``) match the registry so the review queue has its proposals."""
    dataset = generate(children, seed=seed)
    rng = random.Random(seed)
    summary = DemoSummary()
    system = Actor(username="demo", role=Role.SYSTEM)
    with registry.uow(system) as uow:
        if uow.repos.children.count() or uow.repos.users.count():
            raise Invalid("the demo registry must start empty")
        orgs = {
            name: accounts.create_organisation(uow, name, kind).id
            for name, kind in ORGANISATIONS.items()
        }
        for username, role, org in DEMO_USERS:
            accounts.create_user(
                uow, username=username, display_name=username.capitalize(), role=role,
                password=DEMO_PASSWORD, organisation_id=orgs[org],
            )  # fmt: skip
            summary.users.append((username, role.value))
        facilities: dict[str, int] = {}
        for facility in dataset.facilities:
            row = uow.repos.facilities.add(
                FacilityRow(
                    name=facility.name_uk, name_ru=facility.name_ru,
                    name_latin=facility.name_latin, kind=facility.kind,
                    country=facility.country, region=facility.region_uk,
                    settlement=facility.settlement_uk,
                )
            )  # fmt: skip
            facilities[facility.key] = row.id
        summary.facilities = len(facilities)
        sources: dict[str, int] = {}
        for name, (kind, title, owner) in SOURCE_KINDS.items():
            sources[name] = cases.create_source(
                uow, kind=kind, title=title, organisation_id=orgs[owner] if owner else None,
                reliability="reliable" if name == "ua_report" else "unverified",
            ).id  # fmt: skip
        uow.commit()

    by_child: dict[str, list[dict[str, str | None]]] = {}
    for record in dataset.records:
        by_child.setdefault(str(record["child_key"]), []).append(record)
    weights = [share for *_, share in STATUS_MIX]
    total = len(dataset.children) + len(dataset.distractors)
    done = 0
    batch = 100
    for start in range(0, len(dataset.children), batch):
        with registry.uow(system) as uow:
            for child in dataset.children[start : start + batch]:
                status, detail, _ = rng.choices(STATUS_MIX, weights)[0]
                partner = rng.random() < 0.1
                path = _path(status, detail)
                case_id = _load_child(
                    uow, child, by_child.get(child.child_key, []), sources, facilities,
                    orgs["Partner NGO"] if partner else orgs["Ombudsman's office"], path, rng,
                    summary,
                )  # fmt: skip
                _add_documents(uow, registry.files, case_id, child, status, rng)
                done += 1
            uow.commit()
        if progress:
            progress(done, total)
    with registry.uow(system) as uow:
        for child in dataset.distractors:
            for record in by_child.get(child.child_key, []):
                _register(uow, record, sources, None)
                summary.records += 1
                summary.unlinked_records += 1
            done += 1
        uow.commit()
    if progress:
        progress(done, total)
    if not scan:
        return summary
    with registry.uow(system) as uow:
        summary.review = review.scan_registry(
            uow, thresholds=review.Thresholds.from_settings(registry.settings)
        ).as_dict()
        uow.commit()
    return summary


def _register(
    uow: UnitOfWork,
    record: dict[str, str | None],
    sources: dict[str, int],
    child_id: int | None,
) -> None:
    fields = {k: v for k, v in record.items() if k not in ("child_key", "source", "record_id")}
    if fields.get("document_id"):
        fields["document_ids"] = fields.pop("document_id")
    else:
        fields.pop("document_id", None)
    raw = raw_copy({k: v for k, v in record.items() if k not in ("child_key", "source")})
    cases.register_record(
        uow, source_id=sources[str(record["source"])], data=record_data(fields), raw=raw,
        child_id=child_id, external_id=record.get("record_id"),
    )  # fmt: skip


def _load_child(
    uow: UnitOfWork,
    child: SyntheticChild,
    records: list[dict[str, str | None]],
    sources: dict[str, int],
    facilities: dict[str, int],
    organisation_id: int,
    path: list[tuple[Status, str | None]],
    rng: random.Random,
    summary: DemoSummary,
) -> int:
    category = Category(child.category) if child.category else Category.DEPORTED
    case = cases.open_case(uow, category=category, organisation_id=organisation_id)
    summary.children += 1
    linked = [
        record["source"] == "ua_report"
        or (record["source"] != "counterpart_list" and rng.random() < LINKED_SHARE)
        for record in records
    ]
    if records and not any(linked):
        linked[0] = True  # a case is opened from a record: never one with none
    for record, mine in zip(records, linked, strict=True):
        _register(uow, record, sources, case.id if mine else None)
        summary.records += 1
        summary.unlinked_records += 0 if mine else 1
    for event in child.events:
        try:
            kind = EventKind(event.kind)
        except ValueError:
            kind = EventKind.NOTE
        cases.add_event(
            uow, case.id, kind, date=event.date.isoformat(),
            place=event.place.uk if event.place else None,
            facility_id=facilities.get(event.facility_key) if event.facility_key else None,
            note=event.circumstances,
        )  # fmt: skip
    for relative in child.relatives:
        try:
            relationship = Relationship(relative.relationship)
        except ValueError:
            relationship = Relationship.OTHER
        cases.add_relative(
            uow, case.id,
            full_name=f"{relative.surname.for_sex(relative.sex)} {relative.given_name} "
            f"{relative.patronymic}",
            relationship=relationship,
            is_legal_representative=relative.is_legal_representative,
            requested_return=relative.requested_return, phone=relative.phone,
        )  # fmt: skip
    for status, detail in path:
        cases.move_status(uow, case.id, status, detail=detail, reason="demo history")
    return case.id


_RETURN_PAPERS = (
    DocumentKind.BIRTH_CERTIFICATE,
    DocumentKind.PROOF_OF_KINSHIP,
    DocumentKind.POWER_OF_ATTORNEY,
    DocumentKind.RETURN_IDENTITY_CERTIFICATE,
)
_PAPERS_BY_STATUS = {
    Status.VERIFIED: 1,
    Status.LOCATED: 2,
    Status.RETURN_IN_PROGRESS: 4,
    Status.RETURNED: 4,
    Status.REINTEGRATION: 4,
}
"""How many of the return papers a case in this status has gathered."""


def _add_documents(
    uow: UnitOfWork,
    files: FileStore,
    case_id: int,
    child: SyntheticChild,
    status: Status,
    rng: random.Random,
) -> None:
    """Synthetic scans of the papers a return needs, as far as the case has got:
    all of them verified and a traveller named once a return is under way."""
    papers = _PAPERS_BY_STATUS.get(status, 0)
    if not papers or rng.random() < 0.3:
        return
    name = transliterate(f"{child.surname.for_sex(child.sex)} {child.given_name}")
    born = f"born {child.birth_date.isoformat()}, {child.birth_place.latin}"
    under_way = status in (Status.RETURN_IN_PROGRESS, Status.RETURNED, Status.REINTEGRATION)
    for kind in _RETURN_PAPERS[:papers]:
        title = kind.value.replace("_", " ").upper()
        scan = synthetic_pdf(title, [name, born])
        info = evidence.add_document(
            uow, files, case_id, io.BytesIO(scan), kind=kind,
            filename=f"{kind.value}-{name.split()[0].lower()}.pdf",
            media_type="application/pdf", description="synthetic demo scan",
        )  # fmt: skip
        if under_way or rng.random() < 0.5:
            evidence.verify_document(uow, info.id)
    if under_way:
        representatives = [r for r in uow.repos.relatives.of_child(case_id)
                           if r.is_legal_representative]  # fmt: skip
        if representatives:
            evidence.set_traveller(uow, case_id, name=None, relative_id=representatives[0].id,
                                   role=TravellerRole.LEGAL_REPRESENTATIVE)  # fmt: skip

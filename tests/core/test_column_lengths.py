"""A text longer than its column is refused by name, alike on SQLite (which would
keep it) and PostgreSQL (which would fail the transaction), whatever service wrote it."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from homeward.domain.documents import DocumentKind
from homeward.domain.model import EventKind, SourceKind
from homeward.errors import Invalid
from homeward.services import cases, evidence
from homeward.services.registry_app import Registry
from homeward.storage.tables import DocumentRow, EventRow
from tests.factories import make_child


def test_an_overlong_event_place_is_refused_naming_the_field(registry: Registry) -> None:
    with registry.uow() as uow:
        child_id = make_child(uow).id
        uow.commit()
    with registry.uow() as uow, pytest.raises(Invalid) as refused:
        cases.add_event(uow, child_id, EventKind.SIGHTING, place="Таганрог " * 1000)
    assert str(refused.value) == "place is 8,999 characters long (at most 300)"
    with registry.uow(write=False) as uow:
        assert uow.session.scalar(select(func.count()).select_from(EventRow)) == 0


def test_an_overlong_source_title_is_refused_and_a_long_file_name_shortened(
    registry: Registry,
) -> None:
    with registry.uow() as uow:
        child_id = make_child(uow).id
        uow.commit()
    with registry.uow() as uow:
        source = cases.create_source(uow, kind=SourceKind.OTHER, title="scans")
        uow.commit()
    with registry.uow() as uow, pytest.raises(Invalid, match="title is 1,000 characters"):
        cases.create_source(uow, kind=SourceKind.OTHER, title="т" * 1000)
    with registry.uow() as uow:
        evidence.add_document(uow, registry.files, child_id, io.BytesIO(b"%PDF"),
                              kind=DocumentKind.OTHER, filename="scan.pdf" * 100,
                              source_id=source.id)  # fmt: skip
        uow.commit()
    with registry.uow(write=False) as uow:
        [document] = uow.session.scalars(select(DocumentRow))
    assert len(document.filename) == 200  # a file's name is shortened, never refused

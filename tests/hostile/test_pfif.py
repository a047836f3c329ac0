"""A PFIF export of a case with a hostile value is well-formed XML that
PFIF's own rules accept, and reading it back gives the value exactly."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from homeward.io.pfif import check_pfif, read_pfif
from homeward.services.pfif import export_pfif
from tests.hostile.conftest import HostileWorld
from tests.hostile.values import PARAMS, fits_a_name, shown


@pytest.mark.parametrize("value", PARAMS)
def test_pfif_export_is_well_formed_and_gives_the_value_back(
    hostile: HostileWorld, value: str
) -> None:
    item = next(i for i in hostile.items.values() if i.value == value)
    with hostile.registry.uow(hostile.actors["case_worker"]) as uow:
        document = export_pfif(
            uow, case_numbers=[item.case_number], include_sensitive=True
        ).document
        uow.commit()
    ElementTree.fromstring(document)  # well-formed, or this raises
    assert check_pfif(document) == []
    [person] = read_pfif(document, "export.xml")
    notes = [n.get("text", "") for n in person.notes]
    assert f"Notes of record {item.record_id} (Report by phone): {shown(value)}" in notes
    if fits_a_name(value):
        assert person.fields["family_name"] == shown(value)
        assert person.fields["full_name"] == f"{shown(value)} Олександр Сергійович"
        assert shown(value) in [n.get("last_known_location") for n in person.notes]
        assert f"from {shown(value)}." in person.fields["description"]
        assert any(t.startswith(f"Relative: {shown(value)} (mother") for t in notes)

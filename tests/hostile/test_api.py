"""The JSON API answers hostile values as valid JSON: the raw copy exactly as
received (NUL, escape and all), the normalised fields as cleaned, nothing
cut short; and a report sent through the API is kept exactly too."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from homeward.web import create_app
from tests.factories import DEFAULT_RECORD
from tests.hostile.conftest import Hostile, HostileWorld
from tests.hostile.values import PARAMS, fits_a_name, record_fields, shown
from tests.web.conftest import api_token


@pytest.fixture(scope="module")
def api(hostile: HostileWorld) -> Iterator[TestClient]:
    """The API as a case worker calls it, with a bearer token."""
    app = create_app(hostile.settings, registry=hostile.registry)
    token = api_token(hostile.web_world(), "case_worker")
    with TestClient(app, base_url="https://testserver") as client:
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


def _json(answer_text: str, content_type: str) -> object:
    """Parsed strictly: a control character left raw in a string is an error."""
    assert content_type.startswith("application/json")
    return json.loads(answer_text, strict=True)


def _item(world: HostileWorld, value: str) -> Hostile:
    return next(i for i in world.items.values() if i.value == value)


@pytest.mark.parametrize("value", PARAMS)
def test_a_case_and_its_record_come_back_as_valid_json_with_the_exact_raw_copy(
    hostile: HostileWorld, api: TestClient, value: str
) -> None:
    item = _item(hostile, value)
    answer = api.get(f"/api/v1/cases/{item.case_number}")
    assert answer.status_code == 200, answer.text[:300]
    case = _json(answer.text, answer.headers["content-type"])
    assert isinstance(case, dict)
    [record] = case["records"]
    sent = {**DEFAULT_RECORD, **record_fields(value), "birth_date": item.birth_date}
    assert record["raw"] == sent
    assert record["raw"]["notes"].encode("utf-8") == value.encode("utf-8")
    assert record["notes"] == shown(value) and record["removal_circumstances"] == shown(value)
    if fits_a_name(value):
        assert record["family_name"] == shown(value)
        assert record["last_known_location"] == shown(value)
    [relative] = case["relatives"]
    assert relative["note"] == shown(value)
    answer = api.get(f"/api/v1/records/{item.record_id}")
    alone = _json(answer.text, answer.headers["content-type"])
    assert alone == {**record, "case_number": item.case_number}


@pytest.mark.parametrize("value", PARAMS)
def test_a_frozen_list_comes_back_with_the_value_in_its_entry(
    hostile: HostileWorld, api: TestClient, value: str
) -> None:
    item = _item(hostile, value)
    answer = api.get(f"/api/v1/lists/{item.list_id}/entries", params={"version": 1})
    assert answer.status_code == 200, answer.text[:300]
    found = _json(answer.text, answer.headers["content-type"])
    assert isinstance(found, dict)
    [entry] = found["entries"]
    assert entry["case_number"] == item.case_number
    if fits_a_name(value):
        for name in ("removal_place", "last_known_location", "mother_name", "birth_place",
                     "legal_representative"):  # fmt: skip
            assert entry[name] == shown(value), name


@pytest.mark.parametrize("value", PARAMS)
def test_a_report_sent_to_the_api_is_kept_exactly(
    hostile: HostileWorld, api: TestClient, value: str
) -> None:
    sent = {"notes": value, "given_name": "Ярослав", "birth_date": "2011-01-01"}
    if fits_a_name(value):
        sent["family_name"] = value
    answer = api.post("/api/v1/reports", json={**sent, "title": value[:200]})
    assert answer.status_code == 201, answer.text[:300]
    taken = _json(answer.text, answer.headers["content-type"])
    assert isinstance(taken, dict)
    record = api.get(f"/api/v1/records/{taken['record_id']}").json()
    assert record["raw"] == sent
    assert record["notes"] == shown(value)


def test_a_name_or_title_too_long_sent_to_the_api_is_refused_naming_the_field(
    hostile: HostileWorld, api: TestClient
) -> None:
    long = next(i.value for i in hostile.items.values() if not fits_a_name(i.value))
    answer = api.post("/api/v1/reports", json={"family_name": long})
    assert answer.status_code == 422
    assert "family_name is 10,000 characters long (at most 200)" in answer.json()["error"]
    answer = api.post("/api/v1/reports", json={"family_name": "Коваленко", "title": long})
    assert answer.status_code == 422
    assert "title is 10,000 characters long (at most 300)" in answer.json()["error"]

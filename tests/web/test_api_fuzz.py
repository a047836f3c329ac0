"""Every operation of the JSON API fuzzed from its own OpenAPI description.

Schemathesis draws requests that fit the description (and some that stretch
it: huge numbers, odd strings) for every operation, as every role; none may
answer a server error, and a role that may not read sensitive values never
receives one.
"""

from __future__ import annotations

import collections

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from homeward.domain.roles import PERMISSIONS, Permission, Role
from tests.web.conftest import ROLES, World, api_token
from tests.web.test_every_route import _leaks

EXAMPLES = 6
"""Requests per operation and role: enough to reach every parameter's edges
in a few minutes; ``HYPOTHESIS_PROFILE=explore`` draws fresh ones each run."""


def _fuzz(
    operation: object, token: str, sensitive: bool, problems: collections.Counter[str]
) -> None:
    """Draw requests for one operation and note every server error and leak."""
    where = f"{operation.method.upper()} {operation.path}"  # type: ignore[attr-defined]

    @settings(
        max_examples=EXAMPLES, deadline=None, database=None,
        suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    @given(operation.as_strategy())  # type: ignore[attr-defined]
    def call(case: schemathesis.Case) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
        answer = case.call()
        if answer.status_code >= 500:
            problems[f"{where}: {answer.status_code}"] += 1
        if not sensitive and _leaks(answer.text):
            problems[f"{where}: leaks {_leaks(answer.text)}"] += 1

    call()


@pytest.mark.parametrize("role", [r.value for r in ROLES])
def test_no_operation_fails_or_leaks_for_any_role(
    app_client: TestClient, world: World, role: str
) -> None:
    token = api_token(world, role)
    sensitive = Permission.READ_SENSITIVE in PERMISSIONS[Role(role)]
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app_client.app)
    problems: collections.Counter[str] = collections.Counter()
    operations = 0
    for found in schema.get_all_operations():
        _fuzz(found.ok(), token, sensitive, problems)
        operations += 1
    assert operations > 40
    assert not problems, dict(problems)

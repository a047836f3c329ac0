"""A file imported (twice at once, as a double click would) while reviewers
accept proposed matches: every row once, every decision kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from homeward.domain.roles import Actor, Role
from homeward.errors import Conflict
from homeward.services import imports, review
from homeward.services.registry_app import Registry
from homeward.storage.tables import ImportRow, QuarantineRow, RecordRow
from tests.concurrency import trail
from tests.concurrency.conftest import ReportConflicts
from tests.concurrency.runner import Writer, at_once, check_message
from tests.crash import setups
from tests.crash.invariants import assert_consistent

pytestmark = pytest.mark.concurrency

IMPORTER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)


def _file(path: Path, rows: int) -> Path:
    """Children of the registry's proposals (as another agency spells them),
    then children nobody has reported; every seventh row a 31 February."""
    lines = [";".join(setups.HEADER)]
    for r in range(rows):
        p = setups.person(r if r < 8 else 500 + r, russian=r % 2 == 0)
        born = "31.02.2012" if r % 7 == 6 else ".".join(reversed(p["birth_date"].split("-")))
        sex = "ч" if p["sex"] == "m" else "ж"
        cells = [p["family_name"], p["given_name"], p["patronymic"], sex, born, p["birth_place"]]
        lines.append(";".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _importer(registry: Registry, path: Path, n: int) -> Writer:
    def run() -> imports.ImportResult:
        return imports.import_file(
            registry, IMPORTER, path, batch_rows=10, open_cases=True, workers=1
        )

    return f"import #{n}", run


def _reviewer(registry: Registry, candidate: int, n: int) -> Writer:
    actor = Actor(username=f"reviewer-{n}", role=Role.VERIFIER, user_id=10 + n)

    def accept() -> None:
        with registry.uow(actor) as uow:
            review.decide(uow, candidate, review.Action.ACCEPT, reason="same child")
            uow.commit()

    return f"reviewer-{n}", accept


def test_an_import_while_reviewers_decide_keeps_every_row_once_and_every_decision(
    registry: Registry, tmp_path: Path, report_conflicts: ReportConflicts
) -> None:
    units = setups.proposal_units(registry, 8)
    path = _file(tmp_path / "camp-list.csv", 70)
    writers = [_importer(registry, path, 1), _importer(registry, path, 2)]
    writers += [_reviewer(registry, u.args["candidate"], n) for n, u in enumerate(units)]
    round_ = at_once(writers)
    conflicts = len(round_.conflicts)
    # An import refused for a clash finishes when run again, as its message says.
    for outcome in round_.conflicts:
        assert outcome.name.startswith("import"), outcome.name
        imports.import_file(registry, IMPORTER, path, batch_rows=10, open_cases=True, workers=1)
    finished = [o.result for o in round_.succeeded if o.name.startswith("import")]
    assert finished, "neither import went through"
    # Every decision went through, once, and is in the trail by its reviewer.
    assert {o.name for o in round_.succeeded if o.name.startswith("reviewer")} == {
        f"reviewer-{n}" for n in range(len(units))
    }
    for n, unit in enumerate(units):
        assert setups.proposal_progress(registry, unit) == "done"
        decided = trail.entries(
            registry, "match_candidates", unit.args["candidate"], action="match.accept"
        )
        assert [actor for _, actor, _ in decided] == [f"reviewer-{n}"]
    # Every row of the file once: a record or a quarantined row, never both, never twice.
    with registry.uow(write=False) as uow:
        row = uow.session.scalars(select(ImportRow)).one()
        assert row.status == "complete"
        rows = [
            n or 0
            for n in uow.session.scalars(
                select(RecordRow.source_row).where(RecordRow.source_id == row.source_id)
            )
        ]
        bad = list(uow.session.scalars(select(QuarantineRow.source_row)))
        assert sorted(rows + bad) == list(range(2, 72))
        assert len(bad) == 10 and row.rows_imported == 60
        in_no_case = uow.session.scalar(
            select(func.count()).select_from(RecordRow)
            .where(RecordRow.source_id == row.source_id, RecordRow.child_id.is_(None))
        )  # fmt: skip
    # The summary is the run that matched the rows, not overwritten by another's.
    summary = row.summary
    assert summary["linked"] + summary["new_cases"] + in_no_case == 60, summary
    assert in_no_case <= summary["queued"], "a record is in no case and waits for no review"
    again = imports.import_file(registry, IMPORTER, path, open_cases=True)
    assert again.already_imported
    assert_consistent(registry, "an import while reviewers decide")
    report_conflicts("an import twice at once, while reviewers decide", conflicts,
                     len(round_.succeeded))  # fmt: skip


def test_an_import_finished_by_another_run_meanwhile_keeps_that_runs_summary(
    registry: Registry, tmp_path: Path
) -> None:
    """The first run has written every row when a second run of the same file
    (someone who thought it had stopped) starts, finds the rows written, and
    matches and finishes the import; the first run, going on to its matching,
    says the import is finished rather than match it again over the second's
    summary."""
    path = _file(tmp_path / "camp-list.csv", 70)
    second: list[imports.ImportResult] = []

    def meanwhile(stage: str, done: int, total: int) -> None:
        if stage == "import" and done == total and not second:
            second.append(_importer(registry, path, 2)[1]())

    first = imports.import_file(
        registry, IMPORTER, path, batch_rows=10, open_cases=True, workers=1, progress=meanwhile
    )
    assert (first.already_imported, second[0].already_imported) == (True, False)
    with registry.uow(write=False) as uow:
        row = uow.session.scalars(select(ImportRow)).one()
    assert row.status == "complete"
    assert (row.summary["new_cases"], row.summary["imported"]) == (60, 60), row.summary
    assert_consistent(registry, "an import finished by another run")


def test_a_run_that_meets_rows_another_run_wrote_stops_with_a_conflict(
    registry: Registry, tmp_path: Path
) -> None:
    """A second run of the file starts after the first has written one batch,
    and writes the rest; the first run, at its next batch, stops with a
    conflict that says what to do, having written nothing twice."""
    path = _file(tmp_path / "camp-list.csv", 70)
    second: list[imports.ImportResult] = []

    def meanwhile(stage: str, done: int, total: int) -> None:
        if stage == "import" and done == 10 and not second:
            second.append(_importer(registry, path, 2)[1]())

    with pytest.raises(Conflict, match="being imported by someone else now") as refused:
        imports.import_file(
            registry, IMPORTER, path, batch_rows=10, open_cases=True, workers=1,
            progress=meanwhile,
        )  # fmt: skip
    check_message("the first run", refused.value)
    assert second[0].imported == 60 - 9 and not second[0].already_imported
    with registry.uow(write=False) as uow:
        row = uow.session.scalars(select(ImportRow)).one()
    assert (row.status, row.rows_imported, row.rows_quarantined) == ("complete", 60, 10)
    assert imports.import_file(registry, IMPORTER, path, open_cases=True).already_imported
    assert_consistent(registry, "a run that met another's rows")

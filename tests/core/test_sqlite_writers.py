"""Writers on SQLite queue behind one another: within a process on a lock that
is let go as their transaction ends, across processes on the database's own."""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from homeward.config import Settings
from homeward.services.registry_app import Registry
from homeward.storage import db
from homeward.storage.tables import FacilityRow


@pytest.fixture
def registry(sqlite_template: Path, tmp_path: Path) -> Iterator[Registry]:
    target = tmp_path / "homeward.sqlite3"
    shutil.copyfile(sqlite_template, target)
    reg = Registry.open(Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{target}"))
    yield reg
    reg.close()


def _facility(name: str) -> FacilityRow:
    return FacilityRow(name=name, kind="orphanage", country="RU")


def _lock(registry: Registry) -> threading.Lock:
    return db.writer_lock(str(registry.engine.url.database))


def _facilities(registry: Registry) -> list[str]:
    with registry.uow(write=False) as uow:
        return sorted(row.name for row in uow.session.query(FacilityRow))


def _add_facility(registry: Registry, name: str) -> None:
    with registry.uow() as uow:
        uow.session.add(_facility(name))
        uow.commit()


def test_the_lock_is_let_go_when_a_writer_commits_rolls_back_or_fails(registry: Registry) -> None:
    lock = _lock(registry)
    with registry.uow() as uow:
        assert lock.locked()  # held from the transaction's start
        uow.session.add(_facility("Committed"))
        uow.commit()
        assert not lock.locked()
    with registry.uow() as uow:
        uow.session.add(_facility("Left without commit"))
    assert not lock.locked()
    with pytest.raises(ZeroDivisionError), registry.uow() as uow:
        uow.session.add(_facility("Failed"))
        uow.flush()
        _ = 1 / 0
    assert not lock.locked()
    with registry.uow(write=False):
        assert not lock.locked()  # readers never take it
    assert _facilities(registry) == ["Committed"]


def test_writers_of_one_process_take_turns(registry: Registry) -> None:
    first_inside, second_started, second_done = (threading.Event() for _ in range(3))

    def second() -> None:
        second_started.set()
        _add_facility(registry, "Second")
        second_done.set()

    with registry.uow() as uow:
        uow.session.add(_facility("First"))
        first_inside.set()
        thread = threading.Thread(target=second)
        thread.start()
        second_started.wait(5)
        assert not second_done.wait(0.3)  # waits for the first writer to end
        uow.commit()
    thread.join(10)
    assert second_done.is_set()
    assert _facilities(registry) == ["First", "Second"]


def test_a_writer_waits_for_another_process_and_then_writes(registry: Registry) -> None:
    path = str(registry.engine.url.database)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # as a writer of another process would
    done = threading.Event()

    def write() -> None:
        _add_facility(registry, "After")
        done.set()

    thread = threading.Thread(target=write)
    thread.start()
    assert not done.wait(0.3)
    other.execute("COMMIT")
    thread.join(10)
    other.close()
    assert done.is_set()
    assert _facilities(registry) == ["After"]


def test_a_writer_still_fails_when_the_database_stays_locked(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    other = sqlite3.connect(str(registry.engine.url.database), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError, match="locked"), registry.uow():
            pass
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not _lock(registry).locked()
    _add_facility(registry, "Once free")  # the connection is usable again
    assert _facilities(registry) == ["Once free"]


def _write_in_child(url: str, data_dir: str, answer: multiprocessing.Queue[str]) -> None:
    reg = Registry.open(Settings(data_dir=Path(data_dir), database_url=url))
    try:
        if _lock(reg).locked():
            answer.put("the child found the writers' lock held")
            return
        _add_facility(reg, "From the child")
        answer.put("written")
    except Exception as err:  # reported to the parent, which fails the test
        answer.put(repr(err))
    finally:
        reg.close()


def test_a_forked_process_does_not_inherit_a_held_lock(registry: Registry, tmp_path: Path) -> None:
    lock = _lock(registry)
    lock.acquire()  # as a writer in another thread would hold it while the fork happens
    try:
        context = multiprocessing.get_context("fork")
        answer: multiprocessing.Queue[str] = context.Queue()
        child = context.Process(
            target=_write_in_child,
            args=(str(registry.engine.url), str(tmp_path / "data"), answer),
        )
        child.start()
        result = answer.get(timeout=60)
        child.join(10)
    finally:
        lock.release()
    assert result == "written"
    assert _facilities(registry) == ["From the child"]

"""The registry as an application object: settings, engine, sessions."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from homeward.config import Settings
from homeward.domain.roles import SYSTEM_ACTOR, Actor
from homeward.storage import migrate
from homeward.storage.db import make_engine, make_session_factory
from homeward.storage.files import FileStore
from homeward.storage.uow import UnitOfWork


@dataclass
class Registry:
    """What every entry point (CLI, web app) holds: one per process."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    files: FileStore = field(init=False)
    """Documents and evidence, by SHA-256 (``homeward.storage.files``)."""

    def __post_init__(self) -> None:
        self.files = FileStore.from_settings(self.settings)

    @classmethod
    def open(cls, settings: Settings, *, migrate_schema: bool = False) -> Registry:
        engine = make_engine(settings.resolved_database_url(), echo=settings.sql_echo)
        if migrate_schema:
            migrate.upgrade(engine)
        return cls(settings=settings, engine=engine, sessions=make_session_factory(engine))

    def uow(self, actor: Actor = SYSTEM_ACTOR, *, write: bool = True) -> UnitOfWork:
        return UnitOfWork(
            self.sessions, actor, write=write, case_prefix=self.settings.case_number_prefix
        )

    def close(self) -> None:
        self.engine.dispose()

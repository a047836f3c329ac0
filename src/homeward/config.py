"""Settings, read from ``HOMEWARD_*`` environment variables (or a ``.env`` file).

Built once at an entry point (the CLI, ``create_app``) and passed down; nothing
reads the environment at import time.
"""

from __future__ import annotations

import base64
from pathlib import Path

import platformdirs
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """Where Homeward keeps its SQLite database and files unless told otherwise."""
    return Path(platformdirs.user_data_dir("homeward", appauthor=False))


class Settings(BaseSettings):
    """Every setting Homeward reads.  See docs/configuration.md."""

    model_config = SettingsConfigDict(env_prefix="HOMEWARD_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str = ""
    """SQLAlchemy URL; empty means ``sqlite:///<data_dir>/homeward.sqlite3``."""
    sql_echo: bool = False
    case_number_prefix: str = "HW"
    match_model: Path | None = None
    """A match model file (``homeward match train``); empty means the default model."""
    auto_link_threshold: float = Field(default=0.99, ge=0.0, le=1.0)
    """A report that matches exactly one case this surely is linked to it unasked."""
    review_threshold: float = Field(default=0.05, ge=0.0, le=1.0)
    """Pairs from here up to the auto-link threshold wait in the review queue."""
    import_max_upload_mb: int = Field(default=50, ge=1)
    """The largest file the web app accepts for import."""
    session_hours: float = Field(default=8.0, gt=0)
    """A web sign-in lasts this long; then the user signs in again."""
    session_idle_minutes: float = Field(default=30.0, gt=0)
    """A web sign-in left unused this long ends (a browser left open on a shared desk)."""
    login_max_failures: int = Field(default=5, ge=1)
    """Wrong passwords or codes in a row before an account is locked."""
    login_lockout_minutes: int = Field(default=15, ge=1)
    """How long a locked account stays locked."""
    login_failures_per_address: int = Field(default=30, ge=1)
    """Failed sign-ins from one address in 10 minutes before it must wait."""
    public_reports_per_hour: int = Field(default=5, ge=1)
    """Reports one address may send through the public form in an hour."""
    public_reports_per_day: int = Field(default=20, ge=1)
    """... and in a day."""
    time_zone: str = "Europe/Kyiv"
    """The zone the web app shows times in."""
    files_dir: Path | None = None
    """The file store of documents and evidence; empty means ``<data_dir>/files``."""
    encrypt_files: bool = False
    """Encrypt files in the store at rest (ChaCha20-Poly1305) with ``file_key``."""
    file_key: SecretStr | None = None
    """32 random bytes in base64 (``homeward evidence new-key`` makes one).  Needed to
    read encrypted files even once ``encrypt_files`` is turned off again."""
    max_document_mb: int = Field(default=100, ge=1)
    """The largest document or evidence file the web app accepts."""
    retention_public_reports_days: int = Field(default=365, ge=0)
    """A report from the public form rejected in triage is removed this many days
    after the rejection (the rejection itself is kept); 0 keeps them all.  See
    docs/retention.md."""
    retention_untriaged_public_reports_days: int = Field(default=0, ge=0)
    """A report from the public form nobody has triaged is removed this many days
    after it arrived; 0 (the default) keeps it until someone triages it."""
    retention_duplicate_proposals_days: int = Field(default=90, ge=0)
    """A proposed match nobody decided, about a case merged away or rejected as a
    duplicate, leaves the review queue this many days after that; 0 keeps them."""
    retention_orphan_files_days: int = Field(default=2, ge=0)
    """A file in the store that no document names (an interrupted upload, a
    superseded working copy) is removed once it is this many days old; 0 keeps them."""
    retention_withdrawn_documents_days: int = Field(default=3650, ge=0)
    """The documents of a case closed as withdrawn are removed this many days after
    it was closed so; 0 keeps them."""

    @field_validator("file_key")
    @classmethod
    def _file_key_is_32_bytes(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        try:
            raw = base64.b64decode(value.get_secret_value(), validate=True)
        except ValueError as err:
            raise ValueError("HOMEWARD_FILE_KEY is not base64") from err
        if len(raw) != 32:
            raise ValueError(f"HOMEWARD_FILE_KEY must be 32 bytes in base64, not {len(raw)}")
        return value

    @model_validator(mode="after")
    def _encryption_has_its_key(self) -> Settings:
        if self.encrypt_files and self.file_key is None:
            raise ValueError(
                "HOMEWARD_ENCRYPT_FILES is on but HOMEWARD_FILE_KEY is missing: Homeward "
                "will not store evidence unencrypted when told to encrypt it"
            )
        return self

    def file_key_bytes(self) -> bytes | None:
        if self.file_key is None:
            return None
        return base64.b64decode(self.file_key.get_secret_value())

    def resolved_files_dir(self) -> Path:
        return self.files_dir if self.files_dir is not None else self.data_dir / "files"

    @model_validator(mode="after")
    def _thresholds_in_order(self) -> Settings:
        if self.review_threshold > self.auto_link_threshold:
            raise ValueError(
                f"review_threshold ({self.review_threshold}) must not exceed "
                f"auto_link_threshold ({self.auto_link_threshold})"
            )
        return self

    def resolved_database_url(self) -> str:
        """The database URL in force, creating the data directory for SQLite."""
        if self.database_url:
            return normalise_database_url(self.database_url)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.data_dir / 'homeward.sqlite3'}"


def normalise_database_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url

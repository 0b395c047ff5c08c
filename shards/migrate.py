"""`stepway migrate`: brings a database's schema to the newest Alembic revision."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Any = None) -> Config:
    """An Alembic config for shards/migrations, bound to a live connection when one is given."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def current_revision(conn: sa.Connection) -> str | None:
    """The schema's revision, None on a database without Stepway's schema."""
    revision = MigrationContext.configure(conn).get_current_revision()
    return None if revision is None else str(revision)


def upgrade(engine: sa.Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Applies every migration up to revision, in one transaction where the backend allows;
    returns the revisions before and after (before is None when it created the schema)."""
    with engine.begin() as conn:
        before = current_revision(conn)
        command.upgrade(alembic_config(conn), revision)
        return before, current_revision(conn)

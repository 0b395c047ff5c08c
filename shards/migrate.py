"""`stepway migrate`: brings a database's schema to the newest Alembic revision."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Any = None) -> Config:
    """An Alembic config for shards/migrations, bound to a live connection when one is given."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Applies every migration up to revision, in one transaction where the backend allows."""
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)

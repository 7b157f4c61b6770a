"""Alembic environment: always run in code by regional_centre.db.database, on its connection."""

from __future__ import annotations

from alembic import context

from regional_centre.db.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

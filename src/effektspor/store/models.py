"""Imports every table module so ``Base.metadata`` is complete (for Alembic and tests)."""

from effektspor.store import (  # noqa: F401
    tables,
    tables_analysis,
    tables_coding,
    tables_followup,
    tables_privacy,
    tables_web,
)
from effektspor.store.base import Base

metadata = Base.metadata

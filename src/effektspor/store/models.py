"""Imports every table module so ``Base.metadata`` is complete (for Alembic and tests)."""

from effektspor.store import tables  # noqa: F401
from effektspor.store.base import Base

metadata = Base.metadata

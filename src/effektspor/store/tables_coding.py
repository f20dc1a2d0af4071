"""Tables of the coding area (see docs/ARCHITECTURE.md)."""

from __future__ import annotations

from effektspor.store.base import Base  # noqa: F401

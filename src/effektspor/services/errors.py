"""How the front ends show a database error: a Danish message without its SQL, parameters
or row values (they may hold names and CPR numbers). The CLI's ``friendly_errors`` uses
it; the rule itself lives with the database (``store.database.database_error_text``)."""

from __future__ import annotations

from effektspor.store.database import DATABASE_ERRORS, database_error_text

__all__ = ["DATABASE_ERRORS", "database_error_text"]

"""One cell of a role × use-case matrix, shared by the areas' authorisation tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from effektspor.services.authorization import PermissionDenied


def check_cell(project, call: Callable, *, allowed: bool) -> None:
    """``call(session)`` runs when ``allowed`` and is refused with ``PermissionDenied``
    otherwise; the session is rolled back, so every cell starts from the same seed."""
    with project.sessions() as session:
        try:
            if allowed:
                call(session)
            else:
                with pytest.raises(PermissionDenied):
                    call(session)
        finally:
            session.rollback()

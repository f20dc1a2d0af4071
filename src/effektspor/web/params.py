"""Types of the whole numbers routes take, bounded to the database's integer range.

Every id and count a route passes to the database must fit its ``INTEGER`` columns (32 bit
on PostgreSQL); a larger number made the query fail (500). An id in the path outside the
range (``/sager/99999999999999999999``, ``/sager/-1``) is a page that does not exist: the
app answers 404. In the query or a form it is invalid input: 400.
``tests/test_web_hardening.py`` checks that every int parameter of every route is bounded.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Path, Query
from pydantic import Field

#: The largest value of an ``INTEGER`` column on PostgreSQL (and far inside SQLite's).
DB_INT_MAX = 2**31 - 1

#: The id of a row in the path, e.g. ``case_id`` of ``/sager/{case_id}``.
Id = Annotated[int, Path(ge=1, le=DB_INT_MAX)]
#: An optional id in the query string, e.g. ``?efter=12``.
IdQuery = Annotated[int | None, Query(ge=1, le=DB_INT_MAX)]
#: A count in the query string (0 or more).
CountQuery = Annotated[int, Query(ge=0, le=DB_INT_MAX)]
#: Several ids in a form (checkboxes with the same name).
IdsForm = Annotated[list[Annotated[int, Field(ge=1, le=DB_INT_MAX)]], Form()]

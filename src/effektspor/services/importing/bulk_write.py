"""Fast batch writes for the import: driver-level executemany and a larger SQLite cache.

SQLAlchemy's per-row parameter processing cost about as much as all the rest of a note's
import, so inserts go straight to the DBAPI ``executemany`` through
``Connection.exec_driver_sql``. Values are plain Python values; for SQLite, dates and
booleans are converted the way SQLAlchemy's own SQLite types store them (ISO text, 0/1),
so the ORM reads them back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from operator import itemgetter

from sqlalchemy import Boolean, Connection, Date, Table, bindparam, update

SQLITE_CACHE_KIB = 128 * 1024


@contextmanager
def large_sqlite_cache(connection: Connection) -> Iterator[None]:
    """Give SQLite a 128 MiB page cache while importing (index inserts stay in memory)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    default = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size={-SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(default)}")


class BulkWriter:
    """Inserts and updates many rows of a table at once, in the caller's transaction."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.prepared: dict[tuple[str, tuple[str, ...]], tuple] = {}

    def insert_many(self, table: Table, rows: list[dict]) -> None:
        """Insert ``rows`` (dicts with the same keys) with the driver's executemany."""
        names = tuple(rows[0])
        prepared = self.prepared.get((table.name, names))
        if prepared is None:
            dialect = self.connection.dialect
            marker = "?" if dialect.paramstyle == "qmark" else "%s"
            quote = dialect.identifier_preparer.quote
            statement = (f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, names))}) "
                         f"VALUES ({', '.join([marker] * len(names))})")
            convert = [i for i, name in enumerate(names)
                       if isinstance(table.c[name].type, Date | Boolean)]
            prepared = (statement, itemgetter(*names),
                        convert if dialect.name == "sqlite" else [])
            self.prepared[(table.name, names)] = prepared
        statement, getter, convert = prepared
        if convert:
            values = []
            for row in rows:
                value = list(getter(row))
                for i in convert:
                    value[i] = _sqlite_value(value[i])
                values.append(tuple(value))
        else:
            values = [getter(row) for row in rows]
        self.connection.exec_driver_sql(statement, values)

    def update_many(self, table: Table, rows: list[dict]) -> None:
        """Update rows by id: each dict holds ``b_id`` and the new column values."""
        names = [name for name in rows[0] if name != "b_id"]
        # Bind names must differ from column names in an executemany UPDATE.
        statement = update(table).where(table.c.id == bindparam("b_id")).values(
            **{name: bindparam(f"v_{name}") for name in names})
        self.connection.execute(statement, [
            {"b_id": row["b_id"], **{f"v_{name}": row[name] for name in names}}
            for row in rows])


def _sqlite_value(value: object) -> object:
    # As SQLAlchemy's SQLite types store them: dates as ISO text, booleans as 0/1.
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value

"""The test project fixture's set-up and tear-down: migrating a new database (before) vs
``create_project`` on a copy of the session's migrated template (after), interleaved so that
both see the same load. Client CPU time (this process) and wall time, medians.

    PYTHONPATH=src python bench/testsuite_bench.py [ROUNDS] [POSTGRESQL-URL]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text

from effektspor.services.project import create_project
from effektspor.store.database import make_engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from support.database import (  # noqa: E402
    PostgresTemplates,
    copy_sqlite_template,
    migrated_sqlite_template,
)

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
BASE = sys.argv[2] if len(sys.argv) > 2 else "postgresql+psycopg://root@127.0.0.1:5432/test"


def main() -> None:
    root = Path(tempfile.mkdtemp())
    template = migrated_sqlite_template(root)
    postgres = PostgresTemplates(BASE)
    admin = make_engine(BASE)

    def sqlite_before(i: int) -> None:
        create_project(root / f"o{i}", "T", actor="t").close()

    def sqlite_after(i: int) -> None:
        copy_sqlite_template(template, root / f"n{i}")
        create_project(root / f"n{i}", "T", actor="t").close()

    def postgresql_before(i: int) -> None:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        create_project(root / f"po{i}", "T", actor="t",
                       database_url=f"{BASE}?options=-csearch_path%3D{schema}").close()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))

    def postgresql_after(i: int) -> None:
        database = postgres.create_copy()
        create_project(root / f"pn{i}", "T", actor="t",
                       database_url=postgres.url(database)).close()
        postgres.drop(database)  # in the background, as in the tests

    steps = (sqlite_before, sqlite_after, postgresql_before, postgresql_after)
    results = {step.__name__: ([], []) for step in steps}
    for i in range(ROUNDS):
        for step in steps:
            cpu, wall = time.process_time(), time.perf_counter()
            step(i)
            results[step.__name__][0].append(time.process_time() - cpu)
            results[step.__name__][1].append(time.perf_counter() - wall)
    for name, (cpu, wall) in results.items():
        print(f"{name:18s} CPU median {statistics.median(cpu):.3f} s, "
              f"wall median {statistics.median(wall):.3f} s (n={ROUNDS})")
    postgres.close()  # drops what is left, outside the timing
    admin.dispose()


if __name__ == "__main__":
    main()

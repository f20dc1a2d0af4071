"""Write a new Alembic revision by comparing the tables with an up-to-date empty database.

Usage: python scripts/new_migration.py "kort beskrivelse" [--rev-id 0002] [--head 0001]

Review the generated file: it holds every difference between the tables and the schema.
"""

import argparse
import contextlib
import tempfile
from pathlib import Path

from alembic import command

from effektspor.store.database import alembic_config, make_engine, sqlite_url, upgrade

parser = argparse.ArgumentParser()
parser.add_argument("message")
parser.add_argument("--rev-id")
parser.add_argument("--head", default="head", help="parent revision, e.g. 0001")
args = parser.parse_args()
with tempfile.TemporaryDirectory() as tmp:
    engine = make_engine(sqlite_url(Path(tmp) / "schema.sqlite"))
    with contextlib.suppress(Exception):  # no revisions yet
        upgrade(engine, backup=False)
    command.revision(alembic_config(engine), message=args.message, autogenerate=True,
                     rev_id=args.rev_id, head=args.head)

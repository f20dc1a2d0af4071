"""Speed of the web app's reading pages under concurrent users, against a real server.

Usage:
  .venv/bin/python bench/web_bench.py [--database postgresql://root@127.0.0.1:5432/test]
      [--sager 300] [--notater-pr-sag 1000] [--brugere 20] [--sekunder 30]

Builds a synthetic project (SQLite in a temporary folder, or a fresh schema in the given
PostgreSQL database, dropped afterwards), starts ``uvicorn`` in server mode on a free
127.0.0.1 port, logs in N users and lets each of them, in its own thread, alternate between
a case view and a case-list page for the given time. Prints p50/p95/max per page and the
number of errors. Coding actions are not measured yet (the coding pages come later).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "e2e")]

from web_live import start_server, stop_server  # noqa: E402

from effektspor.services.project import create_project  # noqa: E402
from effektspor.store import tables as t  # noqa: E402
from effektspor.store.database import make_engine  # noqa: E402
from web_seed import NOTE_TEXTS, PASSWORD, TEAMS, csrf_from, seed_users  # noqa: E402  # noqa: E402

WORDS = " ".join(NOTE_TEXTS)


def build_corpus(project, cases: int, notes_per_case: int) -> list[int]:
    """Insert ``cases`` cases with ``notes_per_case`` notes each (bulk inserts)."""
    with project.transaction() as session:
        points = list(session.scalars(select(t.AttentionPoint.id)))
        rows = [{"project_id": project.project_id, "external_id": f"B-{n:06d}",
                 "team": TEAMS[n % len(TEAMS)], "start_date": date(2018, 1, 1),
                 "end_date": date(2019, 6, 1), "closed": True, "closed_year": 2019,
                 "attributes": {}} for n in range(cases)]
        session.execute(insert(t.Case), rows)
        case_ids = list(session.scalars(select(t.Case.id)
                                        .where(t.Case.project_id == project.project_id)))
    for case_id in case_ids:
        with project.transaction() as session:
            session.execute(insert(t.Document), [
                {"case_id": case_id, "doc_type": kind, "text": f"{kind} {WORDS}",
                 "doc_date": date(2018, 1, 1), "content_hash": f"{case_id}-{kind}",
                 "pseudonymised": True} for kind in ("handleplan", "udskrivningsrapport")])
            session.execute(insert(t.Note), [
                {"case_id": case_id, "note_date": date(2018, 1, 1) + timedelta(days=i % 500),
                 "attention_point_id": points[i % len(points)], "author_role": "familiebehandler",
                 "text": NOTE_TEXTS[i % len(NOTE_TEXTS)] + f" ({i})",
                 "content_hash": f"{case_id}-{i}", "pseudonymised": i % 2 == 0}
                for i in range(notes_per_case)])
    return case_ids


def _login(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60)
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"brugernavn": username, "adgangskode": PASSWORD,
                                           "csrf_token": token})
    if response.status_code != 303:
        raise RuntimeError(f"Login af {username} mislykkedes: {response.status_code}")
    return client


def run_load(url: str, usernames: list[str], case_ids: list[int], seconds: float) -> dict:
    """Each user alternates case view and case list until time is up; returns timings."""
    timings: dict[str, list[float]] = {"sagsvisning": [], "sagsliste": []}
    errors: list[str] = []
    lock = threading.Lock()
    clients = [_login(url, name) for name in usernames]
    stop_at = time.monotonic() + seconds

    def work(client: httpx.Client, seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop_at:
            for page, path in (("sagsvisning", f"/sager/{rng.choice(case_ids)}"),
                               ("sagsliste", f"/sager?side={rng.randint(1, 5)}")):
                began = time.perf_counter()
                try:
                    response = client.get(path)
                    ok = response.status_code == 200
                except httpx.HTTPError as error:
                    ok, response = False, error
                elapsed = time.perf_counter() - began
                with lock:
                    timings[page].append(elapsed)
                    if not ok:
                        errors.append(f"{path}: {response}")

    threads = [threading.Thread(target=work, args=(client, n)) for n, client in
               enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client in clients:
        client.close()
    return {"timings": timings, "errors": errors}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    """Build, serve, load, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="PostgreSQL-URL (standard: SQLite)")
    parser.add_argument("--sager", type=int, default=300)
    parser.add_argument("--notater-pr-sag", type=int, default=1000)
    parser.add_argument("--brugere", type=int, default=20)
    parser.add_argument("--sekunder", type=float, default=30)
    args = parser.parse_args()
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(args.database) if args.database else None
    url = None
    if admin is not None:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = args.database.replace("postgresql://", "postgresql+psycopg://", 1) + \
            f"?options=-csearch_path%3D{schema}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "projekt"
            project = create_project(folder, "Bench", database_url=url, actor="bench")
            began = time.perf_counter()
            case_ids = build_corpus(project, args.sager, args.notater_pr_sag)
            print(f"Korpus: {args.sager} sager × {args.notater_pr_sag} notater "
                  f"({args.sager * args.notater_pr_sag:,} notater) på "
                  f"{time.perf_counter() - began:.0f} s; database: "
                  f"{'PostgreSQL' if url else 'SQLite'}")
            users = [f"bench.koder{n}" for n in range(args.brugere)]
            seed_users(project)
            with project.transaction() as session:
                from effektspor.store.tables_web import User

                hashed = session.scalar(select(User.password_hash).limit(1))
                session.execute(insert(User), [{"username": name, "role": "koder",
                                                "password_hash": hashed, "active": True,
                                                "case_text_granted": False}
                                               for name in users])
            project.close()
            process, server = start_server(folder)
            try:
                result = run_load(server, users, case_ids, args.sekunder)
            finally:
                stop_server(process)
    finally:
        if admin is not None:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    print(f"{args.brugere} samtidige brugere i {args.sekunder:.0f} s mod uvicorn (1 proces)")
    for page, values in result["timings"].items():
        print(f"  {page:12s} n={len(values):5d}  p50={1000 * statistics.median(values):7.1f} ms"
              f"  p95={1000 * _percentile(values, 0.95):7.1f} ms"
              f"  max={1000 * max(values):7.1f} ms")
    print(f"  fejl: {len(result['errors'])}")
    for error in result["errors"][:5]:
        print(f"    {error}")


if __name__ == "__main__":
    main()

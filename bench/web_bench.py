"""Speed of the web app for concurrent coders, against a real uvicorn server on 127.0.0.1.

Usage:
  .venv/bin/python bench/web_bench.py [--database postgresql://root@127.0.0.1:5432/test]
      [--sager 300] [--notater-pr-sag 1000] [--brugere 20] [--sekunder 60]
      [--taenketid 1.0] [--arbejdere 2] [--klientprocesser 2]

Builds a synthetic project (SQLite in a temporary folder, or a fresh schema in the given
PostgreSQL database, dropped afterwards) with one machine coding per note, starts uvicorn
in server mode and lets N simulated coders work at once. Each coder, logged in with an
account of their own, repeats: open a case (a random page of its timeline), code 1–3
passages of notes on that page, remove one of their own codings now and then, and open
the case list every few rounds. Between actions a coder pauses for an exponentially
distributed think time with the given mean (0 = no pause: a stress test, not a coder);
coders start spread over the first seconds (5 × the think time), each at its own point
of the round. A short warm-up (one case page and the case list per coder) is not measured.
The load runs in ``--klientprocesser`` processes so the client is not held by one GIL.

Prints p50/p95/max per action, requests per second and the number of errors.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import re
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

from effektspor.coding.codebook import load_codebook  # noqa: E402
from effektspor.services.cases.case_view import TIMELINE_PAGE_SIZE  # noqa: E402
from effektspor.services.project import create_project  # noqa: E402
from effektspor.store import tables as t  # noqa: E402
from effektspor.store.tables_coding import Coding  # noqa: E402
from web_seed import NOTE_TEXTS, PASSWORD, TEAMS, csrf_from, seed_users  # noqa: E402

WORDS = " ".join(NOTE_TEXTS)
ACTIONS = ("sagsvisning", "sagsliste", "kodning", "fjern kodning")
_NOTE_ID = re.compile(r'id="notat-(\d+)"')
_OWN_CODING = re.compile(r'/kodninger/(\d+)/slet')


def build_corpus(project, cases: int, notes_per_case: int) -> list[int]:
    """Insert ``cases`` cases with ``notes_per_case`` notes each and one machine coding per
    note (bulk inserts); returns the case ids."""
    codes = [code.id for code in load_codebook().codes]
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
            texts = [NOTE_TEXTS[i % len(NOTE_TEXTS)] + f" ({i})" for i in range(notes_per_case)]
            session.execute(insert(t.Note), [
                {"case_id": case_id, "note_date": date(2018, 1, 1) + timedelta(days=i % 500),
                 "attention_point_id": points[i % len(points)], "author_role": "familiebehandler",
                 "text": texts[i], "content_hash": f"{case_id}-{i}", "pseudonymised": True}
                for i in range(notes_per_case)])
            note_ids = session.scalars(select(t.Note.id).where(t.Note.case_id == case_id)
                                       .order_by(t.Note.id)).all()
            session.execute(insert(Coding), [
                {"project_id": project.project_id, "note_id": note_id, "start": 0, "end": 12,
                 "quote": texts[i][:12], "code_key": codes[i % len(codes)],
                 "coder": "maskine", "rule_id": "bench"}
                for i, note_id in enumerate(note_ids)])
    return case_ids


def _login(url: str, username: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=url, timeout=60)
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"brugernavn": username, "adgangskode": PASSWORD,
                                           "csrf_token": token})
    if response.status_code != 303:
        raise RuntimeError(f"Login af {username} mislykkedes: {response.status_code}")
    return client, csrf_from(client.get("/").text)


class Coder:
    """One simulated coder: a logged-in client, a random source and the timings."""

    def __init__(self, url: str, username: str, seed: int, args: dict, record):
        self.client, self.token = _login(url, username)
        self.rng = random.Random(seed)
        self.args = args
        self.record = record
        self.own_codings: list[int] = []

    def _timed(self, action: str, method: str, path: str, **kwargs) -> str | None:
        began = time.perf_counter()
        try:
            response = self.client.request(method, path, **kwargs)
            ok = response.status_code == 200
            detail = f"{response.status_code} {response.text[:120]!r}"
        except httpx.HTTPError as error:
            ok, response, detail = False, None, repr(error)
        self.record(action, time.perf_counter() - began, None if ok else f"{path}: {detail}")
        return response.text if ok else None

    def _pause(self) -> None:
        mean = self.args["think"]
        if mean > 0:
            time.sleep(self.rng.expovariate(1 / mean))

    def round(self, number: int) -> None:
        """One round of work: case list now and then, a case page, codings, an undo."""
        rng, args = self.rng, self.args
        if number % 4 == 0:
            self._timed("sagsliste", "GET", f"/sager?side={rng.randint(1, 5)}")
            self._pause()
        case_id = rng.choice(args["case_ids"])
        page = rng.randint(1, args["pages"])
        html = self._timed("sagsvisning", "GET", f"/sager/{case_id}?side={page}")
        self._pause()
        notes = [int(n) for n in _NOTE_ID.findall(html or "")]
        for _ in range(rng.randint(1, 3) if notes else 0):
            start = rng.randint(0, 20)
            fragment = self._timed(
                "kodning", "POST", f"/notater/{rng.choice(notes)}/kodninger",
                data={"start": start, "slut": start + rng.randint(5, 30),
                      "kode": rng.choice(args["codes"]), "csrf_token": self.token})
            self.own_codings.extend(int(i) for i in _OWN_CODING.findall(fragment or "")
                                    if int(i) not in self.own_codings)
            self._pause()
        if self.own_codings and rng.random() < 0.3:
            coding_id = self.own_codings.pop(rng.randrange(len(self.own_codings)))
            self._timed("fjern kodning", "POST", f"/kodninger/{coding_id}/slet",
                        data={"csrf_token": self.token})
            self._pause()


def _client_process(url: str, usernames: list[str], args: dict, seed: int, queue) -> None:
    """Run the given coders in threads until time is up; put (timings, errors) on queue."""
    timings: dict[str, list[float]] = {action: [] for action in ACTIONS}
    errors: list[str] = []
    lock = threading.Lock()

    def record(action: str, seconds: float, error: str | None) -> None:
        with lock:
            timings[action].append(seconds)
            if error:
                errors.append(error)

    coders = [Coder(url, name, seed + n, args, record) for n, name in enumerate(usernames)]
    for coder in coders:  # warm-up, not measured: templates compiled, connections opened
        coder.client.get(f"/sager/{coder.rng.choice(args['case_ids'])}")
        coder.client.get("/sager")
    start_at = args["start_at"]
    stop_at = start_at + args["seconds"]

    def work(coder: Coder) -> None:
        # Coders start within the first few seconds, each at a different point of the
        # round, as people do; not all 20 opening the case list in the same instant.
        spread = 5 * max(args["think"], 0.2)
        time.sleep(max(0.0, start_at - time.time()) + coder.rng.random() * spread)
        number = coder.rng.randrange(4)
        while time.time() < stop_at:
            coder.round(number)
            number += 1

    threads = [threading.Thread(target=work, args=(coder,)) for coder in coders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for coder in coders:
        coder.client.close()
    queue.put((timings, errors))


def run_load(url: str, usernames: list[str], args: dict, processes: int) -> dict:
    """Split the coders over ``processes`` client processes; returns merged timings."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    args = {**args, "start_at": time.time() + 5 + 0.5 * len(usernames)}  # logins first
    groups = [usernames[n::processes] for n in range(processes)]
    workers = [context.Process(target=_client_process, args=(url, group, args, 1000 * n, queue))
               for n, group in enumerate(groups) if group]
    for worker in workers:
        worker.start()
    timings: dict[str, list[float]] = {action: [] for action in ACTIONS}
    errors: list[str] = []
    for _ in workers:
        part, part_errors = queue.get()
        for action, values in part.items():
            timings[action].extend(values)
        errors.extend(part_errors)
    for worker in workers:
        worker.join()
    return {"timings": timings, "errors": errors}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _add_coders(project, count: int) -> list[str]:
    from effektspor.store.tables_web import User

    names = [f"bench.koder{n}" for n in range(count)]
    seed_users(project)
    with project.transaction() as session:
        hashed = session.scalar(select(User.password_hash).limit(1))
        session.execute(insert(User), [{"username": name, "role": "koder",
                                        "password_hash": hashed, "active": True,
                                        "case_text_granted": False} for name in names])
    return names


def main() -> None:
    """Build, serve, load, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="PostgreSQL-URL (standard: SQLite)")
    parser.add_argument("--sager", type=int, default=300)
    parser.add_argument("--notater-pr-sag", type=int, default=1000)
    parser.add_argument("--brugere", type=int, default=20)
    parser.add_argument("--sekunder", type=float, default=60)
    parser.add_argument("--taenketid", type=float, default=1.0,
                        help="middel af pausen mellem en koders handlinger (s); 0 = ingen")
    parser.add_argument("--arbejdere", type=int, default=2, help="uvicorn-processer")
    parser.add_argument("--klientprocesser", type=int, default=2)
    args = parser.parse_args()
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine_for(args.database)
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
            if url:  # planner statistics, as autovacuum would gather after a real import
                with project.engine.connect().execution_options(
                        isolation_level="AUTOCOMMIT") as connection:
                    connection.execute(text("VACUUM ANALYZE"))
            print(f"Korpus: {args.sager} sager × {args.notater_pr_sag} notater "
                  f"({args.sager * args.notater_pr_sag:,} notater, lige så mange "
                  f"maskinkodninger) på {time.perf_counter() - began:.0f} s; database: "
                  f"{'PostgreSQL' if url else 'SQLite'}")
            users = _add_coders(project, args.brugere)
            project.close()
            process, server = start_server(folder, workers=args.arbejdere)
            load = {"case_ids": case_ids, "codes": [c.id for c in load_codebook().codes],
                    "pages": max(1, -(-(args.notater_pr_sag + 2) // TIMELINE_PAGE_SIZE)),
                    "think": args.taenketid, "seconds": args.sekunder}
            try:
                result = run_load(server, users, load, args.klientprocesser)
            finally:
                stop_server(process)
    finally:
        if admin is not None:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    _report(args, result)


def create_engine_for(database: str | None):
    """An engine on the PostgreSQL server for creating the bench schema, or None."""
    if not database:
        return None
    from effektspor.store.database import make_engine

    return make_engine(database)


def _report(args, result: dict) -> None:
    total = sum(len(v) for v in result["timings"].values())
    print(f"{args.brugere} samtidige kodere i {args.sekunder:.0f} s, tænketid middel "
          f"{args.taenketid:g} s; uvicorn {args.arbejdere} proces(ser), "
          f"{args.klientprocesser} klientproces(ser); {total / args.sekunder:.1f} forespørgsler/s")
    every: list[float] = []
    for action, values in result["timings"].items():
        if not values:
            print(f"  {action:14s} n=    0")
            continue
        every.extend(values)
        print(f"  {action:14s} n={len(values):5d}  p50={1000 * statistics.median(values):7.1f} ms"
              f"  p95={1000 * _percentile(values, 0.95):7.1f} ms"
              f"  max={1000 * max(values):7.1f} ms")
    if every:
        print(f"  {'alle':14s} n={len(every):5d}  p50={1000 * statistics.median(every):7.1f} ms"
              f"  p95={1000 * _percentile(every, 0.95):7.1f} ms")
    print(f"  fejl: {len(result['errors'])}")
    for error in result["errors"][:5]:
        print(f"    {error}")


if __name__ == "__main__":
    main()

"""Synthetic cases, documents, notes and users for the web tests and the screenshot script.

Everything here is invented: case numbers like "S-1001", no names, no CPR numbers.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import select

from effektspor.services.accounts.passwords import hash_password
from effektspor.services.authorization import Actor, Role
from effektspor.services.events import log_event
from effektspor.store import tables as t
from effektspor.store.tables_web import User

PASSWORD = "hemmelig-kode-123"
ADMIN = Actor("opsaetning", Role.ADMINISTRATOR)
TEAMS = ("Familieværkstedet", "Sandplay", "Støttet samvær")
NOTE_TEXTS = (
    "Mor fortæller, at ugen har været svær. Vi taler om faste rammer ved sengetid.",
    "Barnet leger roligt og søger øjenkontakt. Stemningen er tryg.",
    "Far aflyser aftalen igen. Jeg er i tvivl om, hvorvidt forløbet giver mening for ham.",
    "Vi justerer indsatsen: samtalerne flyttes til hjemmet hver anden uge.",
    "Samvær forløber godt; mor tager imod råd og vejledning om overgange.",
)


def _hash(*parts: object) -> str:
    return hashlib.md5("|".join(map(str, parts)).encode()).hexdigest()


def seed_cases(project, *, cases: int = 6, notes_per_case: int = 4,
               pseudonymised_every: int = 2) -> list[int]:
    """Add ``cases`` synthetic cases with documents, notes and a grant; returns their ids."""
    ids = []
    with project.transaction() as session:
        scheme = session.scalar(select(t.AttentionPointScheme)
                                .where(t.AttentionPointScheme.project_id == project.project_id)
                                .order_by(t.AttentionPointScheme.valid_from.desc()))
        points = [p.id for p in scheme.points]
        run = t.ImportRun(project_id=project.project_id, actor="test",
                          sources=["sager.csv", "notater.csv"], summary={"sager": cases})
        session.add(run)
        session.flush()
        counter = 0
        for number in range(cases):
            start = date(2018, 1 + number % 12, 1 + number % 27)
            closed = number % 3 != 2
            end = start + timedelta(days=200 + 10 * number) if closed else None
            case = t.Case(project_id=project.project_id, external_id=f"S-{1001 + number}",
                          team=TEAMS[number % len(TEAMS)], start_date=start, end_date=end,
                          closed=closed, closed_year=end.year if end else None,
                          attributes={"bopæl": "by" if number % 2 else "land"})
            session.add(case)
            session.flush()
            ids.append(case.id)
            session.add(t.Grant(case_id=case.id, start_date=start, end_date=end,
                                legal_basis="SEL § 52, stk. 3, nr. 3",
                                intervention="Familiebehandling", content_hash=_hash(case.id)))
            for doc_number, doc_type in enumerate(("handleplan", "udskrivningsrapport")
                                                  if closed else ("handleplan",)):
                counter += 1
                text = (f"{doc_type.capitalize()} for sag S-{1001 + number}. "
                        "Målet er en mere forudsigelig hverdag for barnet.")
                session.add(t.Document(
                    case_id=case.id, doc_type=doc_type, text=text,
                    doc_date=(end if doc_type == "udskrivningsrapport" else start),
                    content_hash=_hash("d", case.id, doc_number), import_run_id=run.id,
                    pseudonymised=counter % pseudonymised_every == 0))
            for note_number in range(notes_per_case):
                counter += 1
                session.add(t.Note(
                    case_id=case.id, note_date=start + timedelta(days=14 * (note_number + 1)),
                    attention_point_id=points[(number + note_number) % len(points)],
                    author_role="familiebehandler",
                    text=NOTE_TEXTS[(number + note_number) % len(NOTE_TEXTS)],
                    content_hash=_hash("n", case.id, note_number), import_run_id=run.id,
                    pseudonymised=counter % pseudonymised_every == 0))
    return ids


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return hash_password(PASSWORD)


def seed_users(project, *, leader_granted: bool = False) -> dict[str, str]:
    """One user per role, all with :data:`PASSWORD`; returns role → user name.

    The Argon2 hash is computed once per test run (it costs most of a second by design);
    ``create_user`` itself is tested in test_web_accounts.py.
    """
    names = {}
    with project.transaction() as session:
        for role in Role:
            name = f"{role.value}1"
            session.add(User(username=name, role=role.value, password_hash=_password_hash(),
                             case_text_granted=leader_granted and role is Role.LEADER))
            log_event(session, actor=ADMIN.name, action="bruger_oprettet",
                      object_type="bruger", details={"brugernavn": name})
            names[role.value] = name
    return names


class FakeClock:
    """A clock the tests move by hand (sessions and rate limits without waiting)."""

    def __init__(self, start: datetime | None = None):
        self.now = start or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock forward, e.g. ``advance(minutes=31)``."""
        self.now += timedelta(**delta)


_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = _TOKEN.search(html)
    assert match, "siden har ingen CSRF-formular"
    return match.group(1)


def login(client, username: str, password: str = PASSWORD, next_path: str = "/"):
    """Log in through the login form; returns the response of the POST (not followed)."""
    token = csrf_from(client.get("/login").text)
    return client.post("/login", data={"brugernavn": username, "adgangskode": password,
                                       "csrf_token": token, "next": next_path},
                       follow_redirects=False)


def app_routes(app) -> set[tuple[str, str]]:
    """Every (method, path) the app answers, including routes of included routers.

    FastAPI >= 0.16x keeps included routers as nested objects (``original_router`` with a
    prefix); older versions copy their routes into ``app.routes``. Both are handled.
    """
    found: set[tuple[str, str]] = set()

    def walk(routes, prefix: str) -> None:
        for route in routes:
            nested = getattr(route, "original_router", None)
            if nested is not None:
                walk(nested.routes, prefix + route.include_context.prefix)
            elif getattr(route, "methods", None) and not route.path.startswith(
                    ("/openapi", "/docs", "/redoc")):
                found.update((method, prefix + route.path) for method in route.methods)

    walk(app.routes, "")
    return found

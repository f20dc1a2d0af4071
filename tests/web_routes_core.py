"""Route matrix of the core pages: overview, case list and view, login, administration."""

from __future__ import annotations

from sqlalchemy import select

EVERYONE = {"administrator", "analytiker", "koder", "leder"}
CASE_READERS = {"administrator", "analytiker", "koder"}

PAGES = {
    "/": EVERYONE,
    "/sager": EVERYONE,
    "/sager/{case_id}": CASE_READERS,
    "/notater/{note_id}": CASE_READERS,
    "/admin/log": {"administrator"},
    "/admin/brugere": {"administrator"},
}

STATE_CHANGING = {
    "/login": (None, {"brugernavn": "koder1", "adgangskode": "forkert-kode"}),
    "/logout": (EVERYONE, {}),
    "/admin/brugere": ({"administrator"}, {"brugernavn": "ny.bruger",
                                           "adgangskode": "en-lang-kode-1", "rolle": "koder"}),
    "/admin/brugere/{user_id}/aktiv": ({"administrator"}, {"aktiv": "1"}),
    "/admin/brugere/{user_id}/sagstekst": ({"administrator"}, {"tildelt": "1"}),
}


def url_params(server) -> dict:
    """The first seeded case and its first note, and the leader's user id (the target of
    admin actions)."""
    from effektspor.store.tables import Note
    from effektspor.store.tables_web import User

    with server.project.sessions() as session:
        leader_id = session.scalar(select(User.id).where(User.username == "leder1"))
        note_id = session.scalar(select(Note.id).where(Note.case_id == server.case_ids[0])
                                 .order_by(Note.id))
    return {"case_id": server.case_ids[0], "note_id": note_id, "user_id": leader_id}

"""Route matrix of the coding workbench and the machine suggestions."""

from __future__ import annotations

from web_seed_coding import coding_by, deleted_coding_event, first_note, open_suggestion

CODERS = {"administrator", "analytiker", "koder"}

PAGES = {
    "/forslag": CODERS,
}

STATE_CHANGING = {
    "/notater/{note_id}/kodninger": (CODERS, {"start": "0", "slut": "3",
                                              "kode": "relationsarbejde"}),
    "/kodninger/{coding_id}/slet": (CODERS, {}),
    "/kodninger/{coding_id}/fortryd": (CODERS, {}),
    "/kodninger/{coding_id}/memo": (CODERS, {"memo": "Nyt memo", "tidligere": ""}),
    "/kodninger/gendan/{event_id}": (CODERS, {}),
    "/forslag/{suggestion_id}/accepter": (CODERS, {}),
    "/forslag/{suggestion_id}/afvis": (CODERS, {"begrundelse": "Passer ikke"}),
    "/forslag/afgoer": (CODERS, {"beslutning": "afvis"}),
}


def url_params(server) -> dict:
    """A note, a coding and a deletion by koder1 (a koder may change only their own) and
    an open suggestion, all in the first seeded case."""
    case_id = server.case_ids[0]
    return {"note_id": first_note(server.project, case_id)[0],
            "coding_id": coding_by(server.project, case_id, "koder1"),
            "event_id": deleted_coding_event(server.project, case_id, "koder1"),
            "suggestion_id": open_suggestion(server.project, case_id)}

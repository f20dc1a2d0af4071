"""Route matrix of blind recoding (rekodning).

The round of ``url_params`` is assigned to administrator1 (and complete), so the
coder-only routes (the blind sheet) are allowed for the administrator alone: an
analyst may follow the round's work list and agreement but never open its sheets, and
koder1 (not the round's coder) may open neither.
"""

from __future__ import annotations

from effektspor.services.authorization import Role
from web_seed_recoding import AGREED, complete_round_for

PAGES = {
    "/rekodning": {"administrator", "analytiker", "koder"},
    "/rekodning/{round_id}": {"administrator", "analytiker"},
    "/rekodning/{round_id}/sager/{case_id}": {"administrator"},
    "/rekodning/{round_id}/enighed": {"administrator", "analytiker"},
}

STATE_CHANGING = {
    "/rekodning": ({"administrator", "analytiker"},
                   {"koder": "koder1", "variabel": ["maalopnaaelse", "problemgrad"],
                    "antal": "2", "froe": "11"}),
    "/rekodning/{round_id}/sager/{case_id}": (
        {"administrator"},
        {**{f"tidligere_{k}": v for k, v in AGREED.items()},
         **{f"vaerdi_{k}": v for k, v in AGREED.items()}, "vaerdi_maalopnaaelse": "På vej",
         "handling": "gem"}),
    "/rekodning/{round_id}/uenigheder": (
        {"administrator", "analytiker"},
        {"sag": "S-1002", "variabel": "problemgrad", "vaerdi": "Mellem",
         "begrundelse": "Drøftet: familien er i krise, ikke blot i behov for støtte.",
         "afgjort": ""}),
}


def url_params(server) -> dict:
    """A complete round assigned to administrator1 (seeded once per server)."""
    if not hasattr(server, "recoding_params"):
        server.recoding_params = complete_round_for(server, "administrator1",
                                                    Role.ADMINISTRATOR)
    return server.recoding_params

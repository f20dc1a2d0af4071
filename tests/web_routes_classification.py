"""Route matrix of the classification pages: the sheet of a case, saving, the queue."""

from __future__ import annotations

CLASSIFIERS = {"administrator", "analytiker", "koder"}
CASE_READERS = {"administrator", "analytiker", "koder"}

PAGES = {
    "/sager/{case_id}/klassifikation": CASE_READERS,
    "/klassifikation": CLASSIFIERS,
    "/klassifikation/naeste": CLASSIFIERS,
}

STATE_CHANGING = {
    # The seeded case has no value yet, so the form's version is "ingen".
    "/sager/{case_id}/klassifikation": (CLASSIFIERS, {"variabel": "maalopnaaelse",
                                                      "vaerdi": "På vej", "kendt": "ingen"}),
}


def url_params(server) -> dict:
    """The first seeded case (closed, with a discharge report and no values)."""
    return {"case_id": server.case_ids[0]}

"""Route matrix of the analysis pages and report downloads."""

from __future__ import annotations

EVERYONE = {"administrator", "analytiker", "koder", "leder"}
CASE_READERS = {"administrator", "analytiker", "koder"}

PAGES = {
    "/analyse": EVERYONE,
    "/analyse/celle": EVERYONE,
    "/analyse/konfigurationer": EVERYONE,
    "/analyse/konfigurationer/sager": EVERYONE,
    "/rapporter": EVERYONE,
    # the internal edition quotes case text; the pixi edition and the documentation
    # analysis hold counts only
    "/rapporter/aarsrapport/{fmt}": CASE_READERS,
    "/rapporter/aarsrapport-pixi/{fmt}": EVERYONE,
    "/rapporter/dokumentationsanalyse/{fmt}": EVERYONE,
}

STATE_CHANGING: dict = {}


def url_params(server) -> dict:
    """The report format to download."""
    return {"fmt": "docx"}

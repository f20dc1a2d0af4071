"""Danish vocabularies of the domain: document types, teams, roles and case variables."""

from __future__ import annotations

#: Document types (code → Danish label). Projects may add their own; these are the defaults.
DOCUMENT_TYPES: dict[str, str] = {
    "bevilling": "Bevilling",
    "handleplan": "Handleplan",
    "boernefaglig_undersoegelse": "Børnefaglig undersøgelse",
    "underretning": "Underretning",
    "mail": "Mail",
    "myndighedsafgoerelse": "Myndighedsafgørelse",
    "laegejournal": "Lægejournal",
    "udredning": "Udredning",
    "statusrapport": "Statusrapport",
    "udskrivningsrapport": "Udskrivningsrapport",
    "andet": "Andet",
}

#: Accepted spellings of document types in source files, mapped to the code.
DOCUMENT_TYPE_ALIASES: dict[str, str] = {
    **{code: code for code in DOCUMENT_TYPES},
    **{label.lower(): code for code, label in DOCUMENT_TYPES.items()},
    "børnefaglig undersøgelse": "boernefaglig_undersoegelse",
    "boernefaglig undersoegelse": "boernefaglig_undersoegelse",
    "bfu": "boernefaglig_undersoegelse",
    "myndighedsafgørelse": "myndighedsafgoerelse",
    "lægejournal": "laegejournal",
    "e-mail": "mail",
    "email": "mail",
    "mailkorrespondance": "mail",
}

#: The eight intervention teams of the Familiecenter in Randers, 2019.
TEAMS_RANDERS_2019: tuple[str, ...] = (
    "Dagbehandlingsforløb",
    "Familieværkstedet",
    "Familier massiv",
    "Familier samtaleforløb",
    "Sandplay",
    "Støttet samvær",
    "Understøttende indsats",
    "Terapeutiske forløb",
)

#: Roles of persons known in a case (used by the pseudonymiser, never shown in reports).
PERSON_ROLES: tuple[str, ...] = (
    "barn", "søskende", "mor", "far", "plejemor", "plejefar", "plejeforælder",
    "stedmor", "stedfar", "bedstemor", "bedstefar", "værge", "anden",
)

#: Roles of note authors.
AUTHOR_ROLES: tuple[str, ...] = (
    "familiebehandler", "familiekonsulent", "familiestøtte", "socialrådgiver",
    "sagsbehandler", "leder", "psykolog", "anden",
)

#: Outcome of a case (målopnåelse), in the published order.
OUTCOMES: tuple[str, ...] = ("I mål", "På vej", "Ikke i mål")

#: Problem categories (problemstilling) as named in the published tables.
PROBLEM_CATEGORIES: tuple[str, ...] = (
    "Forældrekonflikt", "Forældrestruktur", "Forældreregulering",
    "Barneregulering", "Barnestruktur", "Barnekonflikt",
)

#: Severity (problemgrad), in the published order.
SEVERITIES: tuple[str, ...] = ("Svær", "Mellem", "Let")


def normalise_document_type(value: str) -> str | None:
    """Return the document-type code for a spelling found in a source, or None if unknown."""
    return DOCUMENT_TYPE_ALIASES.get(value.strip().lower())

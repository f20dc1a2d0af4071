"""Suggest the outcome (målopnåelse) from the effect assessment of a discharge report.

Rule-based and explainable: every statement about goals ("målet er nået", "ikke helt i
mål", "ingen målopnåelse", "på vej") is found with its clause's negation and partial
words, so "ikke nået målet" counts against and "delvist nået" as partial. Mixed statements
(some goals reached, others not) make "På vej", as the criteria say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from effektspor.classification.spans import (
    NEGATIONS,
    Evidence,
    sentence_around,
    words_before,
    words_in,
)

REACHED = "I mål"
PARTLY = "På vej"
NOT_REACHED = "Ikke i mål"

_VERB = r"(?:nået|naaet|opnået|indfriet|opfyldt|realiseret)"
_GOAL = r"(?:mål(?:et|ene|sætning\w*)?|delmål\w*)"
_GOAL_STATEMENTS = re.compile(
    r"\bi\s+mål\b"
    rf"|\b{_GOAL}\s+(?:\w+\s+){{0,5}}?(?:er|blev|var|blive|bliver)\s+(?:\w+\s+){{0,3}}?{_VERB}\b"
    rf"|\b{_VERB}\s+det,?\s+(?:\w+\s+){{0,2}}?satte\s+(?:os|sig)\s+for\b"
    rf"|\b{_VERB}\s+(?:\w+\s+){{0,3}}?{_GOAL}\b"
    r"|\b(?:fuld|delvis|delvist|ingen|nogen)?\s*målopnåelse\b"
    r"|\bmålopfyldelse\b",
    re.IGNORECASE,
)
_ON_THE_WAY = re.compile(r"\b(?:godt\s+)?på\s+vej\b|\bet\s+stykke\s+(?:af\s+)?vejen\b",
                         re.IGNORECASE)
_NO_PROGRESS = re.compile(
    r"\bingen\s+(?:\w+\s+)?(?:fremgang|forbedring|bedring|udvikling|forandring|progression)\b"
    r"|\b(?:forværret|forværring|tilbagegang|status\s+quo)\b",
    re.IGNORECASE,
)
# Weaker evidence, used only when no statement about the goals themselves is found.
_PROGRESS = re.compile(r"\b(?:positiv\w*\s+udvikling|fremgang|fremskridt|forbedring\w*|"
                       r"bedring|progression)\b", re.IGNORECASE)
_NO_CHANGE = re.compile(
    r"\bikke\s+(?:\w+\s+){0,2}?(?:ført\s+til|givet|skabt|medført)\s+(?:\w+\s+){0,3}?"
    r"(?:forandring\w*|ændring\w*|udvikling\w*|forbedring\w*|resultat\w*|effekt\w*)\b"
    r"|\b(?:uændret|uforandret)\b", re.IGNORECASE)
_PARTIAL_WORDS = frozenset({"delvis", "delvist", "nogle", "nogen", "enkelte", "flere", "del",
                            "næsten", "tæt", "dele", "visse", "størstedelen", "halvdelen"})
_NOT_FULLY = frozenset({"helt", "fuldt", "alle", "endnu", "alt", "fuldstændig",
                        "fuldstændigt", "samtlige"})
_SECTION = re.compile(r"effekt\s*vurdering|vurdering\s+af\s+(?:effekt|målopnåelse)|"
                      r"målopnåelse", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Finding:
    """One statement about goals: the value it points to and where it is."""

    value: str
    start: int
    end: int


def find_outcome_statements(text: str) -> list[Finding]:
    """Every statement about goal achievement in ``text``, classified one by one."""
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for match in _GOAL_STATEMENTS.finditer(text):
        findings.append(Finding(_judge_goal_statement(text, match), match.start(), match.end()))
        taken.append(match.span())
    for match in _ON_THE_WAY.finditer(text):
        if _overlaps(match.span(), taken):
            continue
        negated = any(w in NEGATIONS for w in words_before(text, match.start(), limit=2))
        findings.append(Finding(NOT_REACHED if negated else PARTLY, match.start(), match.end()))
    for match in _NO_PROGRESS.finditer(text):
        if not _overlaps(match.span(), taken):
            findings.append(Finding(NOT_REACHED, match.start(), match.end()))
    return sorted(findings, key=lambda f: f.start)


def find_progress_statements(text: str) -> list[Finding]:
    """Weaker statements: progress without a goal ("positiv udvikling") or no change."""
    findings = [Finding(NOT_REACHED, m.start(), m.end()) for m in _NO_CHANGE.finditer(text)]
    taken = [(f.start, f.end) for f in findings]
    for match in _PROGRESS.finditer(text):
        if _overlaps(match.span(), taken):
            continue
        negated = any(w in NEGATIONS for w in words_before(text, match.start(), limit=3))
        findings.append(Finding(NOT_REACHED if negated else PARTLY, match.start(), match.end()))
    return sorted(findings, key=lambda f: f.start)


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _judge_goal_statement(text: str, match: re.Match) -> str:
    inside = words_in(match.group(0))
    before = words_before(text, match.start(), limit=5)
    window = before + inside
    if "ingen" in inside or ("ingen" in before[-2:] and "målopnåelse" in inside):
        return NOT_REACHED
    if "fuld" in inside and "målopnåelse" in inside:
        return REACHED
    negated = any(word in NEGATIONS for word in window)
    if negated:
        return PARTLY if any(word in _NOT_FULLY for word in window) else NOT_REACHED
    if any(word in _PARTIAL_WORDS for word in window):
        return PARTLY
    if inside and inside[0].startswith("delmål"):
        return PARTLY
    return REACHED


def assessment_region(text: str) -> int:
    """Where the effect assessment starts (a heading such as "Effektvurdering"), else 0."""
    match = _SECTION.search(text)
    return match.start() if match else 0


def suggest_outcome(text: str) -> tuple[str, Evidence, str] | None:
    """Suggest målopnåelse from a discharge report's text.

    Returns ``(value, evidence, explanation)`` or None when the text says nothing usable
    about goal achievement (such a case is not classified, as the method requires).
    """
    region_start = assessment_region(text)
    weak = False
    findings = [f for f in find_outcome_statements(text) if f.start >= region_start]
    if not findings:
        findings = find_outcome_statements(text)
    if not findings:
        findings = [f for f in find_progress_statements(text) if f.start >= region_start]
        weak = True
    if not findings:
        return None
    values = {f.value for f in findings}
    if values == {REACHED}:
        chosen, why = REACHED, "målet beskrives som nået"
    elif values == {NOT_REACHED}:
        chosen, why = NOT_REACHED, "ingen mål beskrives som nået"
    elif values == {PARTLY}:
        chosen, why = PARTLY, "målene beskrives som delvist nået"
    elif REACHED in values:
        chosen, why = PARTLY, "nogle mål beskrives som nået, andre ikke"
    else:
        chosen, why = PARTLY, "der beskrives fremskridt, men ikke fuld målopnåelse"
    if weak:
        why = ("der beskrives fremgang, men intet om, at målene er nået" if chosen == PARTLY
               else "der beskrives ingen forandring")
    decisive = next(f for f in findings if f.value == chosen) if chosen in values else findings[0]
    evidence = sentence_around(text, decisive.start, decisive.end)
    return chosen, evidence, why

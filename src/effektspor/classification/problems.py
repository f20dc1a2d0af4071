"""Suggest the problem category (problemstilling) and severity (problemgrad) from intake text.

The text of grants (bevillinger) and action plans (handleplaner) is read sentence by
sentence. A category is who has the problem (the parents or the child, whoever the
sentence mentions first) times what kind it is (structure, regulation, conflict), found
by word stems; negated words ("ingen vold") do not count. Severity follows the criteria:
danger (fare) is Svær, crisis (krise) is Mellem, support to keep up an ordinary life is Let.
"""

from __future__ import annotations

import re
from collections import Counter

from effektspor.classification.spans import Evidence, is_negated, sentences

_PARENT = re.compile(r"\b(?:forældre\w*|forælder\w*|mor|mors|moderen|moren|far|fars|faderen|"
                     r"faren|parret|familien|stedfar|stedmor|plejeforældre\w*)\b", re.IGNORECASE)
_CHILD = re.compile(r"\b(?:barnet|barnets|børnene|børnenes|barn|drengen|pigen|sønnen|datteren|"
                    r"den\s+unge|eleven|teenageren|spædbarnet)\b", re.IGNORECASE)

_THEMES: dict[str, re.Pattern] = {
    "struktur": re.compile(
        r"\b(?:struktur\w*|rutine\w*|døgnrytme\w*|hverdag\w*|sengetid\w*|ustruktur\w*|"
        r"hygiejne\w*|fravær\w*|fremmøde\w*|mødetid\w*|madlavning|måltid\w*|oprydning|"
        r"økonomi\w*|planlægning\w*|kaotisk\w*|forudsigelig\w*|skolegang|stå\s+op)\b",
        re.IGNORECASE),
    "regulering": re.compile(
        r"\b(?:grænse\w*|samspil\w*|tilknytning\w*|omsorg\w*|forældreevne\w*|mentalis\w*|"
        r"aflæse\w*|passende|regulere\w*|regulering\w*|følelses\w*|kontakt\w*|relation\w*|"
        r"venskab\w*|kammerat\w*|tilbagetrukket|ængstelig\w*|angst\w*|isoler\w*|"
        r"opmærksomhed\w*|samvær\w*|nærvær\w*|anerkend\w*|trivsel|mistrivsel|"
        r"sammen\s+med)\b", re.IGNORECASE),
    "konflikt": re.compile(
        r"\b(?:vold\w*|slå|slår|slog|slag|sparke\w*|udad\w*|aggressi\w*|råbe\w*|råber|"
        r"trussel|trusler|truende|true\w*|konflikt\w*|skænderi\w*|skændes|raseri\w*|"
        r"ødelægge\w*|krimin\w*|mobbe\w*|overgreb\w*|højlydt\w*)\b", re.IGNORECASE),
}
_CATEGORY = {
    ("forældre", "struktur"): "Forældrestruktur",
    ("forældre", "regulering"): "Forældreregulering",
    ("forældre", "konflikt"): "Forældrekonflikt",
    ("barn", "struktur"): "Barnestruktur",
    ("barn", "regulering"): "Barneregulering",
    ("barn", "konflikt"): "Barnekonflikt",
}
_EXPLICIT_CATEGORY = re.compile(
    r"problemstilling\w*\s*[:\-–]\s*(forældre\s*struktur|forældre\s*regulering|"
    r"forældre\s*konflikt|barne?\s*struktur|barne?\s*regulering|barne?\s*konflikt)",
    re.IGNORECASE)

_SEVERE = re.compile(
    r"\b(?:fare|farlig\w*|akut\w*|overgreb\w*|incest|vold\w*|misbrug\w*|selvmord\w*|"
    r"selvskad\w*|anbring\w*|omsorgssvigt\w*|trussel|trusler|politi\w*|krisecenter\w*|"
    r"sikkerhed)\b", re.IGNORECASE)
_CRISIS = re.compile(
    r"\b(?:krise\w*|kriser|skilsmisse\w*|samlivsbrud\w*|brud|dødsfald\w*|død|sygdom\w*|"
    r"opbrud\w*|belast\w*|presset|kaos|kaotisk\w*|sammenbrud\w*|indlagt|indlæggelse\w*)\b",
    re.IGNORECASE)
_LIGHT = re.compile(
    r"\b(?:almindelig\w*\s+(?:hverdag|livsførelse|liv)|opretholde\w*|fastholde\w*|"
    r"vedligehold\w*|forebyggende|rådgivning|sparring|vejledning|mindre\s+\w+|"
    r"let\w*\s+(?:støtte|problem\w*)|lettere)\b", re.IGNORECASE)
_EXPLICIT_SEVERITY = re.compile(r"problemgrad\w*\s*[:\-–]\s*(svær|mellem|let)\b", re.IGNORECASE)


def _canonical_category(raw: str) -> str:
    key = re.sub(r"\s+", "", raw.lower()).replace("barne", "barn").replace("barn", "barne")
    for category in _CATEGORY.values():
        if category.lower() == key:
            return category
    raise ValueError(raw)  # pragma: no cover - the pattern admits only the six


def suggest_problem_category(text: str) -> tuple[str, Evidence, str] | None:
    """Suggest problemstilling from grant/action-plan text: ``(value, evidence, why)`` or None."""
    explicit = _EXPLICIT_CATEGORY.search(text)
    if explicit:
        value = _canonical_category(explicit.group(1))
        return value, _evidence_of(text, explicit), "problemstillingen er angivet direkte"
    scores: Counter[str] = Counter()
    best_evidence: dict[str, tuple[int, Evidence]] = {}
    for sentence in sentences(text):
        actor = _first_actor(sentence.quote)
        if actor is None:
            continue
        for theme, pattern in _THEMES.items():
            hits = [m for m in pattern.finditer(sentence.quote)
                    if not is_negated(sentence.quote, m.start())]
            if not hits:
                continue
            category = _CATEGORY[(actor, theme)]
            scores[category] += len(hits)
            if len(hits) > best_evidence.get(category, (0, None))[0]:
                best_evidence[category] = (len(hits), sentence)
    if not scores:
        return None
    order = list(_CATEGORY.values())
    top = max(scores.values())
    category = min((c for c, s in scores.items() if s == top), key=order.index)
    why = (f"flest beskrivelser passer på kriteriet for {category.lower()} "
           f"({top} af {sum(scores.values())} træffere)")
    return category, best_evidence[category][1], why


def _first_actor(sentence: str) -> str | None:
    parent = _PARENT.search(sentence)
    child = _CHILD.search(sentence)
    if parent and (not child or parent.start() < child.start()):
        return "forældre"
    if child:
        return "barn"
    return None


def suggest_severity(text: str) -> tuple[str, Evidence, str] | None:
    """Suggest problemgrad from grant/action-plan text: ``(value, evidence, why)`` or None.

    The most severe level with a non-negated word in the text wins: a family situation
    in danger outweighs a crisis, which outweighs support for an ordinary life.
    """
    explicit = _EXPLICIT_SEVERITY.search(text)
    if explicit:
        value = explicit.group(1).capitalize()
        return value, _evidence_of(text, explicit), "problemgraden er angivet direkte"
    for value, pattern, why in (
            ("Svær", _SEVERE, "teksten beskriver en familiesituation i fare"),
            ("Mellem", _CRISIS, "teksten beskriver en familiesituation i krise"),
            ("Let", _LIGHT, "teksten beskriver støtte til at opretholde en almindelig "
                            "livsførelse")):
        for match in pattern.finditer(text):
            if not is_negated(text, match.start()):
                return value, _evidence_of(text, match), why
    return None


def _evidence_of(text: str, match: re.Match) -> Evidence:
    for sentence in sentences(text):
        if sentence.start <= match.start() < sentence.end:
            return sentence
    return Evidence(match.group(0), match.start(), match.end())  # pragma: no cover

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

from effektspor.classification.spans import (
    NEGATIONS,
    Evidence,
    is_negated,
    sentences,
    words_before,
)
from effektspor.domain.formatting import format_number

#: Words before a match (same clause) searched for a negation: "ikke tale om en akut ...".
NEGATION_WINDOW = 4

_PARENT = re.compile(r"\b(?:de\s+voksne|hjemmet|forældre\w*|forælder\w*|mor|mors|moderen|moren|far|fars|faderen|"
                     r"faren|parret|familien|stedfar|stedmor|plejeforældre\w*)\b", re.IGNORECASE)
_CHILD = re.compile(r"\b(?:barnet|barnets|børnene|børnenes|barn|drengen|pigen|sønnen|datteren|"
                    r"den\s+unge|eleven|teenageren|spædbarnet)\b", re.IGNORECASE)

_THEMES: dict[str, re.Pattern] = {
    "struktur": re.compile(
        r"\b(?:struktur\w*|rutine\w*|døgnrytme\w*|hverdag\w*|sengetid\w*|ustruktur\w*|"
        r"hygiejne\w*|fravær\w*|fremmøde\w*|mødetid\w*|madlavning|måltid\w*|oprydning|"
        r"økonomi\w*|planlægning\w*|kaotisk\w*|forudsigelig\w*|skolegang|stå\s+op|"
        r"overskue\w*|overblik\w*|rammer|dagsplan\w*)\b",
        re.IGNORECASE),
    "regulering": re.compile(
        r"\b(?:grænse\w*|samspil\w*|tilknytning\w*|omsorg\w*|forældreevne\w*|mentalis\w*|"
        r"aflæse\w*|passende|regulere\w*|regulering\w*|følelse\w*|rumme\w*|kontakt\w*|relation\w*|"
        r"venskab\w*|kammerat\w*|tilbagetrukket|ængstelig\w*|angst\w*|isoler\w*|"
        r"opmærksomhed\w*|samvær\w*|nærvær\w*|anerkend\w*|trivsel|mistrivsel|"
        r"fællesskab\w*|venner|trækker\s+sig|sammen\s+med)\b", re.IGNORECASE),
    "konflikt": re.compile(
        r"\b(?:vold(?!som)\w*|slå|slår|slog|slag|sparke\w*|udad\w*|aggressi\w*|råbe\w*|råber|"
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

# Severity, first tier: the words of the criteria themselves (an assessment in the text).
_ASSESSED: tuple[tuple[str, re.Pattern], ...] = (
    ("Svær", re.compile(r"\b(?:i\s+fare|fare\s+for|farlig\w*|livsfare\w*|faresituation\w*)\b",
                        re.IGNORECASE)),
    ("Mellem", re.compile(r"\b(?:krise\w*|kriser)\b", re.IGNORECASE)),
    ("Let", re.compile(r"\b(?:almindelig\w*\s+(?:hverdag|livsførelse|liv)|opretholde\w*|"
                       r"lettere\s+karakter|let\s+problemgrad|mindre\s+alvorlig\w*|"
                       r"fungerer\s+(?:i\s+det\s+store\s+hele|overordnet|generelt|godt)|"
                       r"klarer\s+sig\s+(?:i\s+øvrigt\s+)?godt)\b",
                       re.IGNORECASE)),
)
# Second tier, used only when the text makes no such assessment: typical indicators.
_INDICATED: tuple[tuple[str, re.Pattern], ...] = (
    ("Svær", re.compile(r"\b(?:akut\w*|overgreb\w*|incest|vold(?!som)\w*|misbrug\w*|selvmord\w*|"
                        r"selvskad\w*|anbring\w*|omsorgssvigt\w*|krisecenter\w*|sikkerhed)\b",
                        re.IGNORECASE)),
    ("Mellem", re.compile(r"\b(?:skilsmisse\w*|samlivsbrud\w*|dødsfald\w*|sygdom\w*|"
                          r"opbrud\w*|belast\w*|presset|kaos|kaotisk\w*|sammenbrud\w*|"
                          r"indlæggelse\w*|husspektakl\w*|politi\w*)\b", re.IGNORECASE)),
    ("Let", re.compile(r"\b(?:fastholde\w*|vedligehold\w*|forebyggende|rådgivning|sparring|"
                       r"vejledning|lettere)\b", re.IGNORECASE)),
)
_EXPLICIT_SEVERITY = re.compile(r"problemgrad\w*\s*[:\-–]\s*(svær|mellem|let)\b", re.IGNORECASE)


def _canonical_category(raw: str) -> str:
    key = re.sub(r"\s+", "", raw.lower()).replace("barne", "barn").replace("barn", "barne")
    for category in _CATEGORY.values():
        if category.lower() == key:
            return category
    raise ValueError(raw)  # pragma: no cover - the pattern admits only the six


_SECTION_START = re.compile(r"^\s*(?:begrundelse|problemstilling(?:er)?|problembeskrivelse|"
                            r"baggrund|årsag\w*)\b", re.IGNORECASE | re.MULTILINE)
_SECTION_END = re.compile(r"^\s*(?:mål|formål|delmål|opfølgning|indsats\w*|sagsbehandler|"
                          r"udarbejdet\s+af|underskrift)\b", re.IGNORECASE | re.MULTILINE)


def problem_description(text: str) -> tuple[int, int]:
    """Where the problem description is: from a heading such as "Begrundelse:" or
    "Problemstilling:" to the goals ("Mål") or the signature; the whole text if none."""
    start = _SECTION_START.search(text)
    if start is None:
        return 0, len(text)
    end = _SECTION_END.search(text, start.end())
    return start.start(), end.start() if end else len(text)


_SECONDARY = re.compile(r"^\s*(?:derudover|desuden|endvidere|herudover|ydermere|også|dertil|"
                        r"sekundært|i\s+mindre\s+grad|i\s+mindre\s+omfang)\b", re.IGNORECASE)
#: A negation right after a modal verb denies an ability, which is the problem itself:
#: "kan ikke overskue", "magter ikke at skabe rammer".
_MODALS = frozenset({"kan", "kunne", "magter", "formår", "evner", "når", "vil", "orker"})
_WITNESS = re.compile(r"\b(?:overvær\w*|oplev\w*|udsat\s+for|vidne\s+til|hører|hørt|ser|set)\b",
                      re.IGNORECASE)
_CLAUSES = re.compile(r"[,;:]|\s(?:men|mens|og|samt|dog|derimod)\s", re.IGNORECASE)


def _denies_problem(text: str, position: int) -> bool:
    """True when the words before ``position`` negate the problem word ("ingen vold"),
    not when they state an inability ("kan ikke overskue")."""
    if not is_negated(text, position, limit=NEGATION_WINDOW):
        return False
    before = words_before(text, position, limit=NEGATION_WINDOW + 1)
    negations = [i for i, w in enumerate(before) if w in NEGATIONS]
    return not (negations and negations[-1] > 0 and before[negations[-1] - 1] in _MODALS)


def _without_severity_phrases(sentence: str) -> str:
    # "støtte til en almindelig hverdag" grades severity; it says nothing about the category.
    for _value, pattern in _ASSESSED:
        sentence = pattern.sub(lambda m: " " * len(m.group(0)), sentence)
    return sentence


def suggest_problem_category(text: str) -> tuple[str, Evidence, str] | None:
    """Suggest problemstilling from grant/action-plan text: ``(value, evidence, why)`` or None.

    Only the problem description is read (not the goals, which describe the wished-for
    state), sentence by sentence.
    """
    explicit = _EXPLICIT_CATEGORY.search(text)
    if explicit:
        value = _canonical_category(explicit.group(1))
        return value, _evidence_of(text, explicit), "problemstillingen er angivet direkte"
    # Sentences marked as secondary ("Derudover: ...") name an additional problem: they
    # decide only when the main description names none, however wordy they are.
    main_scores: Counter[str] = Counter()
    secondary_scores: Counter[str] = Counter()
    best_evidence: dict[str, tuple[int, Evidence]] = {}
    names = _header_names(text)
    region_start, region_end = problem_description(text)
    seen_problem = False
    for sentence in sentences(text):
        if not region_start <= sentence.start < region_end or _HEADER_NAME.match(sentence.quote):
            continue
        sentence_actor = _first_actor(sentence.quote, names)
        if sentence_actor is None:
            continue
        # The main problem is described first; later sentences add less.
        secondary = bool(_SECONDARY.match(sentence.quote))
        scores = secondary_scores if secondary else main_scores
        weight = 0.3 if secondary else (0.5 if seen_problem else 1.0)
        cleaned = _without_severity_phrases(sentence.quote)
        found: Counter[str] = Counter()
        for theme, pattern in _THEMES.items():
            for hit in pattern.finditer(cleaned):
                if _denies_problem(cleaned, hit.start()):
                    continue
                # Who has the problem: the first person named in the word's own clause
                # ("..., og pigen mangler rutiner"), else the sentence's first.
                actor = _clause_actor(cleaned, hit.start(), names) or sentence_actor
                found[_CATEGORY[(actor, theme)]] += 1
        for category, hits in found.items():
            scores[category] += weight * hits
            seen_problem = seen_problem or not secondary
            if weight * hits > best_evidence.get(category, (0, None))[0]:
                best_evidence[category] = (weight * hits, sentence)
    scores = main_scores or secondary_scores
    if not scores:
        return None
    order = list(_CATEGORY.values())
    top = max(scores.values())
    category = min((c for c, s in scores.items() if s == top), key=order.index)
    why = (f"beskrivelserne passer bedst på kriteriet for {category.lower()} "
           f"(vægt {format_number(top, 1)} af {format_number(sum(scores.values()), 1)}; "
           "den først nævnte problemstilling vægter mest, en sekundær kun uden en primær)")
    return category, best_evidence[category][1], why


_HEADER_NAME = re.compile(r"^\s*(barn|barnets\s+navn|den\s+unge|mor|far|moder|fader)\s*:\s*"
                          r"([A-ZÆØÅ][\w-]+)", re.IGNORECASE | re.MULTILINE)


def _header_names(text: str) -> tuple[re.Pattern | None, re.Pattern | None]:
    """Patterns for the first names given in header lines such as "Barn: Nanna Hansen"."""
    child: list[str] = []
    parent: list[str] = []
    for match in _HEADER_NAME.finditer(text):
        role = match.group(1).lower()
        (child if role.startswith(("barn", "den")) else parent).append(re.escape(match.group(2)))

    def pattern(names: list[str]) -> re.Pattern | None:
        return re.compile(rf"\b(?:{'|'.join(names)})s?\b") if names else None

    return pattern(child), pattern(parent)


def _first_actor(sentence: str, names: tuple[re.Pattern | None, re.Pattern | None] = (None, None)
                 ) -> str | None:
    child_names, parent_names = names
    parent = _earliest(_PARENT.search(sentence),
                       parent_names.search(sentence) if parent_names else None)
    child = _earliest(_CHILD.search(sentence),
                      child_names.search(sentence) if child_names else None)
    if parent and (not child or parent.start() < child.start()):
        return "forældre"
    if child:
        return "barn"
    return None


def _clause_actor(sentence: str, position: int,
                  names: tuple[re.Pattern | None, re.Pattern | None]) -> str | None:
    """The subject of the clause around ``position`` when the clause opens with a person
    of its own ("..., og pigen mangler rutiner"); None when it continues the sentence's
    subject ("... og være sammen med barnet") or names a person only as an object."""
    starts = [m.end() for m in _CLAUSES.finditer(sentence, 0, position)]
    if not starts:
        return None
    opening = " ".join(sentence[starts[-1]:position].split()[:2])
    if not opening or opening.lower().endswith("s"):
        return None
    if _WITNESS.search(sentence, starts[-1], position):
        return None  # "og barnet har overværet volden": a witness, not the one with it
    actor = _first_actor(opening, names)
    if actor is None:
        return None
    first = _earliest(_PARENT.search(opening), _CHILD.search(opening),
                      *(n.search(opening) for n in names if n is not None))
    return actor if first is not None and first.start() == 0 else None


def _earliest(*matches: re.Match | None) -> re.Match | None:
    found = [m for m in matches if m is not None]
    return min(found, key=lambda m: m.start()) if found else None


def suggest_severity(text: str) -> tuple[str, Evidence, str] | None:
    """Suggest problemgrad from grant/action-plan text: ``(value, evidence, why)`` or None.

    Only the problem description is read. An assessment in the criteria's own words wins
    (the most severe non-negated one: danger over crisis over support for an ordinary
    life); a denied assessment ("ikke tale om en akut faresituation", "vi vurderer ikke,
    at der er fare") rules its level out, also for the weaker indicators that are read
    next, first in the main problem's sentences and then in secondary ones ("Derudover").
    """
    explicit = _EXPLICIT_SEVERITY.search(text)
    if explicit:
        value = explicit.group(1).capitalize()
        return value, _evidence_of(text, explicit), "problemgraden er angivet direkte"
    region_start, region_end = problem_description(text)
    region = [s for s in sentences(text) if region_start <= s.start < region_end
              and not _HEADER_NAME.match(s.quote)]
    denied: set[str] = set()
    for value, pattern in _ASSESSED:
        for sentence in region:
            for match in pattern.finditer(sentence.quote):
                if _severity_negated(sentence.quote, match.start()):
                    denied.add(value)
                    continue
                why = f"teksten vurderer '{match.group(0)}': {_SEVERITY_MEANING[value]}"
                return value, sentence, why
    main = [s for s in region if not _SECONDARY.match(s.quote)]
    secondary = [s for s in region if _SECONDARY.match(s.quote)]
    for group in (main, secondary):
        for value, pattern in _INDICATED:
            if value in denied:
                continue
            for sentence in group:
                for match in pattern.finditer(sentence.quote):
                    if not _severity_negated(sentence.quote, match.start()):
                        why = f"teksten nævner '{match.group(0)}': {_SEVERITY_MEANING[value]}"
                        return value, sentence, why
    return None


_NEGATED_MATRIX = re.compile(r"\b(?:ikke|ingen|intet|aldrig)\b(?:[\s,]+\w+){0,5}?[\s,]+at\b",
                             re.IGNORECASE)


def _severity_negated(sentence: str, position: int) -> bool:
    """Negated in its own clause, or inside an "at"-clause under a negated judgement
    ("vi vurderer ikke, at ...", "intet tyder på, at ..."), unless a "men" comes between."""
    if is_negated(sentence, position, limit=NEGATION_WINDOW):
        return True
    prefix = sentence[:position]
    contrast = max((m.end() for m in re.finditer(r"\bmen\b|;", prefix)), default=0)
    return bool(_NEGATED_MATRIX.search(prefix, contrast))


_SEVERITY_MEANING = {"Svær": "en familiesituation i fare", "Mellem": "en familiesituation i krise",
                     "Let": "støtte til at opretholde en almindelig livsførelse"}


def _evidence_of(text: str, match: re.Match) -> Evidence:
    for sentence in sentences(text):
        if sentence.start <= match.start() < sentence.end:
            return sentence
    return Evidence(match.group(0), match.start(), match.end())  # pragma: no cover

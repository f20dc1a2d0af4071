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

_VERB = (r"(?:nået|naaet|opnået|indfriet|opfyldt|realiseret|nåede|opnåede|indfriede|opfyldte|"
         r"realiserede)")
_GOAL = r"(?:mål(?:et|ene|sætning\w*)?|delmål\w*)"
_GOAL_STATEMENTS = re.compile(
    r"\bi\s+mål\b"
    rf"|\b{_GOAL}\s+(?:\w+\s+){{0,5}}?(?:er|blev|var|blive|bliver)\s+(?:\w+\s+){{0,3}}?{_VERB}\b"
    rf"|\b(?:er|blev|var)\s+{_GOAL}\s+(?:\w+\s+){{0,5}}?{_VERB}\b"
    # "nået det, vi satte os for" / "opnået det, vi ville": the goal as a relative clause.
    rf"|\b{_VERB}\s+det,?\s+(?:vi|de|han|hun|familien|man|forældrene)\b"
    rf"|\b{_VERB}\s+(?:\w+\s+){{0,3}}?{_GOAL}\b"
    # "(ikke) muligt at nå målene": an infinitive counts only under a verb of achievement;
    # "støtte for at nå målene" states a purpose, not a result.
    rf"|\b(?:muligt|lykke(?:s|des)|formået|evnet)\s+at\s+nå\s+(?:\w+\s+){{0,3}}?{_GOAL}\b"
    r"|\b(?:fuld|delvis|delvist|ingen|nogen)?\s*målopnåelse\b"
    r"|\bmålopfyldelse\b",
    re.IGNORECASE,
)
# Distance words: part of the way done ("et godt stykke", "på rette vej", "vej igen").
_ON_THE_WAY = re.compile(r"\b(?:godt\s+)?på\s+(?:rette\s+|den\s+rigtige\s+)?vej\b"
                         r"|\bet\s+(?:godt\s+|langt\s+)?stykke\b|\bvej\s+igen\b",
                         re.IGNORECASE)
# "Nået/kommet langt" describes progress; beside a statement in the same sentence that the
# goals are reached it says how far the family came, not that it fell short.
_FAR = re.compile(r"\b(?:nået|kommet)\s+(?:rigtig\s+|ret\s+|meget\s+)?langt\b",
                  re.IGNORECASE)
_NO_PROGRESS = re.compile(
    r"\bingen\s+(?:\w+\s+)?(?:fremgang|forbedring|bedring|udvikling|forandring|progression)\b"
    r"|\b(?:forværret|forværring|tilbagegang|status\s+quo)\b",
    re.IGNORECASE,
)
# Weaker evidence, used only when no statement about the goals themselves is found.
_PROGRESS = re.compile(r"\b(?:positiv\w*\s+udvikling|fremgang|fremskridt|forbedring\w*|"
                       r"bedring|progression|trives)\b", re.IGNORECASE)
_NO_CHANGE = re.compile(
    r"\bikke\s+(?:\w+\s+){0,2}?(?:ført\s+til|givet|skabt|medført|haft)\s+(?:\w+\s+){0,3}?"
    r"(?:forandring\w*|ændring\w*|udvikling\w*|forbedring\w*|resultat\w*|effekt\w*)\b"
    r"|\b(?:uændret|uforandret)\b", re.IGNORECASE)
# Statements that the course succeeded, without a word for "goal": judged by the negation
# of their clause (before the verb, or right after a finite verb: "fungerer stadig ikke").
_SUCCESS = re.compile(
    r"\b(?:lykke(?:s|des)|virke[rt]?|gennemført\w*|succes\w*|fået\s+styr\s+på|fungerer|"
    r"klarer\s+sig\s+(?:\w+\s+){0,2}?uden\s+(?:støtte|hjælp)|"
    r"ikke\s+(?:\w+\s+)?længere\s+(?:brug|behov)\s+for)\b",
    re.IGNORECASE)
# A sentence whose subject is a negative quantifier ("Intet af det, vi aftalte, er ...")
# negates its predicate even across the commas of a relative clause.
_NEGATIVE_SUBJECT = re.compile(r"^\W*(?:\w+\s*:\s*)?(?:intet|ingen|hverken)\b", re.IGNORECASE)
# "To af tre mål", "et af målene": a count of goals; fewer than all is partial.
_COUNT = re.compile(r"\b(\w+)\s+af\s+(?:de\s+)?(\w+)\s*(?:mål|delmål)?", re.IGNORECASE)
_NUMBERS = {"en": 1, "et": 1, "én": 1, "ét": 1, "ene": 1, "to": 2, "tre": 3, "fire": 4,
            "fem": 5, "seks": 6, "syv": 7, "otte": 8, "ni": 9, "ti": 10,
            **{str(n): n for n in range(1, 11)}}
_CLAUSE_SPLIT = re.compile(r"[;,:–]|\s(?:men|mens|selvom|dog|derimod|hvorimod|andre)\s",
                           re.IGNORECASE)
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
    reached = [f for f in findings if f.value == REACHED]
    for match in [*_ON_THE_WAY.finditer(text), *_FAR.finditer(text)]:
        if _overlaps(match.span(), taken):
            continue
        if match.re is _FAR and any(_same_sentence(text, match.start(), f.start)
                                    for f in reached):
            continue
        negated = any(w in NEGATIONS for w in words_before(text, match.start(), limit=2))
        findings.append(Finding(NOT_REACHED if negated else PARTLY, match.start(), match.end()))
    for match in _NO_PROGRESS.finditer(text):
        if not _overlaps(match.span(), taken):
            findings.append(Finding(NOT_REACHED, match.start(), match.end()))
            taken.append(match.span())
    for match in _SUCCESS.finditer(text):
        if not _overlaps(match.span(), taken):
            findings.append(Finding(_judge_success(text, match), match.start(), match.end()))
            taken.append(match.span())
    findings += _elliptic_negations(text, findings)
    return sorted(findings, key=lambda f: f.start)


def _judge_success(text: str, match: re.Match) -> str:
    """A success statement's value from its clause: negated, partial or plain."""
    inside = words_in(match.group(0))
    if inside[0] == "ikke":  # "ikke længere behov for støtte": the need is gone
        return REACHED
    before = words_before(text, match.start(), limit=5)
    after = _words_after(text, match.end(), limit=4)
    negated = (any(w in NEGATIONS for w in before) or any(w in NEGATIONS for w in after[:2])
               or _negative_subject(text, match.start()))
    if negated:
        return PARTLY if any(w in _NOT_FULLY for w in before + after[:3]) else NOT_REACHED
    if any(w in _PARTIAL_WORDS for w in before + after[:4]):
        return PARTLY
    return REACHED


def _same_sentence(text: str, first: int, second: int) -> bool:
    return sentence_around(text, first, first) == sentence_around(text, second, second)


def _words_after(text: str, position: int, *, limit: int) -> list[str]:
    """Up to ``limit`` lower-case words after ``position`` in the same clause/sentence."""
    clause_end = _CLAUSE_SPLIT.search(text, position)
    sentence = sentence_around(text, position, position)
    end = min(clause_end.start() if clause_end else len(text), max(sentence.end, position))
    return words_in(text[position:end])[:limit]


def _negative_subject(text: str, position: int) -> bool:
    sentence = sentence_around(text, position, position)
    prefix = text[sentence.start:position]
    return bool(_NEGATIVE_SUBJECT.match(prefix)) and not re.search(r"\bmen\b", prefix)


def _elliptic_negations(text: str, findings: list[Finding]) -> list[Finding]:
    """Short negated clauses after a reached statement ("..., det andet er ikke",
    "..., men ikke på alle", "..., andre ikke"): the same predicate, denied."""
    extra: list[Finding] = []
    for finding in findings:
        if finding.value != REACHED:
            continue
        sentence = sentence_around(text, finding.start, finding.end)
        rest_start = finding.end
        for clause in _CLAUSE_SPLIT.split(text[rest_start:sentence.end]):
            words = words_in(clause)
            if not words:
                continue
            start = text.index(clause, rest_start)
            rest_start = start + len(clause)
            if (len(words) <= 5 and any(w in NEGATIONS for w in words)
                    and not any(f.start >= start and f.start < rest_start for f in findings)):
                extra.append(Finding(NOT_REACHED, start, rest_start))
    return extra


def find_progress_statements(text: str) -> list[Finding]:
    """Weaker statements: progress without a goal ("positiv udvikling") or no change."""
    findings = [Finding(NOT_REACHED, m.start(), m.end()) for m in _NO_CHANGE.finditer(text)]
    taken = [(f.start, f.end) for f in findings]
    for match in _PROGRESS.finditer(text):
        if _overlaps(match.span(), taken):
            continue
        negated = (any(w in NEGATIONS for w in words_before(text, match.start(), limit=3))
                   or any(w in NEGATIONS for w in _words_after(text, match.end(), limit=1)))
        findings.append(Finding(NOT_REACHED if negated else PARTLY, match.start(), match.end()))
    return sorted(findings, key=lambda f: f.start)


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _judge_goal_statement(text: str, match: re.Match) -> str:
    inside = words_in(match.group(0))
    before = words_before(text, match.start(), limit=5)
    window = before + inside + _words_after(text, match.end(), limit=3)
    if "ingen" in inside or ("ingen" in before[-2:] and "målopnåelse" in inside):
        return NOT_REACHED
    if "fuld" in inside and "målopnåelse" in inside:
        return REACHED
    negated = any(word in NEGATIONS for word in window)
    if negated:
        return PARTLY if any(word in _NOT_FULLY for word in window) else NOT_REACHED
    count = _goal_count(text, match)
    if count is not None:
        return count
    if any(word in _PARTIAL_WORDS for word in window):
        return PARTLY
    if inside and inside[0].startswith("delmål") and not any(
            word in _NOT_FULLY for word in before[-2:]):
        return PARTLY
    return REACHED


def _goal_count(text: str, match: re.Match) -> str | None:
    """"To af tre mål er nået" is partial, "tre af tre" reached; None without a count."""
    window_start = max(0, match.start() - 30)
    for count in _COUNT.finditer(text, window_start, match.end()):
        part = _NUMBERS.get(count.group(1).lower())
        whole = _NUMBERS.get(count.group(2).lower())
        if part is None:
            continue
        return REACHED if whole is not None and part >= whole else PARTLY
    return None


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
    if values == {NOT_REACHED} and not weak:
        # "Der ses en positiv udvikling, men målet er ikke nået": progress beside goals
        # not reached is part of the way.
        progress = [f for f in find_progress_statements(text)
                    if f.start >= region_start and f.value == PARTLY]
        if progress:
            evidence = sentence_around(text, progress[0].start, progress[0].end)
            return PARTLY, evidence, "der beskrives fremgang, men målene beskrives ikke som nået"
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


def effect_assessment(text: str) -> str | None:
    """THE effect-assessment detector: the outcome a discharge report states ("I mål",
    "På vej", "Ikke i mål"), or None when it holds no usable effect assessment."""
    found = suggest_outcome(text)
    return found[0] if found else None

"""CPR numbers: DDMMYY-SSSS, DDMMYYSSSS or DDMMYY SSSS with a date that exists.

The 7th digit and the year give the century (CPR-kontorets rule). Modulus 11 only raises
confidence, because numbers without it have been issued since 2007. Words before the number
raise confidence ("cpr", "personnummer") or lower it (sagsnummer, fakturanummer, p-nr ...).
"""

from __future__ import annotations

import re
from datetime import date

from effektspor.privacy.spans import Candidate, TextView

_CPR = re.compile(r"(?<![\d\w])(?<!\d[-./])(\d{2})(\d{2})(\d{2})[ \t]?[-–—]?[ \t]?(\d{4})(?!\d|[-./]\d)")
_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)

#: Words before a number that make it a CPR number.
CPR_CONTEXT = frozenset({"cpr", "cprnr", "cprnummer", "cpr-nr", "cpr-nummer", "personnummer",
                         "personnr", "født", "fødselsdato", "cprnummeret", "personnummeret"})
#: Words before a number that make it something else (a look-alike).
LOOKALIKE_CONTEXT = frozenset({
    "sagsnr", "sagsnummer", "sag", "faktura", "fakturanr", "fakturanummer", "fakturanummeret",
    "p", "pnr", "produktionsenhed", "cvr", "cvrnr", "se", "ean", "konto", "kontonr",
    "kontonummer", "reg", "regnr", "ordre", "ordrenr", "ordrenummer", "journalnr",
    "journalnummer", "bilag", "bilagsnr", "id", "kundenr", "kundenummer", "dokumentnr",
    "sagsid", "referencenr", "ref", "løbenr", "lbnr", "serienr", "bestillingsnr", "kvitteringsnr",
})


def century(seventh_digit: int, year: int) -> int | None:
    """The century (1800, 1900 or 2000) a CPR number's birth year belongs to."""
    if seventh_digit <= 3:
        return 1900
    if seventh_digit in (4, 9):
        return 2000 if year <= 36 else 1900
    if seventh_digit <= 8:
        return 2000 if year <= 57 else 1800
    return None


def birth_date(digits: str) -> date | None:
    """The birth date encoded in a 10-digit CPR number, or None if no such date exists."""
    day, month, year = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    base = century(int(digits[6]), year)
    if base is None:
        return None
    try:
        return date(base + year, month, day)
    except ValueError:
        return None


def modulus11_ok(digits: str) -> bool:
    """True when the weighted digit sum is divisible by 11 (the pre-2007 check)."""
    return sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11 == 0


def is_valid_cpr(number: str, *, today: date | None = None) -> bool:
    """True when ``number`` (separators allowed) is a possible CPR number."""
    digits = re.sub(r"\D", "", number)
    if len(digits) != 10:
        return False
    born = birth_date(digits)
    return born is not None and born <= (today or date.today())


class CprRecogniser:
    """Finds CPR numbers; confidence from date, modulus 11, separators and context."""

    name = "cpr"
    labels = ("CPR",)

    def __init__(self, today: date | None = None):
        self.today = today

    def find(self, view: TextView) -> list[Candidate]:
        """All CPR-like numbers with a valid date, with a confidence in [0, 1]."""
        today = self.today or date.today()
        found = []
        for run_start, run_end in view.numbers:
            if run_end - run_start >= 10:
                found.extend(self._in_run(view, run_start, run_end, today))
        return found

    def _in_run(self, view: TextView, run_start: int, run_end: int,
                today: date) -> list[Candidate]:
        text = view.text
        found = []
        for match in _CPR.finditer(text, run_start, min(len(text), run_end + 2)):
            digits = "".join(match.groups())
            born = birth_date(digits)
            if born is None or born > today:
                continue
            confidence = 0.7
            if modulus11_ok(digits):
                confidence += 0.15
            if "-" in match.group() or "–" in match.group():
                confidence += 0.1
            before = context_words(view, match.start())
            if before & CPR_CONTEXT:
                confidence += 0.3
            elif before & LOOKALIKE_CONTEXT:
                confidence -= 0.6
            found.append(Candidate(match.start(), match.end(), "CPR",
                                   max(0.0, min(1.0, confidence)), self.name))
        return found


def context_words(view: TextView, position: int) -> set[str]:
    """The three words before ``position``, also glued ('cpr-nr' → 'cpr-nr', 'cprnr')."""
    words = view.words_before(position, count=3, window=30)
    glued = set(words)
    if len(words) >= 2:
        glued.add(words[1] + words[0])
        glued.add(words[1] + "-" + words[0])
    return glued

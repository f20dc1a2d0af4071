"""Phone numbers (Danish, 8 digits, spaced, +45/0045), e-mail addresses and URLs."""

from __future__ import annotations

import re
from datetime import date

from effektspor.privacy.recognisers.cpr import LOOKALIKE_CONTEXT, context_words
from effektspor.privacy.spans import Candidate, TextView

_PHONE = re.compile(
    r"(?<![\w+])(?<!\d[-./])(?:(?:\(?\+|00)\s?45\)?[\s-]?)?"
    r"(\d{2}[ \-]?\d{2}[ \-]?\d{2}[ \-]?\d{2}|\d{4}[ \-]\d{4})"
    r"(?!\d|[-./]\d|\s\d{2}(?!\d))")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+|\b[\w-]+\.(?:dk|com|net|org)/[^\s<>\"]+")

PHONE_CONTEXT = frozenset({"tlf", "telefon", "telefonnummer", "telefonnr", "mobil", "mobilnr",
                           "mobilnummer", "ring", "ringe", "ringede", "sms", "nummer", "nr",
                           "fastnet", "tlfnr", "opkald", "kontakt", "træffes", "på", "fra"})


def _looks_like_date(digits: str) -> bool:
    day, month, year = int(digits[0:2]), int(digits[2:4]), int(digits[4:8])
    if not 1900 <= year <= 2100:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


class PhoneRecogniser:
    """Danish phone numbers; dates (DDMMÅÅÅÅ) and numbers after look-alike words score low."""

    name = "telefon"
    labels = ("TELEFON",)

    def find(self, view: TextView) -> list[Candidate]:
        """Every 8-digit number a Danish phone number could be."""
        text = view.text
        found = []
        matches = []
        for run_start, run_end in view.numbers:
            if run_end - run_start >= 8:
                matches.extend(_PHONE.finditer(text, max(0, run_start - 1),
                                               min(len(text), run_end + 3)))
        for match in matches:
            digits = re.sub(r"\D", "", match.group(1))
            if digits[0] in "01":
                continue
            prefixed = match.group(1) != match.group()
            before = context_words(view, match.start())
            confidence = 0.75
            if prefixed:
                confidence = 0.95
            if before & PHONE_CONTEXT:
                confidence += 0.2
            elif before & LOOKALIKE_CONTEXT:
                confidence -= 0.6
            elif not prefixed and _looks_like_date(digits):
                confidence -= 0.45
            found.append(Candidate(match.start(), match.end(), "TELEFON",
                                   max(0.0, min(1.0, confidence)), self.name))
        return found


class EmailRecogniser:
    """E-mail addresses."""

    name = "email"
    labels = ("EMAIL",)

    def find(self, view: TextView) -> list[Candidate]:
        """Every e-mail address (only texts with an '@' are searched)."""
        if "@" not in view.text:
            return []
        return [Candidate(m.start(), m.end(), "EMAIL", 1.0, self.name)
                for m in _EMAIL.finditer(view.text)]


class UrlRecogniser:
    """URLs whose path or host holds a person's name (e.g. facebook.com/jannie.holm)."""

    name = "url"
    labels = ("URL",)

    def __init__(self, is_name):
        self.is_name = is_name

    def find(self, view: TextView) -> list[Candidate]:
        """URLs with a first name or surname among their parts."""
        text = view.text
        if "/" not in text and "www." not in text:
            return []  # cheap first test: every other form below holds a '/'
        if "://" not in text and "www." not in text and ".dk/" not in text and (
                ".com/" not in text):
            return []
        found = []
        for match in _URL.finditer(text):
            url = match.group().rstrip(".,;:)")
            parts = re.split(r"[/._\-?=&:]+", url.casefold())
            if any(len(part) > 2 and self.is_name(part) for part in parts[1:]):
                found.append(Candidate(match.start(), match.start() + len(url), "URL", 0.8,
                                       self.name))
        return found

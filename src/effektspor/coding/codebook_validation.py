"""Reading codebook YAML with line numbers and Danish problem reports."""

from __future__ import annotations

import difflib
import re

import yaml

from effektspor.coding.codebook import (
    NEGATION_MODES,
    PERSPECTIVES,
    Code,
    Codebook,
    DerivedCode,
    Rule,
)
from effektspor.coding.patterns import parse_pattern
from effektspor.domain.errors import Problem, ValidationError
from effektspor.domain.yaml_lines import LineDict, LineLoader

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
TOP_KEYS = {"navn", "version", "beskrivelse", "ordlister", "koder", "afledte_koder"}
CODE_KEYS = {"id", "navn", "forælder", "definition", "inklusion", "eksklusion", "eksempler",
             "modeksempler", "farve", "regler"}
RULE_KEYS = {"id", "mønstre", "afstand", "rækkefølge", "negation", "perspektiv", "undtagelser",
             "kræver", "opmærksomhedspunkter", "dokumenttyper"}
DERIVED_KEYS = {"id", "navn", "først", "derefter", "vindue_dage", "definition"}


class CodebookReader:
    """Collects every problem of one codebook text before failing."""

    def __init__(self, text: str, source: str):
        self.text = text
        self.source = source
        self.problems: list[Problem] = []

    def problem(self, message: str, where: LineDict | None, key: str | None) -> None:
        """Record a problem at ``key`` of mapping ``where``."""
        line = None
        if isinstance(where, LineDict):
            line = where.key_lines.get(key, where.line)
        self.problems.append(Problem(message, file=self.source, line=line, field=key))

    def read(self) -> Codebook:
        """Parse the YAML and build the codebook, or raise ``ValidationError``."""
        try:
            data = yaml.load(self.text, Loader=LineLoader)  # noqa: S506 - safe loader subclass
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            raise ValidationError([Problem(f"filen er ikke gyldig YAML ({error})",
                                           file=self.source,
                                           line=mark.line + 1 if mark else None)]) from error
        if not isinstance(data, dict):
            raise ValidationError([Problem("kodebogen skal være en YAML-mapping med "
                                           "'navn', 'version' og 'koder'", file=self.source)])
        self._unknown_keys(data, TOP_KEYS, "kodebogen")
        name = self._text(data, "navn", required=True)
        version = self._text(data, "version", required=True)
        word_lists = self._word_lists(data)
        codes = self._codes(data, word_lists)
        derived = self._derived(data, {code.id for code in codes})
        if self.problems:
            raise ValidationError(self.problems, f"Kodebogen {self.source} har "
                                  f"{len(self.problems)} fejl – den er ikke indlæst.")
        return Codebook(name=name, version=version, codes=tuple(codes), word_lists=word_lists,
                        derived=tuple(derived), description=data.get("beskrivelse") or "",
                        source_text=self.text)

    # -- helpers -------------------------------------------------------------------------

    def _unknown_keys(self, mapping: dict, allowed: set[str], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                hint = f" Mente du '{close[0]}'?" if close else ""
                self.problem(f"ukendt nøgle i {what}.{hint}", mapping, str(key))

    def _text(self, mapping: dict, key: str, *, required: bool = False) -> str:
        value = mapping.get(key)
        if value is None:
            if required:
                self.problem("mangler (skal udfyldes)", mapping, key)
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem("skal være en tekst", mapping, key)
            return ""
        return str(value).strip()

    def _text_list(self, mapping: dict, key: str) -> tuple[str, ...]:
        value = mapping.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem("skal være en liste af tekster", mapping, key)
            return ()
        return tuple(v.strip() for v in value if v.strip())

    def _word_lists(self, data: dict) -> dict[str, tuple[str, ...]]:
        raw = data.get("ordlister") or {}
        if not isinstance(raw, dict):
            self.problem("skal være en mapping fra navn til liste af ord", data, "ordlister")
            return {}
        return {str(name): self._text_list(raw, name) for name in raw}

    def _codes(self, data: dict, word_lists: dict) -> list[Code]:
        raw = data.get("koder")
        if not isinstance(raw, list) or not raw:
            self.problem("skal være en ikke-tom liste af koder", data, "koder")
            return []
        codes: list[Code] = []
        seen_codes: set[str] = set()
        seen_rules: set[str] = set()
        for entry in raw:
            if not isinstance(entry, dict):
                self.problem("hver kode skal være en mapping (id, navn, ...)", data, "koder")
                continue
            code = self._code(entry, word_lists, seen_rules)
            if code is None:
                continue
            if code.id in seen_codes:
                self.problem(f"koden '{code.id}' findes flere gange", entry, "id")
            seen_codes.add(code.id)
            codes.append(code)
        self._check_parents(raw, codes)
        return codes

    def _code(self, entry: dict, word_lists: dict, seen_rules: set[str]) -> Code | None:
        self._unknown_keys(entry, CODE_KEYS, "koden")
        code_id = self._identifier(entry, "id")
        if code_id is None:
            return None
        colour = self._text(entry, "farve") or None
        if colour and not _COLOUR.match(colour):
            self.problem(f"farven '{colour}' skal skrives som #rrggbb", entry, "farve")
        rules = []
        raw_rules = entry.get("regler") or []
        if not isinstance(raw_rules, list):
            self.problem("skal være en liste af regler", entry, "regler")
            raw_rules = []
        for raw_rule in raw_rules:
            rule = self._rule(raw_rule, code_id, word_lists, entry)
            if rule is None:
                continue
            if rule.id in seen_rules:
                self.problem(f"reglen '{rule.id}' findes flere gange", raw_rule, "id")
            seen_rules.add(rule.id)
            rules.append(rule)
        return Code(id=code_id, name=self._text(entry, "navn", required=True),
                    parent=self._text(entry, "forælder") or None,
                    definition=self._text(entry, "definition"),
                    inclusion=self._text(entry, "inklusion"),
                    exclusion=self._text(entry, "eksklusion"),
                    positive_examples=self._text_list(entry, "eksempler"),
                    negative_examples=self._text_list(entry, "modeksempler"),
                    colour=colour, rules=tuple(rules))

    def _identifier(self, mapping: dict, key: str) -> str | None:
        value = self._text(mapping, key, required=True)
        if not value:
            return None
        if not _ID.match(value):
            self.problem(f"'{value}' er ikke et gyldigt id (små bogstaver a-z, tal og _ )",
                         mapping, key)
            return None
        return value

    def _rule(self, raw: object, code_id: str, word_lists: dict, code_entry: dict) -> Rule | None:
        if not isinstance(raw, dict):
            self.problem("hver regel skal være en mapping (id, mønstre, ...)", code_entry,
                         "regler")
            return None
        self._unknown_keys(raw, RULE_KEYS, "reglen")
        rule_id = self._identifier(raw, "id")
        patterns = self._patterns(raw, "mønstre", word_lists, required=True)
        exceptions = self._patterns(raw, "undtagelser", word_lists)
        requires = self._patterns(raw, "kræver", word_lists)
        max_gap = raw.get("afstand", 2)
        if isinstance(max_gap, bool) or not isinstance(max_gap, int) or not 0 <= max_gap <= 20:
            self.problem("skal være et helt tal fra 0 til 20 (antal ord imellem)", raw, "afstand")
            max_gap = 2
        order = raw.get("rækkefølge", "fast")
        if order not in ("fast", "fri"):
            self.problem("skal være 'fast' eller 'fri'", raw, "rækkefølge")
        negation = raw.get("negation", "udelukket")
        if negation not in NEGATION_MODES:
            self.problem(f"skal være en af: {', '.join(NEGATION_MODES)}", raw, "negation")
        perspectives = self._text_list(raw, "perspektiv") or PERSPECTIVES
        for value in perspectives:
            if value not in PERSPECTIVES:
                self.problem(f"'{value}' er ikke et perspektiv (brug: "
                             f"{', '.join(PERSPECTIVES)})", raw, "perspektiv")
        if rule_id is None or not patterns:
            return None
        return Rule(id=rule_id, code_id=code_id, patterns=patterns, max_gap=max_gap,
                    ordered=order != "fri", negation=negation, perspectives=perspectives,
                    exceptions=exceptions, requires=requires,
                    attention_points=self._text_list(raw, "opmærksomhedspunkter"),
                    document_types=self._text_list(raw, "dokumenttyper"))

    def _patterns(self, raw: dict, key: str, word_lists: dict, *,
                  required: bool = False) -> tuple[str, ...]:
        patterns = self._text_list(raw, key)
        if required and not patterns and key not in {p.field for p in self.problems}:
            self.problem("mangler (mindst ét mønster)", raw, key)
        for pattern in patterns:
            try:
                parse_pattern(pattern, word_lists)
            except ValueError as error:
                self.problem(f"mønsteret '{pattern}': {error}", raw, key)
        return patterns

    def _check_parents(self, raw: list, codes: list[Code]) -> None:
        ids = {code.id for code in codes}
        parents = {code.id: code.parent for code in codes}
        entries = {entry.get("id"): entry for entry in raw if isinstance(entry, dict)}
        for code in codes:
            if code.parent is None:
                continue
            if code.parent not in ids:
                self.problem(f"forælderen '{code.parent}' findes ikke blandt koderne",
                             entries.get(code.id), "forælder")
                continue
            seen, current = {code.id}, code.parent
            while current is not None:
                if current in seen:
                    self.problem("koderne danner en ring af forældre", entries.get(code.id),
                                 "forælder")
                    break
                seen.add(current)
                current = parents.get(current)

    def _derived(self, data: dict, code_ids: set[str]) -> list[DerivedCode]:
        raw = data.get("afledte_koder") or []
        if not isinstance(raw, list):
            self.problem("skal være en liste", data, "afledte_koder")
            return []
        derived = []
        for entry in raw:
            if not isinstance(entry, dict):
                self.problem("hver afledt kode skal være en mapping", data, "afledte_koder")
                continue
            self._unknown_keys(entry, DERIVED_KEYS, "den afledte kode")
            derived_id = self._identifier(entry, "id")
            first = self._text(entry, "først", required=True)
            then = self._text(entry, "derefter", required=True)
            for key, value in (("først", first), ("derefter", then)):
                if value and value not in code_ids:
                    self.problem(f"koden '{value}' findes ikke blandt koderne", entry, key)
            window = entry.get("vindue_dage", 180)
            if isinstance(window, bool) or not isinstance(window, int) or window < 0:
                self.problem("skal være et helt antal dage (0 eller mere)", entry, "vindue_dage")
                window = 0
            if derived_id and derived_id in code_ids:
                self.problem(f"'{derived_id}' er allerede en almindelig kode", entry, "id")
            if derived_id:
                derived.append(DerivedCode(derived_id, self._text(entry, "navn", required=True),
                                           first, then, window, self._text(entry, "definition")))
        return derived

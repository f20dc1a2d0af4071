"""Follow-up rule sets as data: YAML files, validated with file/line errors in Danish.

A rule set (``regelsæt``) holds rules tried in order; the first whose measure kinds
(``typer``, or ``alle``) and risk levels (``risiko``, optional) fit a measure is used:

* ``første``: the first follow-up this long after the measure starts (omitted: the
  statutory deadline itself). The statutory deadline always wins when it is earlier.
* ``forløb``: phases after the first, each ``hver`` (an interval from the previous
  follow-up) and optionally ``til`` (the phase covers due dates up to and including
  that long after the start). When the phases end, the schedule is a decision.
* ``derefter``: what the calendar says when the phases end (default: §95, stk. 3).
* ``begrundelse``: the rule's source (a local guideline, the law).

Two are built in: ``barnets-lov`` and ``herning``; a municipality writes its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from effektspor.domain.errors import Problem, ValidationError
from effektspor.domain.followup import MEASURE_KINDS, RISK_LEVELS
from effektspor.followup.dates import Interval, parse_interval
from effektspor.followup.yamlfile import LineDict, Reader, load_yaml

BUILTIN_RULE_SETS = ("barnets-lov", "herning")
ALL_KINDS = "alle"
DECISION_TEXT = ("Ved første opfølgning beslutter kommunen, hvordan der følges op "
                 "fremover, og begrunder det over for barnet og forældrene "
                 "(Barnets Lov §95, stk. 3). Ingen beslutning er registreret endnu.")

_TOP_KEYS = {"regelsæt", "titel", "regler"}
_RULE_KEYS = {"navn", "typer", "risiko", "første", "forløb", "derefter", "begrundelse"}
_PHASE_KEYS = {"hver", "til"}


@dataclass(frozen=True, slots=True)
class Phase:
    """Every ``every`` from the previous follow-up, for due dates up to ``until`` after
    the start (None: with no end)."""

    every: Interval
    until: Interval | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of a rule set (see the module's description)."""

    name: str
    kinds: tuple[str, ...]
    risk_levels: tuple[str, ...] = ()
    first: Interval | None = None
    phases: tuple[Phase, ...] = ()
    afterwards: str = DECISION_TEXT
    source: str = ""

    def fits(self, kind: str, risk_level: str | None) -> bool:
        """True when this rule covers a measure of ``kind`` at ``risk_level``."""
        kind_fits = ALL_KINDS in self.kinds or kind in self.kinds
        return kind_fits and (not self.risk_levels or risk_level in self.risk_levels)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A named, ordered list of rules."""

    name: str
    title: str
    rules: tuple[Rule, ...]

    def rule_for(self, kind: str, risk_level: str | None = None) -> Rule | None:
        """The first rule that fits, or None."""
        return next((rule for rule in self.rules if rule.fits(kind, risk_level)), None)


class _Reader(Reader):
    def __init__(self, source: str, extra_kinds: tuple[str, ...]):
        super().__init__(source)
        self.kinds = set(MEASURE_KINDS) | set(extra_kinds) | {ALL_KINDS}

    def interval(self, mapping: LineDict, key: str) -> Interval | None:
        if mapping.get(key) is None:
            return None
        try:
            return parse_interval(mapping[key])
        except ValueError as error:
            self.problem(str(error), mapping, key)
            return None

    def read(self, text: str) -> RuleSet:
        data = load_yaml(text, self.source)
        if not isinstance(data, LineDict):
            raise ValidationError([Problem("filen skal være et regelsæt (en YAML-mapping "
                                           "med regelsæt, titel og regler)",
                                           file=self.source)])
        self.unknown_keys(data, _TOP_KEYS, "regelsættet")
        name = self.text(data, "regelsæt", required=True)
        title = self.text(data, "titel") or name
        raw_rules = data.get("regler")
        rules: list[Rule] = []
        if not isinstance(raw_rules, list) or not raw_rules:
            self.problem("skal være en liste med mindst én regel", data, "regler")
        else:
            for raw in raw_rules:
                rule = self.rule(raw, data)
                if rule is not None:
                    rules.append(rule)
        if self.problems:
            raise ValidationError(self.problems)
        return RuleSet(name, title, tuple(rules))

    def rule(self, raw: object, parent: LineDict) -> Rule | None:
        if not isinstance(raw, LineDict):
            self.problem("hver regel skal være en mapping", parent, "regler")
            return None
        self.unknown_keys(raw, _RULE_KEYS, "reglen")
        name = self.text(raw, "navn", required=True)
        kinds = self.words(raw, "typer", self.kinds, "indsatstype")
        if not kinds and "typer" not in raw:
            self.problem("skal udfyldes (indsatstyper eller 'alle')", raw, "typer")
        risks = self.words(raw, "risiko", set(RISK_LEVELS), "risikoniveau")
        first = self.interval(raw, "første")
        phases: list[Phase] = []
        raw_phases = raw.get("forløb") or []
        if not isinstance(raw_phases, list):
            self.problem("skal være en liste af faser (hver, til)", raw, "forløb")
            raw_phases = []
        for index, phase in enumerate(raw_phases):
            if not isinstance(phase, LineDict):
                self.problem("hver fase skal være en mapping med 'hver' (og evt. 'til')",
                             raw, "forløb")
                continue
            self.unknown_keys(phase, _PHASE_KEYS, "fasen")
            every = self.interval(phase, "hver")
            if every is None and phase.get("hver") is None:
                self.problem("skal udfyldes", phase, "hver")
            until = self.interval(phase, "til")
            if until is None and index < len(raw_phases) - 1 and phase.get("til") is None:
                self.problem("kun den sidste fase må være uden 'til'", phase, "hver")
            if every is not None:
                phases.append(Phase(every, until))
        afterwards = self.text(raw, "derefter") or DECISION_TEXT
        return Rule(name, kinds, risks, first, tuple(phases), afterwards,
                    self.text(raw, "begrundelse"))


def read_rule_set(text: str, *, source: str = "regelsæt",
                  extra_kinds: tuple[str, ...] = ()) -> RuleSet:
    """The rule set in YAML ``text``; :class:`ValidationError` lists every problem with
    file, line and field. ``extra_kinds``: a project's own measure kinds."""
    return _Reader(source, extra_kinds).read(text)


def load_rule_set(name_or_path: str | Path, *, extra_kinds: tuple[str, ...] = ()) -> RuleSet:
    """A built-in rule set by name (``barnets-lov``, ``herning``) or a YAML file."""
    if str(name_or_path) in BUILTIN_RULE_SETS:
        file = resources.files("effektspor") / "data" / "followup" / f"{name_or_path}.yaml"
        return read_rule_set(file.read_text("utf-8"), source=f"{name_or_path}.yaml")
    path = Path(name_or_path)
    if not path.is_file():
        raise ValidationError([Problem(
            f"regelsættet findes ikke (indbyggede: {', '.join(BUILTIN_RULE_SETS)}; "
            "ellers en YAML-fil)", file=str(name_or_path))])
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ValidationError([Problem(f"kan ikke læses som UTF-8-tekst ({error})",
                                       file=str(path))]) from error
    return read_rule_set(text, source=path.name, extra_kinds=extra_kinds)

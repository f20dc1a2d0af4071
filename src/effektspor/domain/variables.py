"""Declared case variables (målopnåelse, problemstilling, problemgrad, ...) and value checks.

A variable has a machine name, a Danish label, a kind and, for nominal and ordinal
variables, an ordered list of allowed values, each with the criterion a coder applies.
The three classifications of the Randers method are built in; a municipality may declare
more (``variables_from_mapping`` reads the structure of a YAML file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from effektspor.domain.dates import parse_bool, parse_date
from effektspor.domain.errors import Problem, ValidationError
from effektspor.domain.vocabulary import OUTCOMES, PROBLEM_CATEGORIES, SEVERITIES


class VariableKind(StrEnum):
    """The measurement level of a variable (decides allowed values and agreement measures)."""

    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    NUMERIC = "numeric"
    BOOLEAN = "boolean"
    DATE = "date"


KIND_LABELS: dict[VariableKind, str] = {
    VariableKind.NOMINAL: "kategorisk (nominal)",
    VariableKind.ORDINAL: "ordnet (ordinal)",
    VariableKind.NUMERIC: "tal",
    VariableKind.BOOLEAN: "ja/nej",
    VariableKind.DATE: "dato",
}

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


@dataclass(frozen=True, slots=True)
class Variable:
    """A case variable: name, Danish label, kind, ordered allowed values and their criteria.

    ``criteria`` maps each allowed value to the text a coder uses to decide it;
    ``description`` says where the value is read from (e.g. the discharge report).
    """

    name: str
    label: str
    kind: VariableKind
    values: tuple[str, ...] = ()
    criteria: dict[str, str] = field(default_factory=dict)
    description: str = ""

    @property
    def is_categorical(self) -> bool:
        """True for nominal and ordinal variables (a fixed list of values)."""
        return self.kind in (VariableKind.NOMINAL, VariableKind.ORDINAL)

    def validate(self, raw: object) -> str:
        """Return the canonical spelling of ``raw`` or raise ``ValueError`` (Danish message).

        Categorical values are matched ignoring case and surrounding spaces; numbers accept
        a decimal comma; booleans are stored as "ja"/"nej"; dates as ISO.
        """
        text = "" if raw is None else str(raw).strip()
        if not text:
            raise ValueError(f"værdien for '{self.label}' mangler")
        if self.is_categorical:
            key = text.casefold()
            for value in self.values:
                if value.casefold() == key:
                    return value
            allowed = ", ".join(self.values)
            raise ValueError(f"'{text}' er ikke en tilladt værdi for '{self.label}' "
                             f"(tilladt: {allowed})")
        if self.kind is VariableKind.NUMERIC:
            try:
                number = float(text.replace(",", "."))
            except ValueError:
                raise ValueError(f"'{text}' er ikke et tal ('{self.label}')") from None
            return repr(int(number)) if number.is_integer() else repr(number)
        if self.kind is VariableKind.BOOLEAN:
            return "ja" if parse_bool(text) else "nej"
        return parse_date(text).isoformat()

    def rank(self, value: str) -> int:
        """The position of an ordinal/nominal value in the declared order."""
        return self.values.index(value)


OUTCOME = Variable(
    name="maalopnaaelse",
    label="Målopnåelse",
    kind=VariableKind.ORDINAL,
    values=OUTCOMES,
    criteria={
        "I mål": "Udskrivningsrapportens effektvurdering siger, at målet er nået for alle "
                 "problemstillinger i forløbet.",
        "På vej": "Målet er nået for nogle, men ikke alle problemstillinger; der er sket "
                  "fremskridt, men forløbet er ikke helt i mål.",
        "Ikke i mål": "Effektvurderingen beskriver ingen målopnåelse for nogen af "
                      "problemstillingerne.",
    },
    description="Klassificeres ud fra effektvurderingen i udskrivningsrapporten. Sager uden "
                "brugbar udskrivningsrapport klassificeres ikke.",
)

PROBLEM_CATEGORY = Variable(
    name="problemstilling",
    label="Problemstilling",
    kind=VariableKind.NOMINAL,
    values=PROBLEM_CATEGORIES,
    criteria={
        "Forældrekonflikt": "Forældrene har svært ved at styre fysisk, verbal eller social "
                            "vold i nærheden af barnet eller familien.",
        "Forældrestruktur": "Forældrene har svært ved at strukturere en rimelig hverdag for "
                            "barnet eller børnene.",
        "Forældreregulering": "Forældrene har svært ved at handle og være sammen med barnet "
                              "på en passende måde.",
        "Barneregulering": "Barnet har svært ved at handle og være sammen med andre på en "
                           "passende måde.",
        "Barnestruktur": "Barnet har svært ved daglige rutiner og struktur.",
        "Barnekonflikt": "Barnet reagerer fysisk, verbalt eller socialt udadrettet.",
    },
    description="Klassificeres ud fra bevillinger og handleplaner ved indskrivning.",
)

SEVERITY = Variable(
    name="problemgrad",
    label="Problemgrad",
    kind=VariableKind.ORDINAL,
    values=SEVERITIES,
    criteria={
        "Svær": "Problemstillingen beskriver en familiesituation i fare.",
        "Mellem": "Problemstillingen beskriver en familiesituation i krise.",
        "Let": "Problemstillingen kræver støtte til at opretholde en almindelig livsførelse.",
    },
    description="Vurderes fra barnets eller familiens synspunkt, ikke fra et "
                "behandlingssynspunkt, ud fra bevillinger og handleplaner ved indskrivning.",
)

#: The built-in variables of every project, in presentation order.
STANDARD_VARIABLES: tuple[Variable, ...] = (OUTCOME, PROBLEM_CATEGORY, SEVERITY)

_KIND_ALIASES = {
    "nominal": VariableKind.NOMINAL, "kategorisk": VariableKind.NOMINAL,
    "ordinal": VariableKind.ORDINAL, "ordnet": VariableKind.ORDINAL,
    "numeric": VariableKind.NUMERIC, "tal": VariableKind.NUMERIC,
    "numerisk": VariableKind.NUMERIC,
    "boolean": VariableKind.BOOLEAN, "ja/nej": VariableKind.BOOLEAN,
    "janej": VariableKind.BOOLEAN, "boolsk": VariableKind.BOOLEAN,
    "date": VariableKind.DATE, "dato": VariableKind.DATE,
}


def variables_from_mapping(data: object, *, source: str) -> list[Variable]:
    """Build variables from the parsed content of a variable file (e.g. YAML).

    Expected shape: ``{"variabler": [{"navn": ..., "etiket": ..., "type": ...,
    "værdier": [...] or [{"værdi": ..., "kriterium": ...}], "beskrivelse": ...}]}``.
    Raises ``ValidationError`` listing every problem, with ``source`` as the file name.
    """
    problems: list[Problem] = []
    items = data.get("variabler") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise ValidationError([Problem("filen skal have en liste 'variabler' med mindst én "
                                       "variabel", file=source)])
    result: list[Variable] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        where = f"variabel nr. {number}"
        if not isinstance(item, dict):
            problems.append(Problem(f"{where} skal være en tabel med felter", file=source))
            continue
        variable, item_problems = _variable_from_item(item, where, source)
        problems.extend(item_problems)
        if variable is None:
            continue
        if variable.name in seen:
            problems.append(Problem(f"{where}: navnet '{variable.name}' er brugt to gange",
                                    file=source, field="navn"))
        seen.add(variable.name)
        result.append(variable)
    if problems:
        raise ValidationError(problems)
    return result


def _variable_from_item(item: dict, where: str, source: str
                        ) -> tuple[Variable | None, list[Problem]]:
    problems: list[Problem] = []
    name = str(item.get("navn") or "").strip()
    if not _NAME.match(name):
        problems.append(Problem(f"{where}: 'navn' skal være små bogstaver a-z, cifre og _ "
                                f"(fik '{name}')", file=source, field="navn"))
    label = str(item.get("etiket") or name).strip()
    kind = _KIND_ALIASES.get(str(item.get("type") or "").strip().casefold())
    if kind is None:
        problems.append(Problem(f"{where}: ukendt 'type' '{item.get('type')}' (brug nominal, "
                                "ordinal, tal, ja/nej eller dato)", file=source, field="type"))
    values: list[str] = []
    criteria: dict[str, str] = {}
    for entry in item.get("værdier") or item.get("vaerdier") or []:
        if isinstance(entry, dict):
            value = str(entry.get("værdi") or entry.get("vaerdi") or "").strip()
            if entry.get("kriterium"):
                criteria[value] = str(entry["kriterium"]).strip()
        else:
            value = str(entry).strip()
        if not value or value in values:
            problems.append(Problem(f"{where}: tom eller gentaget værdi '{value}'",
                                    file=source, field="værdier"))
        values.append(value)
    if kind in (VariableKind.NOMINAL, VariableKind.ORDINAL) and len(values) < 2:
        problems.append(Problem(f"{where}: en {KIND_LABELS[kind]} variabel skal have mindst "
                                "to 'værdier'", file=source, field="værdier"))
    if kind not in (None, VariableKind.NOMINAL, VariableKind.ORDINAL) and values:
        problems.append(Problem(f"{where}: kun nominale og ordinale variable har 'værdier'",
                                file=source, field="værdier"))
    if problems or kind is None:
        return None, problems
    return Variable(name=name, label=label, kind=kind, values=tuple(values), criteria=criteria,
                    description=str(item.get("beskrivelse") or "").strip()), problems

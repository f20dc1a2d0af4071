"""Re-coding (re-kodning): a blind second coding of a sample, agreement and resolutions.

A round draws whole teams and/or random cases (seeded), is exported as a blind sheet
(case ids and criteria only), and the second coder's sheet is read back. The first
coding is each case's confirmed value; disagreements are listed and settled with a
reason, and the settled value becomes the case's confirmed value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from effektspor.analysis.agreement import AgreementReport, agreement_report
from effektspor.classification.sampling import SampleCase, draw_sample
from effektspor.classification.sheets import read_value_table, write_blind_sheet
from effektspor.domain.errors import EffektsporError, Problem, ValidationError
from effektspor.domain.variables import VariableKind
from effektspor.services.classification import (
    case_ids,
    current_value,
    ensure_variables,
    to_variable,
    write_confirmed_value,
)
from effektspor.services.coding import current_codebook
from effektspor.services.events import log_event
from effektspor.services.project import ProjectContext
from effektspor.store import tables as t
from effektspor.store.tables_analysis import (
    CaseVariable,
    RecodingResolution,
    RecodingRound,
    RecodingValue,
)
from effektspor.store.tables_coding import Coding


@dataclass(frozen=True, slots=True)
class RoundInfo:
    """A re-coding round as the user sees it."""

    id: int
    coder: str
    seed: int
    teams: list[str]
    n_random: int
    variables: list[str]
    case_ids: list[str]
    created_by: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CodingPair:
    """The first and second coding of one case's variable (None where missing)."""

    case_external_id: str
    variable: str
    first_value: str | None
    first_coder: str | None
    second_value: str | None
    second_coder: str | None
    final_value: str | None = None

    @property
    def disagree(self) -> bool:
        """True when both coders gave a value and the values differ."""
        return (self.first_value is not None and self.second_value is not None
                and self.first_value != self.second_value)


def _info(row: RecodingRound) -> RoundInfo:
    return RoundInfo(row.id, row.coder, row.seed, list(row.teams), row.n_random,
                     list(row.variables), list(row.case_ids), row.created_by, row.created_at)


def draw_recoding_sample(project: ProjectContext, *, coder: str, seed: int,
                         teams: tuple[str, ...] | list[str] = (), n_random: int = 0,
                         variables: list[str] | None = None, actor: str) -> RoundInfo:
    """Create a re-coding round for ``coder``: all cases of ``teams`` + ``n_random`` at random.

    ``variables`` defaults to the three standard classifications. The same seed and cases
    give the same sample.
    """
    if not coder.strip():
        raise EffektsporError("Angiv hvem der skal rekode (--koder NAVN).")
    with project.transaction() as session:
        rows = ensure_variables(session, project.project_id, actor=actor)
        names = variables or ["maalopnaaelse", "problemstilling", "problemgrad"]
        unknown = [n for n in names if n not in rows]
        if unknown:
            raise EffektsporError(f"Ukendte variable: {', '.join(unknown)}. Kendte: "
                                  f"{', '.join(rows)}.")
        cases = case_ids(session, project.project_id).values()
        sample = draw_sample([SampleCase(c.external_id, c.team) for c in cases],
                             teams=list(teams), n_random=n_random, seed=seed)
        row = RecodingRound(project_id=project.project_id, coder=coder.strip(), blind=True,
                            seed=seed, teams=list(teams), n_random=n_random, variables=names,
                            case_ids=sample, created_by=actor)
        session.add(row)
        session.flush()
        log_event(session, actor=actor, action="rekodning_udtrukket",
                  project_id=project.project_id, object_type="rekodning", object_id=row.id,
                  details={"koder": row.coder, "frø": seed, "teams": list(teams),
                           "tilfældige": n_random, "sager": sample, "variable": names})
        return _info(row)


def recoding_round(session: Session, project: ProjectContext, round_id: int) -> RecodingRound:
    """The project's re-coding round ``round_id`` (Danish error if it is not there)."""
    row = session.get(RecodingRound, round_id)
    if row is None or row.project_id != project.project_id:
        raise EffektsporError(f"Rekodningsrunde {round_id} findes ikke i projektet.")
    return row


def list_rounds(project: ProjectContext) -> list[RoundInfo]:
    """All re-coding rounds of the project, oldest first."""
    with project.transaction() as session:
        return [_info(r) for r in session.scalars(select(RecodingRound).where(
            RecodingRound.project_id == project.project_id).order_by(RecodingRound.id))]


def export_blind_sheet(project: ProjectContext, round_id: int, path: Path, *,
                       actor: str) -> Path:
    """Write the round's blind sheet (XLSX or CSV): case ids, criteria, empty value columns."""
    with project.transaction() as session:
        row = recoding_round(session, project, round_id)
        variables = ensure_variables(session, project.project_id, actor=actor)
        chosen = [to_variable(variables[name]) for name in row.variables]
        title = f"Rekodning, runde {row.id} – koder: {row.coder}"
        written = write_blind_sheet(Path(path), row.case_ids, chosen, title=title)
        log_event(session, actor=actor, action="rekodning_eksporteret",
                  project_id=project.project_id, object_type="rekodning", object_id=row.id,
                  details={"fil": Path(path).name, "sager": len(row.case_ids)})
    return written


def import_recoding(project: ProjectContext, round_id: int, path: Path, *,
                    actor: str) -> int:
    """Read the second coder's sheet back; returns the number of values stored.

    Only cases of the round's sample and the round's variables are accepted. A value
    whose first coding was made by the round's own coder is refused (not a re-coding).
    A sheet read again supersedes the round's earlier values. Nothing is stored on error.
    """
    path = Path(path)
    with project.transaction() as session:
        row = recoding_round(session, project, round_id)
        variables = ensure_variables(session, project.project_id, actor=actor)
        chosen = {name: variables[name] for name in row.variables}
        cases = case_ids(session, project.project_id)
        values = read_value_table(path, [to_variable(v) for v in chosen.values()],
                                  known_cases=row.case_ids,
                                  unknown_case_message="sagen er ikke med i stikprøven")
        problems = []
        for value in values:
            first = current_value(session, cases[value.case_external_id].id,
                                  chosen[value.variable].id)
            if first is not None and first.coder == row.coder:
                problems.append(Problem(
                    f"sag '{value.case_external_id}' er første gang kodet af {row.coder} selv; "
                    "en rekodning skal laves af en anden koder", file=value.file,
                    line=value.line, field=value.variable))
        if problems:
            raise ValidationError(problems)
        now = datetime.now(UTC)
        for old in session.scalars(select(RecodingValue).where(
                RecodingValue.round_id == row.id, RecodingValue.superseded_at.is_(None))):
            old.superseded_at = now
        for value in values:
            session.add(RecodingValue(round_id=row.id, case_id=cases[value.case_external_id].id,
                                      variable_id=chosen[value.variable].id, value=value.value,
                                      coder=row.coder, source_file=value.file,
                                      source_line=value.line))
        log_event(session, actor=actor, action="rekodning_indlaest",
                  project_id=project.project_id, object_type="rekodning", object_id=row.id,
                  details={"fil": path.name, "værdier": len(values), "koder": row.coder})
    return len(values)


def coding_pairs(project: ProjectContext, round_id: int) -> dict[str, list[CodingPair]]:
    """Per variable, the first and second coding of every sample case (in sample order).

    The first coding is the case's confirmed value other than one set by a resolution of
    this round (so settling a disagreement does not change the measured agreement).
    """
    with project.transaction() as session:
        row = recoding_round(session, project, round_id)
        return _pairs(session, project, row)


def _pairs(session: Session, project: ProjectContext,
           row: RecodingRound) -> dict[str, list[CodingPair]]:
    variables = ensure_variables(session, project.project_id, actor="system")
    cases = case_ids(session, project.project_id)
    second = {(v.case_id, v.variable_id): v for v in session.scalars(select(RecodingValue).where(
        RecodingValue.round_id == row.id, RecodingValue.superseded_at.is_(None)))}
    resolutions = {(r.case_id, r.variable_id): r for r in session.scalars(
        select(RecodingResolution).where(RecodingResolution.round_id == row.id)
        .order_by(RecodingResolution.id))}
    result: dict[str, list[CodingPair]] = {}
    for name in row.variables:
        variable: CaseVariable = variables[name]
        pairs = []
        for external_id in row.case_ids:
            case = cases.get(external_id)
            if case is None:
                continue
            key = (case.id, variable.id)
            resolution = resolutions.get(key)
            first = current_value(session, case.id, variable.id)
            first_value, first_coder = (first.value, first.coder) if first else (None, None)
            if resolution is not None:
                first_value, first_coder = resolution.first_value, resolution.first_coder
            recoded = second.get(key)
            pairs.append(CodingPair(external_id, name, first_value, first_coder,
                                    recoded.value if recoded else None,
                                    recoded.coder if recoded else None,
                                    resolution.final_value if resolution else None))
        result[name] = pairs
    return result


def disagreements(project: ProjectContext, round_id: int, *,
                  open_only: bool = False) -> list[CodingPair]:
    """The pairs where the two coders disagree (``open_only``: not yet settled)."""
    pairs = coding_pairs(project, round_id)
    found = [p for name in pairs for p in pairs[name] if p.disagree]
    return [p for p in found if p.final_value is None] if open_only else found


def resolve_disagreement(project: ProjectContext, round_id: int, *, case_external_id: str,
                         variable: str, final_value: str, reason: str,
                         actor: str) -> CodingPair:
    """Record how a disagreement was settled; the final value becomes the confirmed value."""
    if not reason.strip():
        raise EffektsporError("Skriv en begrundelse for afgørelsen (--begrundelse).")
    with project.transaction() as session:
        row = recoding_round(session, project, round_id)
        pairs = _pairs(session, project, row)
        if variable not in pairs:
            raise EffektsporError(f"Variablen '{variable}' er ikke med i runde {round_id}.")
        pair = next((p for p in pairs[variable] if p.case_external_id == case_external_id),
                    None)
        if pair is None:
            raise EffektsporError(f"Sagen '{case_external_id}' er ikke med i runde {round_id}.")
        if not pair.disagree:
            raise EffektsporError(f"Der er ingen uenighed om '{variable}' i sag "
                                  f"'{case_external_id}' at afgøre.")
        variables = ensure_variables(session, project.project_id, actor=actor)
        variable_row = variables[variable]
        try:
            canonical = to_variable(variable_row).validate(final_value)
        except ValueError as error:
            raise EffektsporError(f"Ugyldig værdi: {error}.") from None
        case = case_ids(session, project.project_id)[case_external_id]
        change = write_confirmed_value(session, project_id=project.project_id, case=case,
                                       variable=variable_row, value=canonical, coder=actor,
                                       actor=actor, origin="afgørelse", explanation=reason)
        confirmed = current_value(session, case.id, variable_row.id)
        session.add(RecodingResolution(
            round_id=row.id, case_id=case.id, variable_id=variable_row.id,
            first_value=pair.first_value, first_coder=pair.first_coder,
            second_value=pair.second_value,
            final_value=canonical, reason=reason.strip(), resolved_by=actor,
            classification_value_id=confirmed.id if confirmed else None))
        log_event(session, actor=actor, action="uenighed_afgjort",
                  project_id=project.project_id, object_type="sag", object_id=case_external_id,
                  details={"runde": row.id, "variabel": variable, "første": pair.first_value,
                           "anden": pair.second_value, "endelig": canonical,
                           "ændret": change.changed, "begrundelse": reason.strip()})
    return CodingPair(case_external_id, variable, pair.first_value, pair.first_coder,
                      pair.second_value, pair.second_coder, canonical)


def agreement(project: ProjectContext, round_id: int, *, bootstrap: int = 2000,
              seed: int = 20190101) -> list[AgreementReport]:
    """Agreement per variable of the round between the first and the second coder.

    Percent agreement, Cohen's kappa and Krippendorff's alpha for every variable; weighted
    kappa and ordinal alpha for ordinal ones (problemgrad, målopnåelse), each with a
    bootstrap 95 % interval. Cases missing either coding are listed, not counted.
    """
    with project.transaction() as session:
        row = recoding_round(session, project, round_id)
        pairs = _pairs(session, project, row)
        variables = ensure_variables(session, project.project_id, actor="system")
    reports = []
    for name, items in pairs.items():
        variable = to_variable(variables[name])
        categorical = variable.is_categorical
        reports.append(agreement_report(
            [p.case_external_id for p in items], [p.first_value or "" for p in items],
            [p.second_value or "" for p in items], variable=name,
            categories=list(variable.values) if categorical else None,
            ordinal=(variable.kind is VariableKind.ORDINAL) if categorical else None,
            bootstrap=bootstrap, seed=seed))
    return reports


def code_presence_agreement(project: ProjectContext, round_id: int, *, first_coder: str,
                            bootstrap: int = 1000,
                            seed: int = 20190101) -> list[AgreementReport]:
    """Agreement per code on "does the case have this code?" between two coders' codings.

    The cases are the round's sample; the second coder is the round's coder and
    ``first_coder`` the other (a person, or "maskine" for the auto-coder). A coding of a
    child code counts for its parent codes too. A case where one of the coders has no
    codings at all is listed as missing (that coder may not have read it), not as "nej".
    """
    with project.transaction() as session:
        row = recoding_round(session, project, round_id)
        coders = (first_coder.strip(), row.coder)
        if coders[0] == coders[1]:
            raise EffektsporError("Første koder og rekodningsrundens koder er den samme person.")
        query = (select(t.Case.external_id, Coding.coder, Coding.code_key)
                 .join(t.Note, t.Note.id == Coding.note_id)
                 .join(t.Case, t.Case.id == t.Note.case_id)
                 .where(Coding.project_id == project.project_id, Coding.coder.in_(coders),
                        t.Case.external_id.in_(row.case_ids)))
        found = list(session.execute(query))
        sample = list(row.case_ids)
    codebook = current_codebook(project)
    presence: dict[tuple[str, str], set[str]] = {}
    for case_id, coder, code in found:
        presence.setdefault((coder, case_id), set()).update([code, *codebook.ancestors(code)])
    if not any(coder == coders[0] for coder, _ in presence):
        raise EffektsporError(f"{coders[0]} har ingen kodninger i rundens sager.")
    if not any(coder == coders[1] for coder, _ in presence):
        raise EffektsporError(f"{coders[1]} har ingen kodninger i rundens sager endnu.")

    def values(coder: str, code: str) -> list[str]:
        return ["" if (coder, case) not in presence
                else ("ja" if code in presence[(coder, case)] else "nej") for case in sample]

    reports = []
    for code in codebook.codes:
        reports.append(agreement_report(sample, values(coders[0], code.id),
                                        values(coders[1], code.id), variable=code.id,
                                        categories=["ja", "nej"], ordinal=False,
                                        bootstrap=bootstrap, seed=seed))
    return reports

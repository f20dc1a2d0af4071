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
from effektspor.domain.errors import EffektsporError, Problem, ValidationError
from effektspor.domain.variables import Variable, VariableKind
from effektspor.services.classification import (
    case_ids,
    current_value,
    current_values,
    ensure_variables,
    to_variable,
    write_confirmed_value,
)
from effektspor.services.coding.shared import stored_codebook
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


STANDARD_RECODING_VARIABLES = ("maalopnaaelse", "problemstilling", "problemgrad")


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
        return _info(create_round(session, project.project_id, coder=coder, seed=seed,
                                  teams=teams, n_random=n_random, variables=variables,
                                  actor=actor))


def create_round(session: Session, project_id: int, *, coder: str, seed: int,
                 teams: tuple[str, ...] | list[str] = (), n_random: int = 0,
                 variables: list[str] | None = None, actor: str,
                 excluded_cases: frozenset[str] = frozenset()) -> RecodingRound:
    """Draw the sample and store the round in the caller's transaction (event logged).

    ``excluded_cases`` (external ids) never enter the sample, e.g. the cases the second
    coder classified first. Unknown variables, teams or too many random cases give a
    Danish error.
    """
    rows = ensure_variables(session, project_id, actor=actor)
    names = list(variables or STANDARD_RECODING_VARIABLES)
    unknown = [n for n in names if n not in rows]
    if unknown:
        raise EffektsporError(f"Ukendte variable: {', '.join(unknown)}. Kendte: "
                              f"{', '.join(rows)}.")
    cases = [c for c in case_ids(session, project_id).values()
             if c.external_id not in excluded_cases]
    sample = draw_sample([SampleCase(c.external_id, c.team) for c in cases],
                         teams=list(teams), n_random=n_random, seed=seed)
    row = RecodingRound(project_id=project_id, coder=coder.strip(), blind=True,
                        seed=seed, teams=list(teams), n_random=n_random, variables=names,
                        case_ids=sample, created_by=actor)
    session.add(row)
    session.flush()
    log_event(session, actor=actor, action="rekodning_udtrukket",
              project_id=project_id, object_type="rekodning", object_id=row.id,
              details={"koder": row.coder, "frø": seed, "teams": list(teams),
                       "tilfældige": n_random, "sager": sample, "variable": names,
                       **({"udeladt": sorted(excluded_cases)} if excluded_cases else {})})
    return row


def recoding_round(session: Session, project_id: int, round_id: int, *,
                   for_update: bool = False) -> RecodingRound:
    """The project's re-coding round ``round_id`` (Danish error if it is not there).

    ``for_update`` locks the row until the transaction ends (PostgreSQL), so two writes
    to the same round are made one after the other.
    """
    row = session.get(RecodingRound, round_id, with_for_update=for_update)
    if row is None or row.project_id != project_id:
        raise EffektsporError(f"Rekodningsrunde {round_id} findes ikke i projektet.")
    return row


def round_info(row: RecodingRound) -> RoundInfo:
    """The user-facing description of a stored round."""
    return _info(row)


def rounds_of_project(session: Session, project_id: int) -> list[RecodingRound]:
    """The project's rounds, oldest first."""
    return list(session.scalars(select(RecodingRound).where(
        RecodingRound.project_id == project_id).order_by(RecodingRound.id)))


def list_rounds(project: ProjectContext) -> list[RoundInfo]:
    """All re-coding rounds of the project, oldest first."""
    with project.transaction() as session:
        return [_info(r) for r in rounds_of_project(session, project.project_id)]


def export_blind_sheet(project: ProjectContext, round_id: int, path: Path, *,
                       actor: str) -> Path:
    """Write the round's blind sheet (XLSX or CSV): case ids, criteria, empty value columns."""
    from effektspor.classification.sheets import write_blind_sheet  # openpyxl: on use only

    with project.transaction() as session:
        row = recoding_round(session, project.project_id, round_id)
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
    from effektspor.classification.sheets import read_value_table  # openpyxl: on use only

    path = Path(path)
    with project.transaction() as session:
        row = recoding_round(session, project.project_id, round_id)
        variables = ensure_variables(session, project.project_id, actor=actor)
        chosen = {name: variables[name] for name in row.variables}
        cases = case_ids(session, project.project_id)
        values = read_value_table(path, [to_variable(v) for v in chosen.values()],
                                  known_cases=row.case_ids,
                                  unknown_case_message="sagen er ikke med i stikprøven")
        own = own_first_codings(session, row, [
            (cases[v.case_external_id], chosen[v.variable]) for v in values])
        problems = [Problem(f"sag '{v.case_external_id}' er første gang kodet af {row.coder} "
                            "selv; en rekodning skal laves af en anden koder", file=v.file,
                            line=v.line, field=v.variable)
                    for v in values if (v.case_external_id, v.variable) in own]
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


def own_first_codings(session: Session, row: RecodingRound,
                      items: list[tuple[t.Case, CaseVariable]]) -> set[tuple[str, str]]:
    """The (case external id, variable name) of ``items`` first coded by the round's coder.

    Such a value cannot be re-coded by the same person: it would not be a second coding.
    """
    found = set()
    for case, variable in items:
        first = current_value(session, case.id, variable.id)
        if first is not None and first.coder == row.coder:
            found.add((case.external_id, variable.name))
    return found


def coding_pairs(project: ProjectContext, round_id: int) -> dict[str, list[CodingPair]]:
    """Per variable, the first and second coding of every sample case (in sample order).

    The first coding is the case's confirmed value other than one set by a resolution of
    this round (so settling a disagreement does not change the measured agreement).
    """
    with project.transaction() as session:
        row = recoding_round(session, project.project_id, round_id)
        return round_pairs(session, project.project_id, row)


def round_pairs(session: Session, project_id: int,
                row: RecodingRound) -> dict[str, list[CodingPair]]:
    """:func:`coding_pairs` of a round already read in the caller's session."""
    variables = ensure_variables(session, project_id, actor="system")
    cases = case_ids(session, project_id)
    confirmed = current_values(session, project_id)
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
            first = confirmed.get(key)
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
        row = recoding_round(session, project.project_id, round_id)
        return settle_disagreement(session, project.project_id, row,
                                   case_external_id=case_external_id, variable=variable,
                                   final_value=final_value, reason=reason, actor=actor)


def settle_disagreement(session: Session, project_id: int, row: RecodingRound, *,
                        case_external_id: str, variable: str, final_value: str, reason: str,
                        actor: str) -> CodingPair:
    """:func:`resolve_disagreement` in the caller's transaction (event logged)."""
    if not reason.strip():
        raise EffektsporError("Skriv en begrundelse for afgørelsen.")
    pairs = round_pairs(session, project_id, row)
    if variable not in pairs:
        raise EffektsporError(f"Variablen '{variable}' er ikke med i runde {row.id}.")
    pair = next((p for p in pairs[variable] if p.case_external_id == case_external_id), None)
    if pair is None:
        raise EffektsporError(f"Sagen '{case_external_id}' er ikke med i runde {row.id}.")
    if not pair.disagree:
        raise EffektsporError(f"Der er ingen uenighed om '{variable}' i sag "
                              f"'{case_external_id}' at afgøre.")
    variable_row = ensure_variables(session, project_id, actor=actor)[variable]
    try:
        canonical = to_variable(variable_row).validate(final_value)
    except ValueError as error:
        raise EffektsporError(f"Ugyldig værdi: {error}.") from None
    case = case_ids(session, project_id)[case_external_id]
    change = write_confirmed_value(session, project_id=project_id, case=case,
                                   variable=variable_row, value=canonical, coder=actor,
                                   actor=actor, origin="afgørelse", explanation=reason)
    confirmed = current_value(session, case.id, variable_row.id)
    session.add(RecodingResolution(
        round_id=row.id, case_id=case.id, variable_id=variable_row.id,
        first_value=pair.first_value, first_coder=pair.first_coder,
        second_value=pair.second_value,
        final_value=canonical, reason=reason.strip(), resolved_by=actor,
        classification_value_id=confirmed.id if confirmed else None))
    log_event(session, actor=actor, action="uenighed_afgjort", project_id=project_id,
              object_type="sag", object_id=case_external_id,
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
        row = recoding_round(session, project.project_id, round_id)
        pairs = round_pairs(session, project.project_id, row)
        variables = [to_variable(v) for v in ensure_variables(
            session, project.project_id, actor="system").values()]
    return agreement_of_pairs(pairs, variables, bootstrap=bootstrap, seed=seed)


def agreement_of_pairs(pairs: dict[str, list[CodingPair]], variables: list[Variable], *,
                       bootstrap: int = 2000, seed: int = 20190101) -> list[AgreementReport]:
    """The agreement reports of :func:`agreement` from pairs already read (no database)."""
    by_name = {v.name: v for v in variables}
    reports = []
    for name, items in pairs.items():
        variable = by_name[name]
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
        row = recoding_round(session, project.project_id, round_id)
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
        codebook = stored_codebook(session, project.project_id)
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

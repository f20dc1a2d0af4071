"""The yearly effect report (årsrapport): the source report's sections from a project's data.

Sections: documentation basis, effect assessments (Tabel 2), problem category and severity
(Tabel 3 and 10), alliance dimensions (Tabel 4, multi-response), reflected adjustment
(Tabel 5, hypothesis table), comparison with last year, implications. The internal
edition links every count to its cases and their quotes; the pixi edition suppresses
small cells and has no case ids or quotes, so it needs VIEW_REPORTS only; the internal
edition holds case text and needs READ_CASE_TEXT too (checked here).

The CLI's ``årsrapport``, the web's download and the demo call :func:`write_yearly_report`
or :func:`build_yearly_report` in their unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from effektspor.analysis.caseframe import CaseTable, read_case_csv, table_from_records
from effektspor.analysis.comparison import compare_durations, compare_proportions
from effektspor.analysis.crosstab import crosstab, crosstab_from_values, multi_response_crosstab
from effektspor.analysis.hypothesis import hypothesis_table
from effektspor.analysis.inference import wilson_interval
from effektspor.classification.derived import STANDARD_DERIVED, derive_values
from effektspor.domain import events
from effektspor.domain.errors import EffektsporError
from effektspor.domain.formatting import format_number, format_percent
from effektspor.domain.variables import OUTCOME, PROBLEM_CATEGORY, SEVERITY
from effektspor.report import (
    FORMATS,
    Paragraph,
    ReportDocument,
    Section,
    Table,
    write_report,
)
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.classification import (
    CASE_COLUMN,
    ENROLLMENT_COLUMN,
    TEAM_COLUMN,
    case_value_rows,
    ensure_variables,
)
from effektspor.services.coding.shared import case_code_presence
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.services.reports.yearly_coding import coding_section
from effektspor.services.reports.yearly_tables import (
    Edition,
    crosstab_table,
    hypothesis_report_table,
)
from effektspor.store import tables as t
from effektspor.store.tables_analysis import CONFIRMED, ClassificationValue

#: ``code_presence`` default: read which codes each case has from the project's codings.
FROM_CODINGS = "kodningerne"

ALLIANCE = ("negativ_alliance", "positiv_alliance", "professionel_tvivl", "relationsarbejde")
LABELS = {d.name: d.label for d in STANDARD_DERIVED}
REFLECTED = "reflekteret_indsatsjustering"
REACHED = "I mål"


@dataclass(frozen=True)
class YearFigures:
    """Key figures of one year: cases, assessed cases, cases in goal, enrollment days."""

    label: str
    n_cases: int
    n_assessed: int
    n_reached: int
    durations: list[float]


def year_figures(cases: CaseTable, label: str) -> YearFigures:
    """Key figures of a case table (column maalopnaaelse; indskrivningsdage if present)."""
    outcomes = cases.column(OUTCOME.name)
    durations: list[float] = []
    if ENROLLMENT_COLUMN in cases.values:
        for raw in cases.column(ENROLLMENT_COLUMN):
            try:
                durations.append(float(raw.replace(",", ".")))
            except ValueError:
                continue
    return YearFigures(label, len(cases), sum(1 for o in outcomes if o),
                       sum(1 for o in outcomes if o == REACHED), durations)


def _project_cases(session: UnitOfWork, project_id: int, name: str,
                   code_presence: dict[str, set[str]] | None) -> CaseTable:
    rows = ensure_variables(session, project_id, actor="system")
    cases, records = case_value_rows(session, project_id, [
        rows[variable.name] for variable in (OUTCOME, PROBLEM_CATEGORY, SEVERITY)])
    for record, case in zip(records, cases, strict=True):
        record[ENROLLMENT_COLUMN] = ((case.end_date - case.start_date).days
                                     if case.start_date and case.end_date else None)
    if code_presence is not None:
        derived = derive_values(code_presence, STANDARD_DERIVED,
                                case_ids=[r[CASE_COLUMN] for r in records])
        for record in records:
            record.update(derived[record[CASE_COLUMN]])
    return table_from_records(records, source=name, id_column=CASE_COLUMN)


def _project_name(session: UnitOfWork, project_id: int) -> str:
    project = session.get(t.Project, project_id)
    if project is None:
        raise EffektsporError(f"Projekt {project_id} findes ikke.")
    return project.name


def previous_year_figures(*, session: UnitOfWork, actor: Actor, project_id: int,
                          label: str | None = None) -> YearFigures:
    """Last year's key figures from last year's project (for the comparison)."""
    require(actor, Action.VIEW_REPORTS)
    name = _project_name(session, project_id)
    return year_figures(_project_cases(session, project_id, name, None), label or name)


def _previous_figures(previous: YearFigures | Path, label: str | None) -> YearFigures:
    if isinstance(previous, YearFigures):
        return previous
    path = Path(previous)
    cases = read_case_csv(path)
    if OUTCOME.name not in cases.values:
        raise EffektsporError(f"{path.name}: kolonnen '{OUTCOME.name}' mangler, så sidste års "
                              "tal kan ikke sammenlignes.")
    return year_figures(cases, label or path.stem)


def project_code_presence(session: UnitOfWork, project_id: int) -> dict[str, set[str]] | None:
    """The code presence per case from the coding services, or None when nothing is coded
    (a building block; the use cases below check the actor's role)."""
    presence = case_code_presence(session, project_id)
    return presence if any(presence.values()) else None


def _assessed(cases: CaseTable) -> CaseTable:
    keep = [i for i, value in enumerate(cases.column(OUTCOME.name)) if value]
    return CaseTable(source=cases.source, columns=cases.columns,
                     case_ids=[cases.case_ids[i] for i in keep],
                     values={k: [v[i] for i in keep] for k, v in cases.values.items()},
                     id_column=cases.id_column)


def build_yearly_report(*, session: UnitOfWork, actor: Actor, project_id: int,
                        code_presence: dict[str, set[str]] | str | None = FROM_CODINGS,
                        previous: YearFigures | Path | None = None,
                        previous_label: str | None = None, pixi: bool = False,
                        threshold: int = 3, title: str | None = None,
                        label: str | None = None) -> ReportDocument:
    """Build the report model of the yearly effect report from the project's confirmed values.

    ``code_presence`` (case id → code ids; by default read from the project's codings,
    None when nothing is coded) enables Tabel 4 and 5; ``previous`` (last year's figures,
    see :func:`previous_year_figures`, or a CSV of its cases) enables the comparison;
    ``label`` names this year in it (default: the project's name).
    """
    require(actor, Action.VIEW_REPORTS)
    if not pixi:
        require(actor, Action.READ_CASE_TEXT)
    if threshold < 1:
        raise EffektsporError("Grænsen for små celler skal være mindst 1.")
    if code_presence == FROM_CODINGS:
        code_presence = project_code_presence(session, project_id)
    name = _project_name(session, project_id)
    edition = Edition(pixi=pixi, threshold=threshold)
    cases = _project_cases(session, project_id, name, code_presence)
    assessed = _assessed(cases)
    figures = year_figures(cases, label or name)
    doc = ReportDocument(
        title=title or f"Effektanalyse: {name}",
        subtitle=("Pixi-udgave til deling uden for kommunen" if pixi
                  else "Intern udgave med sager og citater bag tallene"),
        metadata={"Projekt": name, "Sager": str(figures.n_cases),
                  "Udgave": (f"pixi (celler under {threshold} skjult, ingen citater)" if pixi
                             else "intern (må ikke deles uden for kommunen)")})
    findings: list[str] = []
    doc.sections.append(_documentation_section(cases, figures, edition, findings))
    if not assessed.case_ids:
        doc.sections.append(Section("Effektvurderinger", [Paragraph(
            "Ingen sager har en bekræftet målopnåelse endnu, så der er ingen effekttabeller. "
            "Klassificér sagerne ('effektspor foreslå' og 'effektspor bekræft') først.")]))
    else:
        doc.sections.extend(_outcome_sections(assessed, edition, findings))
        doc.sections.append(_alliance_section(assessed, code_presence, edition, findings))
    if code_presence is not None:
        section = coding_section(session, project_id, pixi=pixi, threshold=threshold)
        if section is not None:
            doc.sections.append(section)
    if previous is not None:
        doc.sections.append(_comparison_section(_previous_figures(previous, previous_label),
                                                figures, findings))
    doc.sections.append(_implications_section(findings, figures, pixi))
    if not pixi and edition.case_lists:
        doc.sections.append(_traceability_section(session, project_id, edition))
    doc.number_blocks()
    return doc


def _documentation_section(cases: CaseTable, figures: YearFigures, edition: Edition,
                           findings: list[str]) -> Section:
    low, high = wilson_interval(figures.n_assessed, figures.n_cases) if figures.n_cases else (0, 0)
    text = (f"Analysen omfatter {figures.n_cases} sager. {figures.n_assessed} "
            f"({format_percent(figures.n_assessed, figures.n_cases)}) har en brugbar, bekræftet "
            f"effektvurdering (95 %-konfidensinterval {format_number(100 * low, 0)} til "
            f"{format_number(100 * high, 0)} %). Kun disse sager indgår i effekttabellerne; "
            "andelen er i sig selv et resultat om dokumentationspraksis.")
    findings.append(text.split(" Kun")[0])
    status = ["Med effektvurdering" if v else "Uden effektvurdering"
              for v in cases.column(OUTCOME.name)]
    teams = [t or "(uden team)" for t in cases.column(TEAM_COLUMN)]
    table = crosstab_from_values(status, teams, cases.case_ids,
                                 row_order=["Med effektvurdering", "Uden effektvurdering"],
                                 row_variable="effektvurdering", col_variable="team",
                                 with_test=False)
    return Section("Dokumentationsgrundlag", [
        Paragraph(text),
        crosstab_table(table, title="Sager med og uden effektvurdering pr. indsatsteam",
                       edition=edition, row_header="Effektvurdering")])


def _outcome_sections(assessed: CaseTable, edition: Edition,
                      findings: list[str]) -> list[Section]:
    outcome = crosstab(assessed, OUTCOME.name, row_order=OUTCOME.values, with_test=False)
    reached = outcome.counts[0][0]
    findings.append(f"{reached} af {outcome.total} vurderede sager ({format_percent(reached, outcome.total)})"
                    " er i mål.")
    effect = Section("Effektvurderinger", [
        Paragraph("Sagerne er klassificeret efter effektvurderingen i udskrivningsrapporten: "
                  "i mål (alle problemstillinger), på vej (nogle) eller ikke i mål (ingen)."),
        crosstab_table(outcome, title="Effektvurderinger i udskrivningsrapporter",
                       edition=edition, row_header="Effektvurdering")])
    blocks = []
    for variable, title in ((SEVERITY, "Problemgrad fordelt på målopnåelse"),
                            (PROBLEM_CATEGORY, "Problemstilling fordelt på målopnåelse")):
        table = crosstab(assessed, variable.name, OUTCOME.name, row_order=variable.values,
                         col_order=OUTCOME.values)
        blocks.append(crosstab_table(table, title=title, edition=edition,
                                     row_header=variable.label))
        if table.test is not None and table.test.wording:
            statement = f"{variable.label} og målopnåelse: {table.test.wording}"
            blocks.append(Paragraph(statement))
            findings.append(statement)
        if not edition.pixi:  # shares of single rows could reveal suppressed cells
            findings.extend(_extremes(table, variable.label, edition.threshold))
    return [effect, Section("Problemstilling og problemgrad", blocks)]


def _extremes(table, label: str, threshold: int) -> list[str]:
    """Which row has the highest and lowest share in goal (rows with enough cases only)."""
    shares = [(table.counts[i][0] / table.row_totals[i], row) for i, row in enumerate(table.rows)
              if table.row_totals[i] >= threshold]
    if len(shares) < 2:
        return []
    high, low = max(shares), min(shares)
    return [f"{label}: størst andel i mål ved {high[1].lower()} ({format_number(100 * high[0], 0)}"
            f" %), mindst ved {low[1].lower()} ({format_number(100 * low[0], 0)} %) – grupper "
            f"med færre end {threshold} sager er ikke sammenlignet."]


def _alliance_section(assessed: CaseTable, code_presence, edition: Edition,
                      findings: list[str]) -> Section:
    title = "Alliancedimensioner og reflekteret indsatsjustering"
    if code_presence is None:
        return Section(title, [Paragraph(
            "Dagbogsnotaterne er ikke kodet endnu, så alliancedimensionerne (Tabel 4) og "
            "hypotesetabellen om reflekteret indsatsjustering (Tabel 5) kan ikke laves. Kør "
            "autokodningen og gennemse kodningerne først.")])
    table = multi_response_crosstab(assessed, list(ALLIANCE), OUTCOME.name,
                                    col_order=OUTCOME.values)
    hypothesis = hypothesis_table(assessed, condition=REFLECTED, outcome=OUTCOME.name,
                                  outcome_positive=[REACHED], moderator=SEVERITY.name)
    readings = hypothesis.readings[-1:] if edition.pixi else hypothesis.readings[1:]
    findings.extend(r.replace(REFLECTED, "reflekteret indsatsjustering")
                    .replace(OUTCOME.name, "målopnåelse") for r in readings)
    return Section(title, [
        Paragraph("Andelen af sagerne i hver målopnåelsesgruppe med mindst én kodning af hver "
                  "dimension i dagbogsnotaterne (en sag kan tælle i flere rækker)."),
        crosstab_table(table, title="Alliancedimensioner fordelt på målopnåelse",
                       edition=edition, row_header="Dimension", labels=LABELS),
        Paragraph("Reflekteret indsatsjustering er professionel tvivl, der efterfølges af en "
                  "indsatsjustering. Tabellen placerer sagerne efter målopnåelse (i mål eller "
                  "ej) og reflekteret indsatsjustering; problemgraden kan forklare sagerne "
                  "uden for diagonalen (B og C). Det er konfigurationel analyse på få sager."),
        hypothesis_report_table(hypothesis, title="Reflekteret indsatsjustering og målopnåelse",
                                edition=edition, condition_label="Reflekteret indsatsjustering",
                                outcome_label="Målopnåelse")])


def _comparison_section(before: YearFigures, now: YearFigures,
                        findings: list[str]) -> Section:
    blocks: list = [Paragraph(f"Nøgletal for {now.label} sammenlignet med {before.label}."),
                    _comparison_table(before, now)]
    pairs = [("andelen af sager med effektvurdering", before.n_assessed, before.n_cases,
              now.n_assessed, now.n_cases),
             ("andelen af vurderede sager i mål", before.n_reached, before.n_assessed,
              now.n_reached, now.n_assessed)]
    for label, x1, n1, x2, n2 in pairs:
        if n1 and n2:
            result = compare_proportions(x1, n1, x2, n2, label=label, first_name=before.label,
                                         second_name=now.label)
            blocks.append(Paragraph(result.wording))
            findings.append(result.wording)
    if before.durations and now.durations:
        result = compare_durations(before.durations, now.durations,
                                   label="indskrivningstiden (dage)",
                                   first_name=before.label, second_name=now.label)
        blocks.append(Paragraph(result.wording))
        findings.append(result.wording)
    else:
        blocks.append(Paragraph("Indskrivningstiderne kan ikke sammenlignes: start- og "
                                "slutdatoer mangler for det ene år."))
    return Section("Sammenligning med sidste år", blocks)


def _median_days(durations: list[float]) -> str:
    if not durations:
        return "–"
    ordered = sorted(durations)
    middle = len(ordered) // 2
    value = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return format_number(value, 0)


def _comparison_table(before: YearFigures, now: YearFigures) -> Table:
    rows = [
        ["Sager i analysen", before.n_cases, now.n_cases],
        ["Med brugbar effektvurdering", f"{before.n_assessed} ({format_percent(before.n_assessed, before.n_cases)})",
         f"{now.n_assessed} ({format_percent(now.n_assessed, now.n_cases)})"],
        ["I mål (af de vurderede)", f"{before.n_reached} ({format_percent(before.n_reached, before.n_assessed)})",
         f"{now.n_reached} ({format_percent(now.n_reached, now.n_assessed)})"],
        ["Indskrivningstid, median (dage)", _median_days(before.durations),
         _median_days(now.durations)],
    ]
    return Table(f"Nøgletal {before.label} og {now.label}",
                 [["Nøgletal", before.label, now.label]], rows,
                 note="Celleindhold: antal sager (procent af sagerne i analysen eller af de "
                      "vurderede sager) og median indskrivningstid i dage. Testene står under "
                      "tabellen.")


def _implications_section(findings: list[str], figures: YearFigures, pixi: bool) -> Section:
    blocks = [Paragraph("Hovedresultaterne samlet. Tallene er små: en forskel, der ikke er "
                        "statistisk signifikant, kan skyldes tilfældigheder og bør drøftes "
                        "som et spørgsmål til praksis, ikke som et fund.", emphasis=True)]
    blocks.extend(Paragraph(f"• {finding}") for finding in findings)
    if figures.n_cases and figures.n_assessed / figures.n_cases < 0.5:
        blocks.append(Paragraph("• Under halvdelen af sagerne har en brugbar effektvurdering. "
                                "En fast praksis for effektvurdering i udskrivningsrapporten "
                                "vil gøre næste års analyse mere sikker."))
    if not pixi:
        blocks.append(Paragraph("Sagerne og citaterne bag hvert tal står sidst i rapporten."))
    return Section("Implikationer", blocks)


def _outcome_evidence(session: UnitOfWork, project_id: int) -> dict[str, str]:
    """For each case with a confirmed outcome: where the value comes from (the evidence
    quote of a confirmed suggestion, otherwise who set the value and how), so every
    number of the report can be traced to a person or a passage of text."""
    rows = ensure_variables(session, project_id, actor="system")
    query = (select(t.Case.external_id, ClassificationValue)
             .join(t.Case, t.Case.id == ClassificationValue.case_id)
             .where(ClassificationValue.variable_id == rows[OUTCOME.name].id,
                    ClassificationValue.status == CONFIRMED,
                    ClassificationValue.superseded_at.is_(None)))
    result = {}
    for external_id, value in session.execute(query):
        if value.evidence_quote:
            result[external_id] = (f"«{value.evidence_quote}» ({value.value}, bekræftet af "
                                   f"{value.coder})")
        else:
            result[external_id] = f"{value.value} – sat af {value.coder} ({value.origin})"
    return result


def _traceability_section(session: UnitOfWork, project_id: int, edition: Edition) -> Section:
    evidence = _outcome_evidence(session, project_id)
    blocks: list = [Paragraph("Hvert tal i tabellerne linker hertil: listen over sagerne bag "
                              "tallet. Belægget for hver sags målopnåelse står til sidst.")]
    blocks.extend(edition.case_lists)
    listed = sorted({case_id for case_list in edition.case_lists
                     for case_id in case_list.case_ids if case_id in evidence})
    blocks.append(Paragraph("Belæg for målopnåelsen pr. sag", emphasis=True))
    # One paragraph per case (not per cell): a case stands behind several numbers.
    blocks.extend(Paragraph(f"{case_id}: {evidence[case_id]}") for case_id in listed)
    return Section("Sager og citater bag tallene", blocks)


def write_yearly_report(*, session: UnitOfWork, actor: Actor, project_id: int, folder: Path,
                        formats: tuple[str, ...] = FORMATS, pixi: bool = False,
                        threshold: int = 3,
                        code_presence: dict[str, set[str]] | str | None = FROM_CODINGS,
                        previous: YearFigures | Path | None = None,
                        previous_label: str | None = None,
                        label: str | None = None) -> dict[str, Path]:
    """Build and write the yearly report (``aarsrapport`` or ``aarsrapport-pixi``) into
    ``folder``; logged as "aarsrapport_skrevet". The roles: see :func:`build_yearly_report`."""
    doc = build_yearly_report(session=session, actor=actor, project_id=project_id,
                              code_presence=code_presence, previous=previous,
                              previous_label=previous_label, pixi=pixi, threshold=threshold,
                              label=label)
    basename = "aarsrapport-pixi" if pixi else "aarsrapport"
    written = write_report(doc, Path(folder), basename, formats)
    record_event(session, events.yearly_report_written(
        report=basename, files=[p.name for p in written.values()], pixi=pixi,
        threshold=threshold, tables=len(doc.tables())), actor=actor.name, project_id=project_id)
    return written

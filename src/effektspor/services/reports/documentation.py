"""Documentation analysis of a project ("Trin 3") and its Danish report.

Reads per-case facts from the store, runs ``effektspor.analysis.documentation`` and builds a
report with numbered tables (each with a "Celleindhold" line). The report shows counts
only: never persons, names or case identifiers, so VIEW_REPORTS is enough (checked here).
The CLI's ``rapport``, the web's download and the demo call these use cases.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from sqlalchemy import func, select

from effektspor.analysis.documentation import (
    DEFAULT_GAP_DAYS,
    CaseFacts,
    DocumentationAnalysis,
    NoteFact,
    analyse_documentation,
)
from effektspor.classification.outcome import effect_assessment
from effektspor.domain import events
from effektspor.domain.attention_points import COMMON_2018_2019, NEW_IN_2019, REMOVED_AFTER_2018
from effektspor.domain.errors import EffektsporError
from effektspor.domain.formatting import (
    format_count_percent,
    format_number,
    format_p,
    percent_half_up,
)
from effektspor.domain.vocabulary import DOCUMENT_TYPES, OUTCOMES
from effektspor.report import (
    Figure,
    Paragraph,
    ReportDocument,
    Table,
    count_with_percent,
    parse_formats,
    write_report,
)
from effektspor.report.charts import bar_chart, scatter_chart
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.store import tables as t

REPORT_BASENAME = "dokumentationsanalyse"


def parse_report_formats(text: str) -> tuple[str, ...]:
    """Parse a comma-separated list of report formats (html, docx, xlsx); Danish error."""
    return parse_formats(text)


def load_case_facts(session: UnitOfWork, project_id: int, *,
                    closed_year: int | None = None) -> list[CaseFacts]:
    """Per-case facts of the project (only cases closed in ``closed_year`` if given); a
    building block of the use cases below."""
    query = select(t.Case).where(t.Case.project_id == project_id)
    if closed_year is not None:
        query = query.where(t.Case.closed_year == closed_year)
    cases = {c.id: CaseFacts(c.external_id, c.team, c.start_date, c.end_date, bool(c.closed))
             for c in session.scalars(query.order_by(t.Case.external_id))}
    if not cases:
        return []
    in_project = t.Case.project_id == project_id
    for case_id, n in session.execute(
            select(t.Grant.case_id, func.count()).join(t.Case, t.Grant.case_id == t.Case.id)
            .where(in_project).group_by(t.Grant.case_id)):
        if case_id in cases:
            cases[case_id].n_grants = n
    for case_id, doc_type, n in session.execute(
            select(t.Document.case_id, t.Document.doc_type, func.count())
            .join(t.Case, t.Document.case_id == t.Case.id).where(in_project)
            .group_by(t.Document.case_id, t.Document.doc_type)):
        if case_id in cases:
            cases[case_id].document_types[doc_type] = n
    for case_id, text in session.execute(
            select(t.Document.case_id, t.Document.text)
            .join(t.Case, t.Document.case_id == t.Case.id)
            .where(in_project, t.Document.doc_type == "udskrivningsrapport")
            .order_by(t.Document.doc_date)):
        if case_id in cases:
            cases[case_id].discharge_assessments.append(effect_assessment(text))
    for case_id, note_date, point, version in session.execute(
            select(t.Note.case_id, t.Note.note_date, t.AttentionPoint.name,
                   t.AttentionPointScheme.version)
            .join(t.Case, t.Note.case_id == t.Case.id)
            .join(t.AttentionPoint, t.Note.attention_point_id == t.AttentionPoint.id)
            .join(t.AttentionPointScheme,
                  t.AttentionPoint.scheme_id == t.AttentionPointScheme.id)
            .where(in_project)):
        if case_id in cases:
            cases[case_id].notes.append(NoteFact(note_date, point, version))
    return list(cases.values())


@dataclass(slots=True)
class DocumentationReport:
    """The result of ``write_documentation_report``: the analysis and the files written."""

    analysis: DocumentationAnalysis
    paths: dict[str, Path]


def analyse_project_documentation(*, session: UnitOfWork, actor: Actor, project_id: int,
                                  closed_year: int | None = None,
                                  gap_days: int = DEFAULT_GAP_DAYS) -> DocumentationAnalysis:
    """Run the documentation analysis on the project's cases."""
    require(actor, Action.VIEW_REPORTS)
    facts = load_case_facts(session, project_id, closed_year=closed_year)
    if not facts:
        where = f" afsluttet i {closed_year}" if closed_year else ""
        raise EffektsporError(f"Projektet har ingen sager{where}. Importér data først med "
                              "'effektspor importer'.")
    return analyse_documentation(facts, gap_days)


def documentation_document(*, session: UnitOfWork, actor: Actor, project_id: int,
                           closed_year: int | None = None,
                           gap_days: int = DEFAULT_GAP_DAYS) -> tuple[DocumentationAnalysis,
                                                                      ReportDocument]:
    """The documentation analysis of the project and its report model (not written)."""
    analysis = analyse_project_documentation(session=session, actor=actor,
                                             project_id=project_id, closed_year=closed_year,
                                             gap_days=gap_days)
    name = session.scalar(select(t.Project.name).where(t.Project.id == project_id))
    return analysis, build_documentation_report(analysis, project_name=name,
                                                closed_year=closed_year)


def write_documentation_report(*, session: UnitOfWork, actor: Actor, project_id: int,
                               folder: Path,
                               formats: tuple[str, ...] = ("html", "docx", "xlsx"),
                               closed_year: int | None = None,
                               gap_days: int = DEFAULT_GAP_DAYS) -> DocumentationReport:
    """Analyse the project's documentation, write the report into ``folder`` and log it
    ("rapport_skrevet")."""
    analysis, doc = documentation_document(session=session, actor=actor,
                                           project_id=project_id, closed_year=closed_year,
                                           gap_days=gap_days)
    paths = write_report(doc, Path(folder), REPORT_BASENAME, formats)
    record_event(session, events.report_written(
        report=REPORT_BASENAME, formats=list(formats), cases=len(analysis.cases),
        closed_year=closed_year, files=[str(p) for p in paths.values()]),
        actor=actor.name, project_id=project_id)
    return DocumentationReport(analysis, paths)


# --- the report -----------------------------------------------------------------------------

def _pct_text(part: int, whole: int) -> str:
    pct = percent_half_up(part, whole)
    return format_count_percent(part, pct) if pct is not None else format_number(part, 0)


def _days(value: float | None) -> str:
    return "–" if value is None else format_number(value, 0 if value == int(value) else 1)


def _point_order(names: set[str]) -> list[str]:
    known = [p for p in COMMON_2018_2019 + REMOVED_AFTER_2018 + NEW_IN_2019 if p in names]
    return known + sorted(names - set(known))


def build_documentation_report(analysis: DocumentationAnalysis, *, project_name: str,
                               closed_year: int | None = None) -> ReportDocument:
    """The Danish documentation report (counts only; no persons or identifiers)."""
    a = analysis
    population = f"afsluttet i {closed_year}" if closed_year else "i projektet"
    doc = ReportDocument(
        "Dokumentationsanalyse", subtitle=f"{project_name} – sager {population}",
        metadata={"Projekt": project_name, "Sager i analysen": str(len(a.cases)),
                  "Heraf afsluttede": str(a.n_closed)})
    doc.add_section("Om analysen", Paragraph(
        "Dokumentationsanalysen (trin 3 i den journalbaserede effektanalyse) viser, hvilket "
        "materiale der findes på sagerne: dokumenttyper, bevillinger, indskrivningstid, "
        "dagbogsnotater under de enkelte opmærksomhedspunkter og udskrivningsrapporter med "
        "en brugbar effektvurdering. Den viser også huller i dokumentationen. Tabellerne "
        "indeholder kun antal; ingen personer eller sagsnumre."))
    doc.add_section("Sager og indsatsteams", _team_table(a), _document_type_table(a))
    doc.add_section("Udskrivningsrapporter og effektvurderinger", *_discharge_blocks(a))
    doc.add_section("Bevillinger og indskrivningstid", *_grant_blocks(a))
    doc.add_section("Opmærksomhedspunkter", *_point_blocks(a))
    doc.add_section("Huller i dokumentationen", *_gap_blocks(a))
    doc.number_blocks()
    return doc


def _team_table(a: DocumentationAnalysis) -> Table:
    rows = []
    for team in a.teams:
        rows.append([team.team, team.n_cases, team.n_closed,
                     _pct_text(team.n_usable_discharge, team.n_closed),
                     _days(team.median_enrollment_days), _days(team.median_grants), team.n_notes])
    all_days = [c.enrollment_days for c in a.cases if c.enrollment_days is not None]
    rows.append(["I alt", len(a.cases), a.n_closed, _pct_text(a.n_usable_discharge, a.n_closed),
                 _days(float(median(all_days)) if all_days else None),
                 _days(float(median([c.n_grants for c in a.cases]))),
                 sum(c.n_notes for c in a.cases)])
    return Table("Sager fordelt på indsatsteam",
                 [["Indsatsteam", "Sager", "Afsluttede", "Brugbar udskrivningsrapport",
                   "Indskrivningstid (median, dage)", "Bevillinger (median)",
                   "Dagbogsnotater"]], rows,
                 note="Celleindhold: Antal sager og dagbogsnotater. Brugbar udskrivningsrapport: "
                      "antal afsluttede sager med en effektvurdering (i procent af teamets "
                      "afsluttede sager). I procentangivelser afrundes der fra første decimal.",
                 emphasise_last_rows=1)


def _document_type_table(a: DocumentationAnalysis) -> Table:
    teams = [team.team for team in a.teams]
    team_sizes = {team.team: team.n_cases for team in a.teams}
    codes = [c for c in DOCUMENT_TYPES if c in a.document_type_cases]
    codes += sorted(set(a.document_type_cases) - set(codes))
    rows = []
    for code in codes:
        per_team = a.document_type_cases[code]
        rows.append([DOCUMENT_TYPES.get(code, code)]
                    + [count_with_percent(per_team.get(team, 0), team_sizes[team]) for team in teams]
                    + [count_with_percent(sum(per_team.values()), len(a.cases))])
    rows.append(["Sager i alt"] + [team_sizes[team] for team in teams] + [len(a.cases)])
    return Table("Dokumenttyper fordelt på indsatsteam", [["Dokumenttype", *teams, "I alt"]], rows,
                 note="Celleindhold: Antal sager med mindst ét dokument af typen (procent af "
                      "kolonnens sager). I procentangivelser afrundes der fra første decimal.",
                 emphasise_last_rows=1)


def _discharge_blocks(a: DocumentationAnalysis) -> list:
    low, high = a.usable_share_interval
    share = percent_half_up(a.n_usable_discharge, a.n_closed)
    blocks: list = [Table(
        "Effektvurderinger i udskrivningsrapporter", [["", "Effektvurderinger"]],
        [[outcome, count_with_percent(a.assessments.get(outcome, 0), a.n_usable_discharge)]
         for outcome in OUTCOMES] + [["Børn og familier i alt:",
                                      count_with_percent(a.n_usable_discharge,
                                                         a.n_usable_discharge)]],
        note=(f"Celleindhold: Afsluttede sager, der blev effektvurderet som \"i mål\", \"på vej\" "
              f"eller \"ikke i mål\" i en udskrivningsrapport. Det samlede antal "
              f"({a.n_usable_discharge}) afspejler antallet af brugbare udskrivningsrapporter, "
              f"som er lavere end det samlede antal afsluttede sager ({a.n_closed})."),
        emphasise_last_rows=1)]
    with_report = a.n_closed - a.n_closed_without_discharge
    blocks.append(Table(
        "Dokumentationsgrundlag for effektvurdering", [["", "Afsluttede sager"]],
        [["Med brugbar effektvurdering", count_with_percent(a.n_usable_discharge, a.n_closed)],
         ["Med udskrivningsrapport uden brugbar effektvurdering",
          count_with_percent(a.n_discharge_without_assessment, a.n_closed)],
         ["Uden udskrivningsrapport", count_with_percent(a.n_closed_without_discharge, a.n_closed)],
         ["Afsluttede sager i alt", count_with_percent(a.n_closed, a.n_closed)]],
        note="Celleindhold: Antal afsluttede sager (procent af alle afsluttede sager). I "
             "procentangivelser afrundes der fra første decimal.", emphasise_last_rows=1))
    if share is not None:
        blocks.append(Paragraph(
            f"{share}% af de afsluttede sager ({a.n_usable_discharge} af {a.n_closed}) har en "
            f"udskrivningsrapport med en brugbar effektvurdering (95%-konfidensinterval "
            f"{format_number(100 * low, 0)}–{format_number(100 * high, 0)}%, Wilson). {with_report} sager har en "
            f"udskrivningsrapport. Kun sager med en brugbar effektvurdering kan indgå i "
            f"analysen af målopnåelse; andelen er i sig selv et resultat."))
    return blocks


def _grant_blocks(a: DocumentationAnalysis) -> list:
    days_by_grants: dict[int, list[int]] = defaultdict(list)
    for case in a.cases:
        if case.enrollment_days is not None:
            days_by_grants[case.n_grants].append(case.enrollment_days)
    rows = [[f"{n} bevilling{'er' if n != 1 else ''}",
             count_with_percent(a.grant_distribution[n], len(a.cases)),
             _days(float(median(days_by_grants[n])) if days_by_grants[n] else None)]
            for n in sorted(a.grant_distribution)]
    rows.append(["I alt", count_with_percent(len(a.cases), len(a.cases)), ""])
    blocks: list = [Table("Sager fordelt på antal bevillinger",
                          [["Antal bevillinger", "Sager", "Indskrivningstid (median, dage)"]], rows,
                          note="Celleindhold: Antal sager (procent af alle sager) og median "
                               "indskrivningstid i dage. I procentangivelser afrundes der fra "
                               "første decimal.", emphasise_last_rows=1)]
    correlation = a.grants_vs_enrollment
    if correlation is None:
        blocks.append(Paragraph("Sammenhængen mellem antal bevillinger og indskrivningstid kan "
                                "ikke beregnes (for få sager eller ingen variation)."))
    else:
        significant = correlation.p_value < 0.05
        verdict = ("Sammenhængen er statistisk signifikant (5%-niveau)." if significant else
                   "Sammenhængen er ikke statistisk signifikant; den kan skyldes tilfældigheder.")
        blocks.append(Paragraph(
            f"Rangkorrelationen (Spearman) mellem antal bevillinger og indskrivningstid er "
            f"rho = {format_number(correlation.rho)} ({format_p(correlation.p_value)}, n = {correlation.n}). "
            f"{verdict}"))
        pairs = [(c.n_grants, c.enrollment_days) for c in a.cases if c.enrollment_days is not None]
        blocks.append(Figure("Antal bevillinger og indskrivningstid",
                             scatter_chart([p[0] for p in pairs], [p[1] for p in pairs],
                                           xlabel="Antal bevillinger",
                                           ylabel="Indskrivningstid (dage)"),
                             caption="Hvert punkt er en sag."))
    return blocks


def _point_blocks(a: DocumentationAnalysis) -> list:
    schemes = sorted(a.points_by_scheme)
    names = set().union(*a.points_by_scheme.values()) if a.points_by_scheme else set()
    totals = {s: sum(a.points_by_scheme[s].values()) for s in schemes}
    rows = [[point] + [count_with_percent(a.points_by_scheme[s][point], totals[s])
                       if point in a.points_by_scheme[s] else "–" for s in schemes]
            for point in _point_order(names)]
    rows.append(["Dagbogsnotater i alt"] + [totals[s] for s in schemes])
    blocks: list = [Table("Dagbogsnotater fordelt på opmærksomhedspunkter og skema",
                          [["Opmærksomhedspunkt", *[f"Skema {s}" for s in schemes]]], rows,
                          note="Celleindhold: Antal dagbogsnotater (procent af skemaets notater). "
                               "– betyder, at punktet ikke er brugt under skemaet. I "
                               "procentangivelser afrundes der fra første decimal.",
                          emphasise_last_rows=1)]
    teams = [team.team for team in a.teams]
    team_totals = {team: sum(a.points_by_team.get(team, Counter()).values()) for team in teams}
    all_points = Counter()
    for counter in a.points_by_team.values():
        all_points.update(counter)
    rows = [[point] + [count_with_percent(a.points_by_team.get(team, Counter())[point],
                                          team_totals[team]) for team in teams]
            + [count_with_percent(all_points[point], sum(all_points.values()))]
            for point in _point_order(set(all_points))]
    rows.append(["Dagbogsnotater i alt"] + [team_totals[team] for team in teams]
                + [sum(all_points.values())])
    blocks.append(Table("Dagbogsnotater fordelt på opmærksomhedspunkter og indsatsteam",
                        [["Opmærksomhedspunkt", *teams, "I alt"]], rows,
                        note="Celleindhold: Antal dagbogsnotater (procent af kolonnens notater). "
                             "I procentangivelser afrundes der fra første decimal.",
                        emphasise_last_rows=1))
    if all_points:
        ordered = all_points.most_common()
        blocks.append(Figure("Dagbogsnotater pr. opmærksomhedspunkt",
                             bar_chart([p for p, _ in ordered], [n for _, n in ordered],
                                       ylabel="Antal dagbogsnotater")))
    return blocks


def _gap_blocks(a: DocumentationAnalysis) -> list:
    closed_by_team = Counter(c.team for c in a.cases if c.closed)
    no_report = Counter(c.team for c in a.cases if c.closed and not c.has_discharge_report)
    rows = [[team.team, team.n_cases, team.n_without_notes, team.n_with_gaps,
             _pct_text(no_report[team.team], closed_by_team[team.team])] for team in a.teams]
    rows.append(["I alt", len(a.cases), a.n_without_notes, a.n_with_gaps,
                 _pct_text(a.n_closed_without_discharge, a.n_closed)])
    return [
        Paragraph(f"En pause regnes som en periode på mere end {a.gap_days} dage uden "
                  "dagbogsnotater, også fra sagens start til første notat og fra sidste notat "
                  "til afslutningen."),
        Table("Huller i dokumentationen fordelt på indsatsteam",
              [["Indsatsteam", "Sager", "Uden dagbogsnotater",
                f"Med pauser over {a.gap_days} dage", "Afsluttet uden udskrivningsrapport"]],
              rows,
              note="Celleindhold: Antal sager. Sidste kolonne: antal afsluttede sager uden "
                   "udskrivningsrapport (procent af teamets afsluttede sager). I "
                   "procentangivelser afrundes der fra første decimal.", emphasise_last_rows=1),
    ]

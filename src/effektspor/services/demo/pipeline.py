"""The demo: the whole analysis on synthetic data, as a clear sequence of steps.

``run_demo`` prepares a demo folder (replacing one it made before, refusing any other
folder), then runs ``DEMO_STEPS`` in order. Each step takes the shared ``DemoRun`` and fills
in its part; adding a pipeline step (pseudonymisation, auto-coding, classification ...) is
one line in ``DEMO_STEPS``.

Folder layout: ``<mappe>/eksport`` (synthetic export), ``<mappe>/facit.jsonl`` (the truth,
never imported), ``<mappe>/projekt`` (the project), ``<mappe>/nøgle`` (the encrypted
pseudonym key, apart from the project), ``<mappe>/rapport`` (the reports).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from effektspor.domain import events
from effektspor.domain.errors import EffektsporError
from effektspor.services.classification.suggestions import (
    SuggestionSummary,
    confirm_suggestions,
    suggest_classifications,
)
from effektspor.services.coding.autocoding import AutocodeSummary, autocode_project
from effektspor.services.contract import local_actor, unit_of_work
from effektspor.services.events import record_event
from effektspor.services.importing.imports import ImportSummary, import_paths
from effektspor.services.privacy.project_run import PseudonymisationSummary, pseudonymise_project
from effektspor.services.project import ProjectContext, create_project, current_user
from effektspor.services.reports.documentation import (
    DocumentationReport,
    write_documentation_report,
)
from effektspor.services.reports.yearly import previous_year_figures, write_yearly_report
from effektspor.synthetic import ExportInfo, write_export

#: A file that marks a folder as made by ``effektspor demo`` (so it may be replaced).
DEMO_MARKER = ".effektspor-demo"
DEMO_PROJECT_NAME = "Demo – syntetiske sager"
DEMO_YEAR = 2019
DEMO_PREVIOUS_YEAR = 2018
DEMO_PREVIOUS_NAME = "Demo – syntetiske sager 2018"
#: Cases closed in 2018 in Randers (1 Jan–1 Nov): 63, against 146 in 2019.
PREVIOUS_SHARE = 63 / 146
#: The demo's key-file passphrase. Only for synthetic data: a real project needs a strong,
#: secret passphrase known to its administrator.
DEMO_PASSPHRASE = "kun-til-syntetiske-demodata"


@dataclass
class DemoRun:
    """The state of one demo run, filled in step by step."""

    folder: Path
    seed: int
    actor: str
    n_cases: int = 146
    export: ExportInfo | None = None
    project: ProjectContext | None = None
    import_summary: ImportSummary | None = None
    pseudonymisation: PseudonymisationSummary | None = None
    autocoding: AutocodeSummary | None = None
    suggestions: SuggestionSummary | None = None
    confirmed: int = 0
    report: DocumentationReport | None = None
    previous_project: ProjectContext | None = None
    yearly_report: dict[str, Path] = field(default_factory=dict)
    yearly_report_pixi: dict[str, Path] = field(default_factory=dict)
    done: list[str] = field(default_factory=list)

    @property
    def export_folder(self) -> Path:
        """Where the synthetic export is written."""
        return self.folder / "eksport"

    @property
    def truth_file(self) -> Path:
        """The truth of the synthetic cases (outside the export; never imported)."""
        return self.folder / "facit.jsonl"

    @property
    def project_folder(self) -> Path:
        """The demo project."""
        return self.folder / "projekt"

    @property
    def key_folder(self) -> Path:
        """Where the encrypted pseudonym key is kept: apart from the project database."""
        return self.folder / "nøgle"

    @property
    def report_folder(self) -> Path:
        """Where the report files go."""
        return self.folder / "rapport"


def generate_step(run: DemoRun) -> None:
    """Write the synthetic export and its truth file."""
    run.export = write_export(run.export_folder, seed=run.seed, n_cases=run.n_cases,
                              truth_file=run.truth_file)


def create_project_step(run: DemoRun) -> None:
    """Create the demo project (embedded SQLite in the folder)."""
    run.project = create_project(run.project_folder, DEMO_PROJECT_NAME,
                                 description=f"Syntetiske demodata, frø {run.seed}",
                                 actor=run.actor)


def import_step(run: DemoRun) -> None:
    """Import the export through the ordinary import service."""
    summary = import_paths(_project(run), [run.export_folder], actor=run.actor)
    if summary.problems:
        raise EffektsporError(f"Importen af demodata fandt {len(summary.problems)} problem(er); "
                              f"det første: {summary.problems[0]}")
    run.import_summary = summary


def pseudonymise_step(run: DemoRun) -> None:
    """Pseudonymise every note and document before anything else reads them."""
    run.pseudonymisation = pseudonymise_project(
        _project(run), actor=run.actor, vault_path=run.key_folder, passphrase=DEMO_PASSPHRASE)


def autocode_step(run: DemoRun) -> None:
    """Auto-code the (pseudonymised) notes with the built-in codebook Randers 2019."""
    project = _project(run)
    with unit_of_work(project) as session:
        run.autocoding = autocode_project(session=session, actor=local_actor(name=run.actor),
                                          project_id=project.project_id)


def classify_step(run: DemoRun) -> None:
    """Suggest outcome, problem category and severity from the documents, then confirm.

    In a real project a person reviews each suggestion; the demo confirms them all and
    records that in the coder name, so the history shows it was done automatically.
    """
    run.suggestions, run.confirmed = _suggest_and_confirm(_project(run), run.actor)


def previous_year_step(run: DemoRun) -> None:
    """Last year's synthetic cases as a project of their own, for the year-over-year
    comparison: generated, imported, pseudonymised and classified like this year's."""
    folder = run.folder / f"eksport-{DEMO_PREVIOUS_YEAR}"
    write_export(folder, seed=run.seed - 1, n_cases=max(5, round(run.n_cases * PREVIOUS_SHARE)),
                 year=DEMO_PREVIOUS_YEAR,
                 truth_file=run.folder / f"facit-{DEMO_PREVIOUS_YEAR}.jsonl")
    project = create_project(run.folder / f"projekt-{DEMO_PREVIOUS_YEAR}", DEMO_PREVIOUS_NAME,
                             description=f"Syntetiske demodata, frø {run.seed - 1}",
                             actor=run.actor)
    run.previous_project = project
    import_paths(project, [folder], actor=run.actor)
    pseudonymise_project(project, actor=run.actor, vault_path=run.key_folder,
                         passphrase=DEMO_PASSPHRASE)
    _suggest_and_confirm(project, run.actor)


def _suggest_and_confirm(project: ProjectContext, actor: str) -> tuple[SuggestionSummary, int]:
    """Suggest the classifications and confirm them all, in the name that says so."""
    with unit_of_work(project) as session:
        summary = suggest_classifications(session=session, actor=local_actor(name=actor),
                                          project_id=project.project_id)
    with unit_of_work(project) as session:
        confirmed = confirm_suggestions(
            session=session, actor=local_actor(name=f"{actor} (demo: forslag godkendt samlet)"),
            project_id=project.project_id)
    return summary, confirmed


def yearly_report_step(run: DemoRun) -> None:
    """Write the yearly effect report (compared with last year) and its pixi edition."""
    project = _project(run)
    actor = local_actor(name=run.actor)
    previous = None
    if run.previous_project is not None:
        with unit_of_work(run.previous_project) as session:
            previous = previous_year_figures(session=session, actor=actor,
                                             project_id=run.previous_project.project_id,
                                             label=str(DEMO_PREVIOUS_YEAR))
    common = {"actor": actor, "project_id": project.project_id, "folder": run.report_folder,
              "previous": previous, "label": str(DEMO_YEAR)}
    with unit_of_work(project) as session:
        run.yearly_report = write_yearly_report(session=session, **common)
    with unit_of_work(project) as session:
        run.yearly_report_pixi = write_yearly_report(session=session, pixi=True, **common)


def report_step(run: DemoRun) -> None:
    """Write the documentation-analysis report."""
    project = _project(run)
    with unit_of_work(project) as session:
        run.report = write_documentation_report(
            session=session, actor=local_actor(name=run.actor), project_id=project.project_id,
            folder=run.report_folder, closed_year=DEMO_YEAR)


#: The demo pipeline: (Danish label shown to the user, step). Add a step with one line.
DEMO_STEPS: list[tuple[str, Callable[[DemoRun], None]]] = [
    ("Syntetiske data dannes", generate_step),
    ("Projekt oprettes", create_project_step),
    ("Data importeres", import_step),
    ("Journalerne pseudonymiseres", pseudonymise_step),
    ("Dagbogsnotaterne autokodes", autocode_step),
    ("Sagerne klassificeres", classify_step),
    ("Sidste års sager (2018) behandles til sammenligningen", previous_year_step),
    ("Dokumentationsanalysen skrives", report_step),
    ("Årsrapporten skrives", yearly_report_step),
]


def _project(run: DemoRun) -> ProjectContext:
    if run.project is None:  # pragma: no cover - only if the steps are misordered
        raise EffektsporError("Demoens projekt er ikke oprettet endnu.")
    return run.project


def prepare_demo_folder(folder: Path) -> None:
    """Make ``folder`` an empty demo folder; replace an earlier demo folder, refuse others."""
    folder = Path(folder)
    if folder.is_symlink() or folder.is_file():
        raise EffektsporError(f"{folder} er ikke en mappe. Vælg en anden med --mappe.")
    if folder.exists() and any(folder.iterdir()):
        if not (folder / DEMO_MARKER).is_file():
            raise EffektsporError(
                f"Mappen {folder} findes allerede og er ikke en demomappe lavet af effektspor. "
                "Den slettes ikke. Vælg en anden mappe med --mappe.")
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DEMO_MARKER).write_text(
        "Denne mappe er lavet af 'effektspor demo' og erstattes, når demoen køres igen.\n",
        encoding="utf-8")


def run_demo(folder: Path, *, seed: int = DEMO_YEAR, actor: str | None = None,
             n_cases: int = 146, on_step: Callable[[str], None] | None = None) -> DemoRun:
    """Run the whole demo in ``folder``; ``on_step`` is told each step's label first."""
    run = DemoRun(Path(folder), seed, actor or current_user(), n_cases)
    prepare_demo_folder(run.folder)
    try:
        for label, step in DEMO_STEPS:
            if on_step:
                on_step(label)
            step(run)
            run.done.append(label)
        with _project(run).transaction() as session:
            record_event(session, events.demo_run(folder=str(run.folder), seed=seed,
                                                  steps=run.done),
                         actor=run.actor, project_id=_project(run).project_id)
    finally:
        for project in (run.project, run.previous_project):
            if project is not None:
                project.close()
    return run

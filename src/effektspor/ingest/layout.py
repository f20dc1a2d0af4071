"""Finding the sources of an import: the standard export layout, or single files.

The standard layout is a folder with ``sager.csv``, ``notater.csv``,
``bevillinger.csv``, ``personer.csv`` (all optional) and a ``dokumenter/`` folder. Any
other file is a problem (nothing is silently ignored); names starting with '_' or '.'
are skipped and listed as skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from effektspor.domain.errors import Problem
from effektspor.ingest.decoding import printable
from effektspor.ingest.sources import (
    DOCUMENT_EXTENSIONS,
    KINDS,
    STANDARD_DOCUMENT_FOLDER,
    STANDARD_FILES,
    TABLE_FORMATS,
    SourceSpec,
    is_skipped_name,
)


@dataclass
class SourcePlan:
    """The sources to read, what was skipped on purpose, and problems found so far."""

    sources: list[SourceSpec] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def extend(self, other: SourcePlan) -> None:
        """Add another plan's sources, skipped names and problems to this one."""
        self.sources.extend(other.sources)
        self.skipped.extend(other.skipped)
        self.problems.extend(other.problems)

    def ordered(self) -> list[SourceSpec]:
        """Sources in import order: cases first, then what refers to cases."""
        return sorted(self.sources, key=lambda s: KINDS.index(s.kind))


def display_name(path: Path) -> str:
    """How a path is named in messages and stored: its last two parts (folder/file)."""
    parts = path.parts[-2:]
    return printable("/".join(parts))


def standard_layout(folder: Path) -> SourcePlan:
    """The sources of an export folder in the standard layout."""
    plan = SourcePlan()
    for entry in sorted(folder.iterdir()):
        name = entry.name
        shown = display_name(entry)
        if is_skipped_name(name):
            plan.skipped.append(shown)
        elif entry.is_dir() and name.lower() == STANDARD_DOCUMENT_FOLDER:
            plan.sources.append(SourceSpec("dokumenter", entry, shown, "folder"))
        elif entry.is_file() and name.lower() in STANDARD_FILES:
            plan.sources.append(SourceSpec(STANDARD_FILES[name.lower()], entry, shown, "csv",
                                           delimiter=None))
        else:
            what = "mappen" if entry.is_dir() else "filen"
            plan.problems.append(Problem(
                f"{what} kendes ikke i standardlayoutet (kendte: "
                f"{', '.join(STANDARD_FILES)}, {STANDARD_DOCUMENT_FOLDER}/); flyt den, giv den "
                "et navn der starter med '_' for at springe den over, eller brug en "
                "tilknytningsfil", shown))
    if not plan.sources and not plan.problems:
        plan.problems.append(Problem(
            "mappen indeholder intet at importere (fx sager.csv, notater.csv, dokumenter/)",
            display_name(folder)))
    return plan


def single_path(path: Path, kind: str | None) -> SourcePlan:
    """The source of one file (kind from --type or the file name) or one folder."""
    plan = SourcePlan()
    shown = display_name(path)
    if not path.exists():
        plan.problems.append(Problem("filen eller mappen findes ikke", shown))
        return plan
    if path.is_dir():
        if kind is None:
            return standard_layout(path)
        if kind != "dokumenter":
            plan.problems.append(Problem(
                f"en mappe kan kun importeres som dokumenter, ikke som {kind}", shown))
            return plan
        plan.sources.append(SourceSpec("dokumenter", path, shown, "folder"))
        return plan
    suffix = path.suffix.lower()
    if kind is None:
        kind = STANDARD_FILES.get(path.name.lower()) or STANDARD_FILES.get(
            path.stem.lower() + ".csv")
    if kind is None:
        plan.problems.append(Problem(
            "kan ikke se, hvad filen indeholder; angiv --type (sager, notater, dokumenter, "
            "bevillinger eller personer) eller brug en tilknytningsfil", shown))
        return plan
    if suffix in DOCUMENT_EXTENSIONS:
        plan.problems.append(Problem(
            "læg dokumentfiler i en mappe og importér mappen med --type dokumenter", shown))
        return plan
    file_format = TABLE_FORMATS.get(suffix)
    if file_format is None:
        plan.problems.append(Problem(
            f"filtypen '{suffix}' kan ikke importeres som tabel (brug .csv, .xlsx eller "
            ".jsonl)", shown))
        return plan
    plan.sources.append(SourceSpec(kind, path, shown, file_format))
    return plan


def plan_paths(paths: list[Path], kind: str | None) -> SourcePlan:
    """The sources of the paths given on the command line (no mapping file)."""
    plan = SourcePlan()
    for path in paths:
        plan.extend(single_path(Path(path), kind))
    return plan

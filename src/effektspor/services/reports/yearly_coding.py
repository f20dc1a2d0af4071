"""The yearly report's section on the codings of the diary notes (per code: notes, cases,
example quotes), built from the coding services' overview."""

from __future__ import annotations

from effektspor.report.model import Paragraph, Section, Table
from effektspor.services.coding.shared import CodeCount, code_counts
from effektspor.services.contract import UnitOfWork

TITLE = "Kodninger i dagbogsnotaterne"


def _shown(count: int, *, pixi: bool, threshold: int) -> str | int:
    """A count, or "under N" in the pixi edition when it is a small, non-zero cell."""
    if pixi and 0 < count < threshold:
        return f"under {threshold}"
    return count


def coding_section(session: UnitOfWork, project_id: int, *, pixi: bool, threshold: int,
                   examples: int = 2) -> Section | None:
    """Per code how many notes and cases were coded; example quotes only in the internal
    edition. None when nothing is coded."""
    overview = [c for c in code_counts(session, project_id, examples=examples) if c.notes]
    if not overview:
        return None
    rows = [[("  " if c.parent else "") + c.name,
             _shown(c.notes, pixi=pixi, threshold=threshold),
             _shown(c.cases, pixi=pixi, threshold=threshold)] for c in overview]
    note = ("Celleindhold: antal dagbogsnotater og sager med mindst én kodning af koden "
            "(autokodning med kodebogen og manuelle kodninger). Underkoder står indrykket "
            "under deres overordnede kode; et notat kan have flere koder.")
    if pixi:
        note += f" Tal under {threshold} er skjult."
    blocks: list = [
        Paragraph("Dagbogsnotaterne er kodet med projektets kodebog. Tabellen viser, hvor "
                  "mange notater og sager hver kode findes i."),
        Table("Kodninger pr. kode", [["Kode", "Notater", "Sager"]], rows, note=note),
    ]
    if not pixi:
        blocks.extend(_example_blocks([c for c in overview if not c.parent]))
    return Section(TITLE, blocks)


def _example_blocks(top_level: list[CodeCount]) -> list[Paragraph]:
    blocks = [Paragraph("Eksempler på kodede passager (pseudonymiseret tekst)", emphasis=True)]
    for code in top_level:
        for quote in code.examples:
            blocks.append(Paragraph(f"{code.name}: »{quote}«"))
    return blocks

"""Turning analysis results into report tables, with drill-down links or pixi suppression.

The internal edition links every count to the list of its cases (and their quotes); the
"pixi" edition, meant to be shared outside the municipality, shows no case ids or quotes
and replaces every count between 1 and ``threshold - 1`` by "<threshold" — plus, where a
row or column has exactly one suppressed cell, the next smallest cell too, so the hidden
count cannot be worked out from the total (secondary suppression). Percentages of hidden
cells are hidden with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from effektspor.analysis.crosstab import Crosstab
from effektspor.analysis.hypothesis import HypothesisTable
from effektspor.domain.formatting import format_count_percent
from effektspor.report.model import CaseList, Cell, Table, as_cell, slug

TOTAL_LABEL = "Total"


@dataclass
class Edition:
    """Internal (with case lists) or pixi (suppressed small cells, no cases, no quotes)."""

    pixi: bool = False
    threshold: int = 3
    case_lists: list[CaseList] = field(default_factory=list)
    suppressed_cells: int = 0

    def link(self, anchor: str, title: str, case_ids: list[str]) -> str | None:
        """Register the case list behind a cell (internal edition only); return its anchor."""
        if self.pixi or not case_ids:
            return None
        self.case_lists.append(CaseList(anchor, title, list(case_ids)))
        return anchor


def suppression_mask(counts: list[list[int]], threshold: int) -> list[list[bool]]:
    """Which cells to hide: primary (1 ≤ n < threshold) and secondary suppression.

    Secondary: while a row or column has exactly one hidden cell, hide its smallest other
    non-zero cell, so the hidden value cannot be recovered from the row or column total.
    """
    mask = [[0 < n < threshold for n in row] for row in counts]
    changed = True
    while changed:
        changed = False
        lines = [[(i, j) for j in range(len(counts[i]))] for i in range(len(counts))]
        if counts:
            lines += [[(i, j) for i in range(len(counts))] for j in range(len(counts[0]))]
        for line in lines:
            hidden = [cell for cell in line if mask[cell[0]][cell[1]]]
            if len(hidden) != 1:
                continue
            candidates = [cell for cell in line
                          if not mask[cell[0]][cell[1]] and counts[cell[0]][cell[1]] > 0]
            if candidates:
                i, j = min(candidates, key=lambda c: counts[c[0]][c[1]])
                mask[i][j] = True
                changed = True
    return mask


def _count_cell(edition: Edition, count: int, percent: int | None, hidden: bool, *,
                anchor: str, title: str, case_ids: list[str]) -> Cell:
    if hidden:
        edition.suppressed_cells += 1
        return Cell(f"<{edition.threshold}")
    text = format_count_percent(count, percent)
    link = edition.link(anchor, title, case_ids)
    return Cell(text, number=count, link=link,
                case_ids=() if edition.pixi else tuple(case_ids))


def crosstab_table(table: Crosstab, *, title: str, edition: Edition, row_header: str,
                   labels: dict[str, str] | None = None, note_extra: str = "") -> Table:
    """A report table like Tabel 3: counts with column percentages, totals, the note."""
    labels = labels or {}
    key = slug(title)
    one_way = table.cols == ["I alt"]
    hide = suppression_mask(table.counts, edition.threshold) if edition.pixi else \
        [[False] * len(table.cols) for _ in table.rows]
    hide_col_total = [edition.pixi and 0 < n < edition.threshold for n in table.col_totals]
    header = [row_header] + ([] if one_way else list(table.cols)) + [TOTAL_LABEL]
    body = []
    for i, row in enumerate(table.rows):
        cells: list = [labels.get(row, row)]
        if not one_way:
            for j, col in enumerate(table.cols):
                cells.append(_count_cell(
                    edition, table.counts[i][j], table.percent[i][j], hide[i][j],
                    anchor=f"{key}-{slug(row)}-{slug(col)}",
                    title=f"{title}: {labels.get(row, row)}, {col}",
                    case_ids=table.cell_cases[i][j]))
        row_cases = [c for cell in table.cell_cases[i] for c in cell]
        row_hidden = edition.pixi and (0 < table.row_totals[i] < edition.threshold
                                       or (one_way and hide[i][0]))
        cells.append(_count_cell(edition, table.row_totals[i], table.row_totals_percent[i],
                                 row_hidden, anchor=f"{key}-{slug(row)}-total",
                                 title=f"{title}: {labels.get(row, row)}",
                                 case_ids=row_cases))
        body.append(cells)
    if not table.multi_response:
        total_row: list = [TOTAL_LABEL]
        if not one_way:
            for j, n in enumerate(table.col_totals):
                total_row.append(Cell(f"<{edition.threshold}") if hide_col_total[j]
                                 else Cell(format_count_percent(n, 100), number=n))
        total_row.append(Cell(format_count_percent(table.total, 100), number=table.total))
        body.append(total_row)
    else:
        body.append([TOTAL_LABEL] + [Cell(f"<{edition.threshold}") if hide_col_total[j]
                                     else as_cell(n)
                                     for j, n in enumerate(table.col_totals)]
                    + [as_cell(table.total)])
    note = table.note
    if table.test is not None and table.test.wording:
        note += f" {table.test.wording}"
    elif table.test is not None and table.test.p_value is not None:
        note += f" Test: {table.test.method}."
    if note_extra:
        note += f" {note_extra}"
    if edition.pixi:
        note += (f" Celler med færre end {edition.threshold} sager er skjult (\"<"
                 f"{edition.threshold}\"), og hvor det var nødvendigt også en celle mere, så "
                 "de skjulte tal ikke kan regnes ud.")
    return Table(title=title, header_rows=[header], body_rows=body, note=note.strip(),
                 emphasise_last_rows=1, anchor=key)


def hypothesis_report_table(result: HypothesisTable, *, title: str, edition: Edition,
                            condition_label: str, outcome_label: str) -> Table:
    """Tabel 5: cells A–D with their counts and the moderator's distribution among them."""
    key = slug(title)

    def cell(label: str) -> Cell:
        data = result.cells[label]
        hidden = edition.pixi and 0 < data.n < edition.threshold
        if hidden:
            edition.suppressed_cells += 1
            return Cell(f"{label}. <{edition.threshold} sager")
        summary = "" if edition.pixi else f": {data.moderator_summary()}"
        link = edition.link(f"{key}-{label.lower()}", f"{title}, celle {label}", data.cases)
        return Cell(f"{label}. {data.n} sager{summary}", number=data.n, link=link,
                    case_ids=() if edition.pixi else tuple(data.cases))

    header = [f"{outcome_label} / {condition_label}", f"{condition_label} +",
              f"{condition_label} −"]
    body = [[f"{outcome_label} +", cell("A"), cell("B")],
            [f"{outcome_label} −", cell("C"), cell("D")]]
    placed = sum(c.n for c in result.cells.values())
    note = (f"Celleindhold: antal sager i hver kombination af {outcome_label.lower()} og "
            f"{condition_label.lower()}"
            + (f", med fordelingen på {result.moderator}" if result.moderator and
               not edition.pixi else "")
            + f". {placed} sager kunne placeres, {len(result.unplaced)} kunne ikke. "
            + " ".join(result.readings[1:] if not edition.pixi else result.readings[-1:]))
    for name, label in ((result.condition, condition_label.lower()),
                        (result.outcome, outcome_label.lower())):
        note = note.replace(name, label)
    return Table(title=title, header_rows=[header], body_rows=body, note=note.strip(),
                 anchor=key)

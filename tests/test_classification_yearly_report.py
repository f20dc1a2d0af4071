"""The yearly report from a project whose margins equal the published 2019 tables."""

from __future__ import annotations

import docx
import pytest

from classification_helpers import add_cases, call, classify, count_events
from effektspor.services.authorization import Actor, Role
from effektspor.services.classification.values import import_values
from effektspor.services.contract import unit_of_work
from effektspor.services.reports import yearly
from effektspor.services.reports.yearly_tables import suppression_mask

ANALYST = Actor("analytiker", Role.ANALYST)


def write_yearly_report(project, folder, **options):
    """The yearly report written by an analyst in one unit of work."""
    with unit_of_work(project) as session:
        return yearly.write_yearly_report(session=session, actor=ANALYST,
                                          project_id=project.project_id, folder=folder,
                                          **options)


def build_yearly_report(project, **options):
    """The yearly report's model, built by an analyst in one unit of work."""
    with unit_of_work(project) as session:
        return yearly.build_yearly_report(session=session, actor=ANALYST,
                                          project_id=project.project_id, **options)

COLUMNS = {  # outcome -> (severity counts Svær/Mellem/Let, category counts in Tabel 10 order)
    "I mål": ((6, 4, 10), (3, 7, 6, 3, 0, 1)),
    "På vej": ((5, 8, 1), (1, 3, 4, 3, 0, 3)),
    "Ikke i mål": ((7, 7, 3), (1, 0, 6, 8, 1, 1)),
}
CATEGORIES = ("Forældrekonflikt", "Forældrestruktur", "Forældreregulering", "Barneregulering",
              "Barnestruktur", "Barnekonflikt")
ALLIANCE = {"negativ_alliance": (18, 10, 13), "positiv_alliance": (13, 11, 9),
            "professionel_tvivl": (15, 7, 8), "relationsarbejde": (14, 9, 13)}


def published_cases():
    """51 assessed cases with the 2019 margins, code presence, and 95 without assessment."""
    rows, presence = [], {}
    for column, (outcome, (severities, categories)) in enumerate(COLUMNS.items()):
        grades = [g for g, n in zip(("Svær", "Mellem", "Let"), severities, strict=True)
                  for _ in range(n)]
        kinds = [c for c, n in zip(CATEGORIES, categories, strict=True) for _ in range(n)]
        for k, (grade, kind) in enumerate(zip(grades, kinds, strict=True)):
            case_id = f"S{len(rows) + 1:03d}"
            rows.append((case_id, outcome, kind, grade))
            codes = {code for code, counts in ALLIANCE.items() if k < counts[column]}
            # Reflected adjustment: A = 12 (incl. all severe/middle), B = 8 light, C = 4 severe.
            if (outcome == "I mål" and k < 12) or (outcome != "I mål" and grade == "Svær"
                                                    and k < 2):
                codes.add("reflekteret_indsatsjustering")
            presence[case_id] = codes
    return rows, presence


@pytest.fixture
def report_project(project, tmp_path):
    rows, presence = published_cases()
    add_cases(project, {**{r[0]: ("Familieværkstedet" if i % 4 == 0 else "Sandplay")
                           for i, r in enumerate(rows)},
                        **{f"U{i:03d}": "Sandplay" for i in range(95)}})
    path = tmp_path / "koder.csv"
    path.write_text("sag;maalopnaaelse;problemstilling;problemgrad\n" + "\n".join(
        ";".join(r) for r in rows) + "\n", encoding="utf-8")
    call(project, import_values, actor="Forsker", path=path)
    return project, presence


def _docx_tables(path):
    return [[[cell.text for cell in row.cells] for row in table.rows]
            for table in docx.Document(path).tables]


def test_internal_report_reproduces_the_published_tables(report_project, tmp_path):
    project, presence = report_project
    written = write_yearly_report(project, tmp_path / "rapport", code_presence=presence)
    assert set(written) == {"html", "docx", "xlsx"}
    tables = _docx_tables(written["docx"])
    documentation, outcome, severity, category, alliance, hypothesis = tables
    assert documentation[1][-1] == "51 (35%)" and documentation[-1][-1] == "146 (100%)"
    assert outcome[1:] == [["I mål", "20 (39%)"], ["På vej", "14 (27%)"],
                           ["Ikke i mål", "17 (33%)"], ["Total", "51 (100%)"]]
    assert severity[0] == ["Problemgrad", "I mål", "På vej", "Ikke i mål", "Total"]
    assert severity[1] == ["Svær", "6 (30%)", "5 (36%)", "7 (41%)", "18 (35%)"]
    assert severity[2] == ["Mellem", "4 (20%)", "8 (57%)", "7 (41%)", "19 (37%)"]
    assert severity[3] == ["Let", "10 (50%)", "1 (7%)", "3 (18%)", "14 (27%)"]
    assert category[2] == ["Forældrestruktur", "7 (35%)", "3 (21%)", "0 (0%)", "10 (20%)"]
    assert alliance[1][:4] == ["Negative alliancebeskrivelser", "18 (90%)", "10 (71%)",
                               "13 (76%)"]
    assert alliance[3][:4] == ["Professionel tvivl", "15 (75%)", "7 (50%)", "8 (47%)"]
    assert hypothesis[1][1].startswith("A. 12 sager") and hypothesis[1][2] == \
        "B. 8 sager: alle Let"
    assert hypothesis[2][1] == "C. 4 sager: alle Svær" and hypothesis[2][2].startswith(
        "D. 27 sager")
    html = written["html"].read_text(encoding="utf-8")
    assert 'href="#problemgrad-fordelt-paa-maalopnaaelse-let-paa-vej"' in html
    assert "Sager og citater bag tallene" in html and "sat af Forsker" in html
    assert count_events(project, "aarsrapport_skrevet") == 1
    assert "Problemgrad: størst andel i mål ved let (71 %)" in html
    assert "reflekteret_indsatsjustering" not in html.split("<main>")[1]


def test_pixi_edition_hides_small_cells_and_cases(report_project, tmp_path):
    project, presence = report_project
    written = write_yearly_report(project, tmp_path / "pixi", pixi=True,
                                  code_presence=presence, formats=("docx", "html"))
    severity = _docx_tables(written["docx"])[2]
    assert severity[3][2] == "<3"  # Let × På vej = 1 case
    assert "1 (7%)" not in {cell for row in severity for cell in row}
    html = written["html"].read_text(encoding="utf-8")
    assert "S001" not in html and "href=\"#" not in html.split("<main>")[1]
    assert "«" not in html and "Sager og citater" not in html
    # No finding may reveal a hidden cell through a row share ("størst andel i mål ved ...").
    assert "størst andel" not in html
    assert written["docx"].name == "aarsrapport-pixi.docx"


def test_secondary_suppression_leaves_no_single_hidden_cell():
    counts = [[6, 5, 7], [4, 8, 7], [10, 1, 3]]
    mask = suppression_mask(counts, 3)
    assert mask[2][1]
    for line in [*mask, *zip(*mask, strict=True)]:
        assert sum(line) != 1
    assert suppression_mask([[0, 5], [7, 9]], 3) == [[False, False], [False, False]]


def test_comparison_with_last_year_from_csv(report_project, tmp_path):
    project, presence = report_project
    last_year = tmp_path / "2018.csv"
    last_year.write_text("sag;maalopnaaelse;indskrivningsdage\n" + "\n".join(
        f"A{i};{'I mål' if i < 20 else ('På vej' if i < 40 else '')};{100 + i}"
        for i in range(120)) + "\n", encoding="utf-8")
    doc = build_yearly_report(project, code_presence=presence, previous=last_year,
                              previous_label="2018")
    section = next(s for s in doc.sections if s.title == "Sammenligning med sidste år")
    text = " ".join(block.text for block in section.blocks if hasattr(block, "text"))
    table = next(block for block in section.blocks if hasattr(block, "body_rows"))
    assert table.header_rows == [["Nøgletal", "2018", project.name]]
    assert table.body_rows[0][1:] == [120, 146]  # 51 assessed + 95 without assessment
    assert "Andelen af sager med effektvurdering var 33 % i 2018 og 35 %" in text
    assert "signifikant" in text
    assert "Indskrivningstiderne kan ikke sammenlignes" in text  # no dates this year


def test_report_without_classifications_says_what_is_missing(project, tmp_path):
    add_cases(project, {"S1": "Sandplay"})
    doc = build_yearly_report(project)
    titles = [s.title for s in doc.sections]
    assert "Effektvurderinger" in titles
    assert "Ingen sager har en bekræftet målopnåelse" in doc.sections[1].blocks[0].text
    classify(project, "S1", "maalopnaaelse", "I mål", coder="K")
    doc = build_yearly_report(project)
    alliance = next(s for s in doc.sections if s.title.startswith("Alliancedimensioner"))
    assert "ikke kodet endnu" in alliance.blocks[0].text

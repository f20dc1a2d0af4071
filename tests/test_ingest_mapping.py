"""The mapping file: other layouts (XLSX sheet, renamed columns, document names) and its checks."""

from __future__ import annotations

import openpyxl
import pytest
from sqlalchemy import select

from effektspor.domain.errors import ValidationError
from effektspor.ingest.mapping import plan_from_mapping
from effektspor.services.importing.imports import import_paths
from effektspor.store import tables as t
from ingest_helpers import row_counts

MAPPING = """\
beskrivelse: Eksport fra fagsystemet
kilder:
  - fil: Sagsoversigt.xlsx
    art: sager
    ark: Sager
    kolonner:
      Sagsnr: sag_id
      Indsatsteam: team
      Start: startdato
      Slut: slutdato
      Lukket: afsluttet
  - fil: dagbog.csv
    art: notater
    skilletegn: ","
    tegnsæt: cp1252
    datoformat: "%d.%m.%Y"
    skema: "2019"
    kolonner:
      Sag: sag_id
      Dato: dato
      Punkt: opmærksomhedspunkt
      Notat: tekst
  - mappe: Breve
    art: dokumenter
    filnavn: '^(?P<sag>\\d+)-(?P<dato>\\d{8})$'
    datoformat: "%Y%m%d"
    dokumenttype: underretning
"""


def _export(folder):
    folder.mkdir()
    workbook = openpyxl.Workbook()
    workbook.active.title = "Forside"
    workbook.active.append(["Ikke dette ark"])
    sheet = workbook.create_sheet("Sager")
    sheet.append(["Sagsnr", "Indsatsteam", "Start", "Slut", "Lukket", "Bopæl"])
    sheet.append([101, "Sandplay", "2019-01-02", "2019-06-30", "ja", "land"])
    workbook.save(folder / "Sagsoversigt.xlsx")
    (folder / "dagbog.csv").write_bytes(
        "Sag,Dato,Punkt,Notat,Intern note\n101,05.02.2018,Samvær,\"Første møde, god stemning\",x\n"
        .encode("cp1252"))
    (folder / "Breve").mkdir()
    (folder / "Breve" / "101-20190301.txt").write_text("Underretning fra skolen.", "utf-8")
    (folder / "tilknytning.yaml").write_text(MAPPING, encoding="utf-8")
    return folder


def test_mapping_reads_other_layout(project, tmp_path):
    export = _export(tmp_path / "eksport")
    (export / "ekstra.pdf").write_bytes(b"x")
    summary = import_paths(project, [export], mapping_file=export / "tilknytning.yaml",
                           actor="test")
    assert summary.cases_created == 1 and summary.notes == 1
    assert summary.documents_by_type == {"Underretning": 1}
    assert "eksport/ekstra.pdf (ikke nævnt i tilknytningsfilen)" in summary.skipped
    assert "eksport/dagbog.csv: kolonnen 'Intern note' bruges ikke" in summary.skipped
    with project.sessions() as session:
        case = session.scalar(select(t.Case))
        note = session.scalar(select(t.Note))
        point = session.get(t.AttentionPoint, note.attention_point_id)
        doc = session.scalar(select(t.Document))
    assert case.external_id == "101" and case.closed_year == 2019
    assert case.attributes == {"Bopæl": "land"}
    # The 2018 date would select the 2018 scheme, but the mapping fixes scheme 2019.
    assert note.note_date.isoformat() == "2018-02-05" and point.name == "Samvær"
    assert note.text == "Første møde, god stemning"
    assert doc.doc_type == "underretning" and doc.doc_date.isoformat() == "2019-03-01"


@pytest.mark.parametrize("text,expected", [
    ("kilder: [", "ikke gyldig YAML"),
    ("kilder: []", "felt 'kilder': 'kilder' skal være en liste"),
    ("kilde:\n  - fil: a.csv\n", "felt 'kilde': ukendt nøgle"),
    ("kilder:\n  - fil: dagbog.csv\n    art: noter\n", "felt 'kilder[1].art'"),
    ("kilder:\n  - fil: dagbog.csv\n    art: notater\n    kolonner: {Sag: sagsnummer}\n",
     "felt 'kilder[1].kolonner.Sag': feltet 'sagsnummer' findes ikke for notater"),
    ("kilder:\n  - fil: dagbog.csv\n    art: notater\n    datoformat: dd-mm\n",
     "felt 'kilder[1].datoformat': ugyldigt datoformat"),
    ("kilder:\n  - fil: dagbog.csv\n    art: notater\n    tegnsæt: latin-9x\n",
     "ukendt tegnsæt 'latin-9x'"),
    ("kilder:\n  - fil: dagbog.csv\n    art: notater\n    skilletegn: ';;'\n",
     "'skilletegn' skal være ét tegn"),
    ("kilder:\n  - mappe: Breve\n    art: dokumenter\n    filnavn: '(?P<sag>\\d+'\n",
     "felt 'kilder[1].filnavn': ugyldigt regulært udtryk"),
    ("kilder:\n  - mappe: Breve\n    art: dokumenter\n    filnavn: '(?P<dato>\\d+)'\n",
     "gruppen (?P<sag>...)"),
    ("kilder:\n  - fil: findesikke.csv\n    art: sager\n", "'eksport/findesikke.csv' findes ikke"),
    ("kilder:\n  - fil: dagbog.csv\n    mappe: Breve\n    art: sager\n", "enten 'fil' eller"),
    ("kilder:\n  - fil: Sagsoversigt.xlsx\n    art: sager\n    ark: Findes ikke\n", None),
])
def test_mapping_file_problems_name_file_and_key(tmp_path, text, expected):
    export = _export(tmp_path / "eksport")
    mapping = tmp_path / "tilknytning.yaml"
    mapping.write_text(text, encoding="utf-8")
    plan = plan_from_mapping(mapping, [export])
    if expected is None:  # valid mapping; the sheet is checked when the file is read
        assert plan.problems == [] and plan.sources[0].sheet == "Findes ikke"
        return
    shown = [str(p) for p in plan.problems]
    assert any(s.startswith("tilknytning.yaml") and expected in s for s in shown), shown


def test_missing_sheet_and_unknown_scheme_are_problems(project, tmp_path):
    export = _export(tmp_path / "eksport")
    mapping = export / "tilknytning.yaml"
    mapping.write_text(MAPPING.replace("ark: Sager", "ark: Sagerne")
                       .replace('skema: "2019"', 'skema: "2030"'), encoding="utf-8")
    before = row_counts(project)
    with pytest.raises(ValidationError) as caught:
        import_paths(project, [export], mapping_file=mapping, actor="test")
    shown = [str(p) for p in caught.value.problems]
    assert any("Sagsoversigt.xlsx, felt 'ark': arket 'Sagerne' findes ikke" in s for s in shown)
    assert any("dagbog.csv, felt 'skema': skemaet '2030' findes ikke" in s for s in shown)
    assert row_counts(project) == before

"""Shared helpers of the ingest tests: a small synthetic export and row counts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from effektspor.store import tables as t

SAGER = (
    "sag_id;team;startdato;slutdato;afsluttet;bopæl;netværk\n"
    "S1;Familieværkstedet;2019-01-10;2019-09-30;ja;by;stærkt\n"
    "S2;Sandplay;01-02-2019;;nej;land;svagt\n"
)
NOTATER = (
    "sag_id;dato;opmærksomhedspunkt;forfatterrolle;tekst;notat_id\n"
    "S1;2019-02-01;Samvær;familiebehandler;Mor mødte op til samvær og var glad.;N1\n"
    "S1;2019-03-01;Beskrivelse af barnet;familiebehandler;\"Drengen legede roligt.\n"
    "Han spurgte efter far.\";N2\n"
    "S2;2018-05-01;Barnets personlighed;familiestøtte;Pigen er genert;N3\n"
)
BEVILLINGER = (
    "sag_id;startdato;slutdato;lovgrundlag;indsats;bevilling_id\n"
    "S1;2019-01-10;2019-09-30;SEL § 52, stk. 3, nr. 3;Familiebehandling;B1\n"
)
PERSONER = "sag_id;rolle;navn;cpr\nS1;barn;Testbarn Syntetisk;010112-1234\nS1;mor;Testmor Syntetisk;\n"


def write_export(folder: Path, *, notes: str = NOTATER, cases: str | None = SAGER,
                 documents: dict[str, str] | None = None) -> Path:
    """Write a small export in the standard layout and return its folder."""
    folder.mkdir(parents=True, exist_ok=True)
    if cases is not None:
        (folder / "sager.csv").write_text(cases, encoding="utf-8")
    (folder / "notater.csv").write_text(notes, encoding="utf-8")
    (folder / "bevillinger.csv").write_text(BEVILLINGER, encoding="utf-8")
    (folder / "personer.csv").write_text(PERSONER, encoding="utf-8")
    docs = folder / "dokumenter"
    docs.mkdir(exist_ok=True)
    for name, text in (documents if documents is not None else {
            "S1_2019-09-30_udskrivningsrapport.txt": "Udskrivning: målene er nået.",
            "S1_2019-01-15_handleplan_første plan.txt": "Mål: tryg hverdag."}).items():
        (docs / name).write_text(text, encoding="utf-8")
    return folder


def row_counts(project) -> dict[str, int]:
    """Rows per core table of the project database."""
    with project.sessions() as session:
        return {table.__tablename__: session.scalar(select(func.count()).select_from(table))
                for table in (t.Case, t.Note, t.Document, t.Grant, t.Person, t.ImportRun,
                              t.Event)}

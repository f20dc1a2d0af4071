"""Identity never comes back: re-import into a pseudonymised project, new and changed
material, and key files from runs that predate the database's own bookkeeping."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select

from effektspor.domain.errors import EffektsporError
from effektspor.privacy.vault import read_vault, write_vault
from effektspor.services.importing.imports import import_paths
from effektspor.services.privacy.project_run import pseudonymise_project
from effektspor.services.privacy.review import reidentify
from effektspor.services.privacy.vault import VaultAccess
from effektspor.store import tables as t
from effektspor.synthetic.corpus import write_export

PASSPHRASE = "hemmelig kode 2019"


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    """A small synthetic export (6 cases, persons with CPR numbers, notes, documents)."""
    folder = tmp_path_factory.mktemp("eksport") / "eksport"
    write_export(folder, seed=7, n_cases=6)
    return folder


@pytest.fixture(scope="module")
def second_export(tmp_path_factory) -> Path:
    """Other cases: new material for the same project."""
    folder = tmp_path_factory.mktemp("eksport2") / "eksport"
    write_export(folder, seed=8, n_cases=3, year=2020)
    return folder


def identifiers(export: Path) -> set[str]:
    """The full names and CPR numbers of the export's persons (what must never return)."""
    with (export / "personer.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    found = {row["navn"] for row in rows}
    found |= {row["cpr"] for row in rows if row["cpr"]}
    return found


def snapshot(project) -> dict:
    """Every stored text and person, and the row counts, of the project."""
    with project.sessions() as session:
        return {
            "notes": sorted(session.execute(select(t.Note.text, t.Note.content_hash)).all()),
            "documents": sorted(session.execute(
                select(t.Document.title, t.Document.text)).all()),
            "persons": sorted(session.execute(
                select(t.Person.name, t.Person.cpr, t.Person.content_hash)).all()),
            "grants": session.scalar(select(func.count()).select_from(t.Grant)),
            "cases": session.scalar(select(func.count()).select_from(t.Case)),
        }


def leaks(project, secrets: set[str]) -> set[str]:
    """The secrets still readable anywhere in the project's texts or persons."""
    snap = snapshot(project)
    stored = " ".join(str(value) for key in ("notes", "documents", "persons")
                      for row in snap[key] for value in row)
    return {secret for secret in secrets if secret in stored}


def test_reimport_without_the_key_file_is_refused_and_changes_nothing(project, export, tmp_path):
    import_paths(project, [export], actor="a")
    pseudonymise_project(project, actor="a", vault_path=tmp_path / "k", passphrase=PASSPHRASE)
    before = snapshot(project)
    with pytest.raises(EffektsporError, match="pseudonymiseret.*--nøglefil"):
        import_paths(project, [export], actor="a")
    with pytest.raises(EffektsporError, match="pseudonymiseret"):
        import_paths(project, [export], actor="a", dry_run=True)
    assert snapshot(project) == before


def test_reimport_with_the_key_file_adds_nothing_and_brings_no_identity_back(
        project, export, tmp_path):
    import_paths(project, [export], actor="a")
    first = pseudonymise_project(project, actor="a", vault_path=tmp_path / "k",
                                 passphrase=PASSPHRASE)
    assert first.persons == 21
    secrets = identifiers(export)
    assert leaks(project, secrets) == set()
    before = snapshot(project)
    summary = import_paths(project, [export], actor="a",
                           vault=VaultAccess(tmp_path / "k", PASSPHRASE))
    assert (summary.notes, summary.documents, summary.persons, summary.grants) == (0, 0, 0, 0)
    assert summary.duplicates == summary.rows_read - 6  # every row but the 6 case rows
    assert summary.pseudonymisation is not None and summary.pseudonymisation.notes == 0
    assert snapshot(project) == before
    # Pseudonymisation can always be run again, and converges.
    again = pseudonymise_project(project, actor="a", vault_path=tmp_path / "k",
                                 passphrase=PASSPHRASE)
    assert (again.notes, again.documents, again.persons) == (0, 0, 0)
    assert snapshot(project) == before


def test_stored_hashes_of_pseudonymised_rows_are_keyed(project, export, tmp_path):
    """With the database alone a guessed name cannot be tested against a stored hash."""
    import_paths(project, [export], actor="a")
    with project.sessions() as session:
        plain = {row.content_hash for row in session.execute(select(t.Person.content_hash))}
        plain |= {row.content_hash for row in session.execute(select(t.Note.content_hash))}
    pseudonymise_project(project, actor="a", vault_path=tmp_path / "k", passphrase=PASSPHRASE)
    with project.sessions() as session:
        stored = {row.content_hash for row in session.execute(select(t.Person.content_hash))}
        stored |= {row.content_hash for row in session.execute(select(t.Note.content_hash))}
        flags = set(session.scalars(select(t.Person.pseudonymised)))
    assert stored.isdisjoint(plain)
    assert flags == {True}


def test_new_material_is_pseudonymised_in_the_same_run(project, export, second_export, tmp_path):
    import_paths(project, [export], actor="a")
    pseudonymise_project(project, actor="a", vault_path=tmp_path / "k", passphrase=PASSPHRASE,
                         style="navne")
    summary = import_paths(project, [second_export], actor="b",
                           vault=VaultAccess(tmp_path / "k", PASSPHRASE))
    assert summary.notes > 0 and summary.persons > 0
    assert summary.pseudonymisation.notes == summary.notes
    assert summary.pseudonymisation.persons == summary.persons
    assert leaks(project, identifiers(export) | identifiers(second_export)) == set()
    with project.sessions() as session:
        assert set(session.scalars(select(t.Note.pseudonymised))) == {True}
        assert set(session.scalars(select(t.Document.pseudonymised))) == {True}
        styles = list(session.execute(select(t.Event.details).where(
            t.Event.action == "pseudonymisering")).scalars())
    assert [details["stil"] for details in styles] == ["navne", "navne"]  # same style kept
    vault = read_vault(next((tmp_path / "k").iterdir()), PASSPHRASE)
    new_names = {row for row in identifiers(second_export) if not row[0].isdigit()}
    assert new_names <= {p["name"] for p in vault.persons}


def test_import_with_key_file_into_a_new_project_never_stores_clear_text(
        project, export, tmp_path):
    summary = import_paths(project, [export], actor="a",
                           vault=VaultAccess(tmp_path / "k", PASSPHRASE))
    assert summary.pseudonymisation.persons == 21
    assert leaks(project, identifiers(export)) == set()
    entries = reidentify(project, admin="admin", vault_path=tmp_path / "k",
                         passphrase=PASSPHRASE, case="FC19-001")
    assert any("Oliver Madsen" in entry.originals for entry in entries)


def test_a_changed_note_is_pseudonymised_again(project, export, tmp_path):
    import_paths(project, [export], actor="a")
    pseudonymise_project(project, actor="a", vault_path=tmp_path / "k", passphrase=PASSPHRASE)
    changed = tmp_path / "ændret"
    changed.mkdir()
    with (export / "notater.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    first = rows[0]
    first["tekst"] += " Oliver Madsen (231112-4933) ringede bagefter."
    with (changed / "notater.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(first), delimiter=";")
        writer.writeheader()
        writer.writerow(first)
    summary = import_paths(project, [changed], actor="a",
                           vault=VaultAccess(tmp_path / "k", PASSPHRASE))
    assert summary.changed_count == 1
    assert summary.pseudonymisation.notes == 1
    assert leaks(project, {"Oliver Madsen", "231112-4933", "Oliver"}) == set()


def test_dry_run_with_key_file_reads_it_but_writes_nothing(project, export, tmp_path):
    import_paths(project, [export], actor="a")
    summary = pseudonymise_project(project, actor="a", vault_path=tmp_path / "k",
                                   passphrase=PASSPHRASE)
    key_bytes = summary.vault_path.read_bytes()
    before = snapshot(project)
    dry = import_paths(project, [export], actor="a", dry_run=True,
                       vault=VaultAccess(tmp_path / "k", PASSPHRASE))
    assert dry.notes == 0 and dry.duplicates > 0 and dry.pseudonymisation is None
    assert snapshot(project) == before
    assert summary.vault_path.read_bytes() == key_bytes


def test_persons_moved_before_the_flag_existed_are_recognised(project, export, tmp_path):
    """A project pseudonymised by an earlier version: the key file has the persons, the
    database has their pseudonyms but no flag. They are marked, not moved twice."""
    import_paths(project, [export], actor="a")
    summary = pseudonymise_project(project, actor="a", vault_path=tmp_path / "k",
                                   passphrase=PASSPHRASE)
    with project.transaction() as session:
        for person in session.scalars(select(t.Person)):
            person.pseudonymised = False
    again = pseudonymise_project(project, actor="a", vault_path=tmp_path / "k",
                                 passphrase=PASSPHRASE)
    assert again.persons == 0
    assert len(read_vault(summary.vault_path, PASSPHRASE).persons) == 21
    with project.sessions() as session:
        assert set(session.scalars(select(t.Person.pseudonymised))) == {True}


def test_key_file_entries_of_a_run_that_never_committed_are_replaced(project, export, tmp_path):
    """The key file may name persons a crashed run moved; the database still has them in
    clear, so the next run moves them again and the key file keeps one entry each."""
    import_paths(project, [export], actor="a")
    path = tmp_path / "k" / "testprojekt-2019.effektspor-noegle"
    summary = pseudonymise_project(project, actor="a", vault_path=path, passphrase=PASSPHRASE)
    vault = read_vault(summary.vault_path, PASSPHRASE)
    # Put the database back in clear, as if the run had not committed.
    originals = {entry["person_id"]: entry for entry in vault.persons}
    with project.transaction() as session:
        for person in session.scalars(select(t.Person)):
            person.name = originals[person.id]["name"]
            person.cpr = originals[person.id]["cpr"]
            person.pseudonymised = False
    write_vault(path, vault, PASSPHRASE)
    again = pseudonymise_project(project, actor="a", vault_path=path, passphrase=PASSPHRASE)
    assert again.persons == 21
    assert leaks(project, {entry["name"] for entry in vault.persons}) == set()
    persons = read_vault(path, PASSPHRASE).persons
    assert len(persons) == 21 and len({p["person_id"] for p in persons}) == 21


def test_backups_with_clear_text_go_and_pseudonymised_backups_stay(tmp_path, export):
    """After pseudonymisation, copies in the project folder that hold clear text are
    removed; a backup taken after it is kept when later material is imported."""
    from effektspor.services.project import create_project
    from effektspor.services.project.backup import create_backup

    project = create_project(tmp_path / "projekt", "Backup-test", actor="a")
    try:
        import_paths(project, [export], actor="a")
        before = create_backup(project=project, actor="a").path
        first = pseudonymise_project(project, actor="a", vault_path=tmp_path / "k",
                                     passphrase=PASSPHRASE)
        assert before in first.plaintext_cleanup.removed and not before.exists()
        after = create_backup(project=project, actor="a").path
        again = import_paths(project, [export], actor="a",
                             vault=VaultAccess(tmp_path / "k", PASSPHRASE))
        assert again.pseudonymisation.plaintext_cleanup.removed == []
        assert after.exists()
    finally:
        project.close()


def test_import_command_asks_for_the_key_file_in_a_pseudonymised_project(tmp_path, export):
    from click.testing import CliRunner

    from effektspor.cli.main import cli

    folder = tmp_path / "projekt"
    runner = CliRunner()
    environment = {"EFFEKTSPOR_NOEGLE": PASSPHRASE}
    assert runner.invoke(cli, ["opret", str(folder), "--navn", "CLI-test"]).exit_code == 0
    result = runner.invoke(cli, ["importer", str(export), "-p", str(folder), "--nøglefil",
                                 str(tmp_path / "k")], env=environment)
    assert result.exit_code == 0, result.output
    assert "Pseudonymiseret:" in result.output and "21 personer" in result.output
    refused = runner.invoke(cli, ["importer", str(export), "-p", str(folder)])
    assert refused.exit_code == 1
    assert "pseudonymiseret" in refused.output and "--nøglefil" in refused.output
    again = runner.invoke(cli, ["importer", str(export), "-p", str(folder), "--nøglefil",
                                str(tmp_path / "k")], env=environment)
    assert again.exit_code == 0, again.output
    assert "Dubletter sprunget over" in again.output
    assert not any(secret in again.output for secret in identifiers(export))


def test_caseworker_names_and_file_names_are_pseudonymised(project, tmp_path):
    export = tmp_path / "eksport"
    (export / "dokumenter").mkdir(parents=True)
    (export / "notater.csv").write_text(
        "sag_id;dato;opmærksomhedspunkt;forfatterrolle;forfatter;tekst\n"
        "S1;2019-03-01;Generelle notater;familiebehandler;Hanne Vestergaard;"
        "Hanne Vestergaard talte med mor. Hanne aftalte et nyt møde.\n", encoding="utf-8")
    (export / "dokumenter" / "S1_2019-03-02_handleplan_Handleplan for Oliver Madsen.txt"
     ).write_text("Handleplan for Oliver Madsen.", encoding="utf-8")
    import_paths(project, [export], actor="a", vault=VaultAccess(tmp_path / "k", PASSPHRASE))
    with project.sessions() as session:
        note = session.scalars(select(t.Note)).one()
        document = session.scalars(select(t.Document)).one()
    stored = " ".join([note.author, note.text, note.source_file, document.source_file,
                       document.title or "", document.text, document.external_id])
    assert "Hanne" not in stored and "Vestergaard" not in stored
    assert "Oliver" not in stored and "Madsen" not in stored
    assert note.author == "Familiebehandler"
    assert document.external_id.startswith("nøglet:")
    # The same file, changed, is still recognised by its (keyed) file name and updated.
    changed = export / "dokumenter" / "S1_2019-03-02_handleplan_Handleplan for Oliver Madsen.txt"
    changed.write_text("Handleplan for Oliver Madsen, revideret.", encoding="utf-8")
    again = import_paths(project, [export], actor="a",
                         vault=VaultAccess(tmp_path / "k", PASSPHRASE))
    assert (again.documents, again.changed_count) == (0, 1)
    with project.sessions() as session:
        document = session.scalars(select(t.Document)).one()
    assert document.text.endswith("revideret.") and "Oliver" not in document.text
    assert document.external_id.startswith("nøglet:")

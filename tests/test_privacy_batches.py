"""A project run in batches of whole cases (issue 17): the same result as one batch, each
batch committed with its key file, and a run that fails part-way goes on next time."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from tests.test_privacy_identity import identifiers, leaks

from effektspor.privacy.vault import read_vault
from effektspor.services.events import list_events
from effektspor.services.importing.imports import import_paths
from effektspor.services.privacy import project_run
from effektspor.services.privacy import vault as privacy_vault
from effektspor.services.project import create_project
from effektspor.store import tables as t
from effektspor.store.tables_privacy import PseudonymisationReview
from effektspor.synthetic.corpus import write_export

PASSPHRASE = "hemmelig kode 2019"


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    """Twelve synthetic cases (persons with CPR numbers, notes, documents)."""
    folder = tmp_path_factory.mktemp("eksport") / "eksport"
    write_export(folder, seed=11, n_cases=12)
    return folder


def _imported(folder: Path, export: Path):
    project = create_project(folder, "Testprojekt 2019", actor="test")
    import_paths(project, [export], actor="a")
    return project


def _result(project, vault_path: Path) -> dict:
    with project.sessions() as session:
        stored = {
            "notes": session.execute(select(t.Note.id, t.Note.text, t.Note.author)
                                     .order_by(t.Note.id)).all(),
            "documents": session.execute(select(t.Document.id, t.Document.title,
                                                t.Document.text, t.Document.source_file)
                                         .order_by(t.Document.id)).all(),
            "persons": session.execute(select(t.Person.id, t.Person.name, t.Person.cpr)
                                       .order_by(t.Person.id)).all(),
            "review": session.execute(select(
                PseudonymisationReview.object_type, PseudonymisationReview.object_id,
                PseudonymisationReview.start, PseudonymisationReview.end,
                PseudonymisationReview.label, PseudonymisationReview.shown_text)
                .order_by(PseudonymisationReview.id)).all(),
        }
    vault = read_vault(vault_path, PASSPHRASE)
    stored["entries"] = sorted((e.scope, e.label, e.pseudonym, tuple(e.originals), e.role)
                               for e in vault.entries)
    stored["vault_persons"] = sorted((p["person_id"], p["name"], p["pseudonym"])
                                     for p in vault.persons)
    return stored


def test_a_run_in_many_batches_equals_a_run_in_one(export, tmp_path, monkeypatch):
    writes = []
    original_write = privacy_vault.write_vault

    def counting_write(*args):
        writes.append(args[0])
        original_write(*args)

    monkeypatch.setattr(privacy_vault, "write_vault", counting_write)
    results, summaries = [], []
    for name, batch_texts in (("en", 10**9), ("mange", 1)):
        project = _imported(tmp_path / name, export)
        writes.clear()
        summary = project_run.pseudonymise_project(project, actor="a", vault_path=tmp_path / f"k-{name}",
                                          passphrase=PASSPHRASE, batch_texts=batch_texts)
        summaries.append((summary.cases, summary.notes, summary.documents, summary.persons,
                          summary.replacements, summary.review_items))
        results.append(_result(project, summary.vault_path))
        assert len(writes) == (1 if batch_texts > 1 else 12)
        project.close()
    assert summaries[0] == summaries[1]
    assert summaries[0][1] > 100 and summaries[0][3] > 12
    for key in results[0]:
        assert results[0][key] == results[1][key], key


def test_a_run_failing_in_a_later_batch_keeps_the_earlier_ones_and_goes_on(export, tmp_path):
    project = _imported(tmp_path / "p", export)
    secrets = identifiers(export)

    def fail(done, total):
        if done == total - 1:
            raise RuntimeError("strømmen gik")

    with pytest.raises(RuntimeError):
        project_run.pseudonymise_project(project, actor="a", vault_path=tmp_path / "k",
                                passphrase=PASSPHRASE, progress=fail, batch_texts=1)
    with project.sessions() as session:
        flags = list(session.scalars(select(t.Note.pseudonymised)))
        moved = session.execute(select(t.Person.id, t.Person.name)
                                .where(t.Person.pseudonymised.is_(True))).all()
        assert list_events(session, project_id=project.project_id,
                           action="pseudonymisering") == []
    assert any(flags) and not all(flags)  # earlier batches committed, the last one not
    path = privacy_vault.vault_file(project, tmp_path / "k")
    vault = read_vault(path, PASSPHRASE)
    in_vault = {p["person_id"]: p["pseudonym"] for p in vault.persons}
    assert moved and all(in_vault[person_id] == name for person_id, name in moved)
    assert leaks(project, secrets)  # the failed batch is still in clear ...
    again = project_run.pseudonymise_project(project, actor="a", vault_path=tmp_path / "k",
                                    passphrase=PASSPHRASE, batch_texts=1)
    assert again.notes == flags.count(False)
    assert leaks(project, secrets) == set()  # ... until the next run
    persons = read_vault(path, PASSPHRASE).persons
    with project.sessions() as session:
        assert len(persons) == len(set(session.scalars(select(t.Person.id))))
    project.close()

"""Pseudonymising a whole project: consistency, persons moved to the vault, atomicity, logs."""

from datetime import date

import pytest
from sqlalchemy import select

from effektspor.domain.errors import EffektsporError
from effektspor.domain.text import content_hash
from effektspor.privacy.vault import WrongPassphrase, read_vault
from effektspor.services.events import list_events
from effektspor.services.privacy.project_run import pseudonymise_project
from effektspor.services.privacy.review import reidentify, review_list
from effektspor.store import tables as t
from effektspor.store.tables_privacy import PseudonymisationReview

PASSPHRASE = "hemmelig kode 2019"

NOTES = {
    "S1": ["Mor (Jannie Holm) kom med Freja. Freja græd, og Jannie trøstede hende.",
           "Frejas far, Kim Sørensen, ringede fra 28 45 91 07. Kim vil have mere samvær.",
           "Freja er startet på Vestervangsskolen. Familien bor på Tulipanvej 14, 8900 Randers C."],
    "S2": ["Ibrahim Hassan er morbror. Han kan træffes på 40 11 23 98.",
           "Liv græd da vi kom. Mor fortalte at Liv havde sovet dårligt."],
}
PERSONS = {"S1": [("barn", "Freja Holm", "150318-4127"), ("mor", "Jannie Holm", None),
                  ("far", "Kim Sørensen", None)],
           "S2": [("barn", "Liv Hassan", "0207154321")]}


def _fill(project):
    with project.transaction() as session:
        point = session.scalar(select(t.AttentionPoint.id).limit(1))
        for external_id, texts in NOTES.items():
            case = t.Case(project_id=project.project_id, external_id=external_id)
            session.add(case)
            session.flush()
            for number, text in enumerate(texts):
                session.add(t.Note(case_id=case.id, note_date=date(2019, 3, number + 1),
                                   attention_point_id=point, text=text,
                                   content_hash=content_hash(external_id, str(number), text)))
            for role, name, cpr in PERSONS[external_id]:
                session.add(t.Person(case_id=case.id, role=role, name=name, cpr=cpr,
                                     content_hash=content_hash(external_id, role, name)))
        s1 = session.scalar(select(t.Case.id).where(t.Case.external_id == "S1"))
        session.add(t.Document(case_id=s1, doc_type="udskrivningsrapport",
                               title="Udskrivningsrapport for Freja Holm",
                               text="Freja Holm (cpr 150318-4127) afsluttes. Mor er enig.",
                               content_hash="d1"))


def _texts(project):
    with project.sessions() as session:
        notes = {n.id: (n.text, n.pseudonymised) for n in session.scalars(select(t.Note))}
        docs = {d.id: (d.title, d.text, d.pseudonymised) for d in session.scalars(select(t.Document))}
        persons = {p.id: (p.name, p.cpr) for p in session.scalars(select(t.Person))}
    return notes, docs, persons


def test_project_is_pseudonymised_consistently(project, tmp_path):
    _fill(project)
    seen = []
    summary = pseudonymise_project(project, actor="analytiker", vault_path=tmp_path / "nøgler",
                                   passphrase=PASSPHRASE,
                                   progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (6, 6)
    assert (summary.notes, summary.documents, summary.persons) == (5, 1, 4)
    notes, docs, persons = _texts(project)
    all_text = " ".join(text for text, _ in notes.values())
    all_text += " ".join(title + " " + text for title, text, _ in docs.values())
    for secret in ["Freja", "Jannie", "Holm", "Kim", "Sørensen", "28 45 91 07", "Ibrahim",
                   "Hassan", "Vestervangsskolen", "Tulipanvej", "150318-4127", "Liv "]:
        assert secret not in all_text
    assert all(flag for _, flag in notes.values())
    texts = [text for text, _ in notes.values()]
    assert texts[0] == "Mor (Mor) kom med Barn 1. Barn 1 græd, og Mor trøstede hende."
    assert texts[1].startswith("Barn 1's far, Far, ringede fra [telefon 1]. Far vil")
    assert "Barn 1 græd" in texts[4] and "at Barn 1 havde" in texts[4]
    assert sorted(persons.values()) == [("Barn 1", None), ("Barn 1", None), ("Far", None),
                                        ("Mor", None)]
    vault = read_vault(summary.vault_path, PASSPHRASE)
    assert {"Freja Holm", "Freja", "Frejas"} <= set(vault.lookup("Barn 1", "S1")[0].originals)
    assert vault.originals == {}
    assert {p["cpr"] for p in vault.persons} == {"150318-4127", None, "0207154321"}
    with project.sessions() as session:
        stored = [str(row) for row in session.execute(select(
            PseudonymisationReview.shown_text, PseudonymisationReview.replaced))]
        stored += [str(e.details) for e in list_events(session, project_id=project.project_id)]
    for secret in ["Freja", "Jannie", "Sørensen", "150318", "Hassan", "Tulipanvej"]:
        assert not any(secret in row for row in stored)
    assert all(item.run_id == review_list(project)[0].run_id for item in review_list(project))


def test_keep_originals_encrypted_on_request(project, tmp_path):
    _fill(project)
    summary = pseudonymise_project(project, actor="a", vault_path=tmp_path / "k",
                                   passphrase=PASSPHRASE, keep_originals=True, style="navne")
    vault = read_vault(summary.vault_path, PASSPHRASE)
    assert any("Jannie Holm" in text for text in vault.originals.values())
    notes, _, _ = _texts(project)
    assert "Barn 1" not in " ".join(text for text, _ in notes.values())


def test_failed_run_leaves_project_and_vault_unchanged(project, tmp_path):
    _fill(project)
    before = _texts(project)

    def fail(done, total):
        if done == 3:
            raise RuntimeError("strømmen gik")

    with pytest.raises(RuntimeError):
        pseudonymise_project(project, actor="a", vault_path=tmp_path / "k",
                             passphrase=PASSPHRASE, progress=fail)
    assert _texts(project) == before
    assert not any((tmp_path / "k").glob("*")) if (tmp_path / "k").exists() else True
    with project.sessions() as session:
        assert list_events(session, project_id=project.project_id,
                           action="pseudonymisering") == []


def test_second_run_reuses_the_vault_and_skips_done_notes(project, tmp_path):
    _fill(project)
    first = pseudonymise_project(project, actor="a", vault_path=tmp_path / "k",
                                 passphrase=PASSPHRASE)
    with project.transaction() as session:
        case = session.scalar(select(t.Case).where(t.Case.external_id == "S1"))
        point = session.scalar(select(t.AttentionPoint.id).limit(1))
        session.add(t.Note(case_id=case.id, note_date=date(2019, 5, 1), attention_point_id=point,
                           text="Freja og Jannie kom sammen.", content_hash="ny"))
    with pytest.raises(WrongPassphrase):
        pseudonymise_project(project, actor="a", vault_path=tmp_path / "k",
                             passphrase="forkert kode!")
    second = pseudonymise_project(project, actor="a", vault_path=tmp_path / "k",
                                  passphrase=PASSPHRASE)
    assert (second.notes, second.vault_path) == (1, first.vault_path)
    notes, _, _ = _texts(project)
    assert "Barn 1 og Mor kom sammen." in [text for text, _ in notes.values()]


def test_vault_next_to_the_database_is_refused(project):
    with pytest.raises(EffektsporError, match="må ikke ligge i projektmappen"):
        pseudonymise_project(project, actor="a", vault_path=project.folder / "n.noegle",
                             passphrase=PASSPHRASE)


def test_reidentification_is_logged_and_wrong_passphrase_too(project, tmp_path):
    _fill(project)
    pseudonymise_project(project, actor="a", vault_path=tmp_path / "k", passphrase=PASSPHRASE)
    entries = reidentify(project, admin="Admin Hansen", vault_path=tmp_path / "k",
                         passphrase=PASSPHRASE, pseudonym="Mor", case="S1")
    assert entries[0].originals[-1] == "Jannie Holm" or "Jannie Holm" in entries[0].originals
    with pytest.raises(WrongPassphrase):
        reidentify(project, admin="Ukendt", vault_path=tmp_path / "k", passphrase="gæt gæt gæt")
    with project.sessions() as session:
        done = list_events(session, project_id=project.project_id, action="genidentifikation")
        refused = list_events(session, project_id=project.project_id,
                              action="genidentifikation_afvist")
    assert done[0].actor == "Admin Hansen"
    assert done[0].details["pseudonym"] == "Mor" and done[0].details["antal"] == 1
    assert "Jannie" not in str(done[0].details)
    assert refused[0].actor == "Ukendt"

"""No crash window: the process is killed (SIGKILL) at each step of a pseudonymisation
run, and of an import that pseudonymises; the next run must leave the database without
any original identifier and the key file able to re-identify every person."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.test_privacy_identity import identifiers, leaks, snapshot

import effektspor
from effektspor.privacy.vault import read_vault
from effektspor.services.importing.imports import import_paths
from effektspor.services.privacy.project_run import pseudonymise_project
from effektspor.services.privacy.vault import VaultAccess
from effektspor.store import tables as t
from effektspor.store.tables_followup import Goal
from effektspor.synthetic.corpus import write_export

PASSPHRASE = "hemmelig kode 2019"

#: Runs the use case in a child process and kills it with SIGKILL at the named step.
CHILD = textwrap.dedent('''
    import os, signal, sys
    from pathlib import Path
    from effektspor.services import project as projects
    from effektspor.services.privacy import project_run, vault as ps
    from effektspor.services.importing import imports as importing

    folder, vault, step, export, secret = (Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3],
                                           sys.argv[4], sys.argv[5])

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    progress = None
    if step == "midt_i_kørslen":
        progress = lambda done, total: die() if done == total // 2 else None
    original_write = ps.write_vault
    if step == "før_nøglefilen":
        ps.write_vault = lambda *args: die()
    if step in ("efter_nøglefilen", "import_efter_nøglefilen"):
        def write_then_die(*args):
            original_write(*args)
            die()
        ps.write_vault = write_then_die
    with projects.open_project(folder) as project:
        if step.startswith("import"):
            importing.import_paths(project, [Path(export)], actor="a",
                                   vault=ps.VaultAccess(vault, secret))
        else:
            project_run.pseudonymise_project(project, actor="a", vault_path=vault,
                                    passphrase=secret, progress=progress)
        if step == "efter_commit":
            die()
    print("ikke dræbt")
''')


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("eksport") / "eksport"
    write_export(folder, seed=11, n_cases=5)
    return folder


def run_and_kill(project, vault: Path, step: str, export: Path, tmp_path: Path) -> None:
    script = tmp_path / "barn.py"
    script.write_text(CHILD, encoding="utf-8")
    source = str(Path(effektspor.__file__).resolve().parents[1])
    environment = {**os.environ, "PYTHONPATH": source}
    done = subprocess.run([sys.executable, str(script), str(project.folder), str(vault), step,
                           str(export), PASSPHRASE], env=environment, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == -9, done.stderr[-2000:]


def goals_naming_the_persons(project) -> None:
    """A follow-up goal per case in clear (pending) naming its persons and CPR numbers."""
    with project.transaction() as session:
        people: dict[int, list[str]] = {}
        for case_id, name, cpr in session.execute(select(t.Person.case_id, t.Person.name,
                                                         t.Person.cpr)):
            people.setdefault(case_id, []).extend([name] + ([cpr] if cpr else []))
        for case_id, words in people.items():
            session.add(Goal(project_id=project.project_id, case_id=case_id,
                             life_area="Netværk", kind="progression", priority=1,
                             text="Aftalt med " + ", ".join(words), status="aktiv",
                             version=1, created_by="a", made_with=[]))


def assert_consistent(project, vault: Path, secrets: set[str]) -> None:
    """No secret in the database; every person's pseudonym resolves in the key file."""
    assert leaks(project, secrets) == set()
    contents = read_vault(vault, PASSPHRASE)
    by_id = {entry["person_id"]: entry for entry in contents.persons}
    with project.sessions() as session:
        persons = session.execute(select(t.Person.id, t.Person.name, t.Person.cpr,
                                         t.Person.pseudonymised)).all()
        notes = set(session.scalars(select(t.Note.pseudonymised)))
        goals = session.execute(select(Goal.text, Goal.pseudonymised)).all()
    assert persons and notes == {True}
    assert all(flag for _, flag in goals)
    assert not [s for s in secrets if any(s in text for text, _ in goals)]
    for person_id, name, cpr, flag in persons:
        assert flag and cpr is None
        assert by_id[person_id]["pseudonym"] == name
    originals = {by_id[p[0]]["name"] for p in persons} | {
        by_id[p[0]]["cpr"] for p in persons if by_id[p[0]]["cpr"]}
    assert originals == secrets
    if project.database_url.startswith("sqlite"):  # and no byte of the folder (WAL, free pages) either
        for path in (p for p in project.folder.rglob("*") if p.is_file()):
            data = path.read_bytes()
            assert not [s for s in secrets if s.encode("utf-8") in data], path.name


@pytest.mark.parametrize("step", ["midt_i_kørslen", "før_nøglefilen", "efter_nøglefilen",
                                  "efter_commit"])
def test_killed_pseudonymisation_converges_on_the_next_run(project, export, tmp_path, step):
    import_paths(project, [export], actor="a")
    goals_naming_the_persons(project)
    vault = tmp_path / "nøgle" / "projekt.effektspor-noegle"
    run_and_kill(project, vault, step, export, tmp_path)
    secrets = identifiers(export)
    if step != "efter_commit":
        assert leaks(project, secrets) == secrets  # rolled back: nothing was committed
    pseudonymise_project(project, actor="a", vault_path=vault, passphrase=PASSPHRASE)
    assert_consistent(project, vault, secrets)
    before = snapshot(project)
    third = pseudonymise_project(project, actor="a", vault_path=vault, passphrase=PASSPHRASE)
    assert (third.notes, third.documents, third.persons, third.follow_up_rows) == (0, 0, 0, 0)
    assert snapshot(project) == before


def test_killed_import_with_key_file_converges(project, export, tmp_path):
    vault = tmp_path / "nøgle" / "projekt.effektspor-noegle"
    run_and_kill(project, vault, "import_efter_nøglefilen", export, tmp_path)
    assert snapshot(project)["notes"] == []  # the import was rolled back whole
    summary = import_paths(project, [export], actor="a", vault=VaultAccess(vault, PASSPHRASE))
    assert summary.persons == summary.pseudonymisation.persons > 0
    assert_consistent(project, vault, identifiers(export))

"""The constructors of the accounts, cases, project, import, backup, demo and privacy events keep
the payloads these events were logged with before the vocabulary (so older logs and
newer ones read alike). Pure: no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from effektspor.domain import events

CASES = [
    (events.project_created(project_id=3, name="Familiecentret 2019"),
     ("projekt_oprettet", "projekt", 3, {"navn": "Familiecentret 2019"})),
    (events.import_done(run_id=7, counts={"cases_created": 2, "notes": 5}),
     ("import", "importkørsel", 7, {"cases_created": 2, "notes": 5})),
    (events.backup_made(file="/k/a.sqlite", revisions=["0007"], counts={"sager": 4}),
     ("sikkerhedskopi", "database", None, {"fil": "/k/a.sqlite", "skema": ["0007"],
                                           "sager": 4})),
    (events.backup_restored(file="/k/a.sqlite", revisions=["0007"], undo_copy=None),
     ("gendannelse", "database", None, {"fil": "/k/a.sqlite", "skema_i_kopien": ["0007"],
                                        "fortrydelseskopi": None})),
    (events.demo_run(folder="/d", seed=2019, steps=["Importerer"]),
     ("demo_koert", "demo", "/d", {"frø": 2019, "trin": ["Importerer"]})),
    (events.user_created(user_id=1, username="anna", role="koder", case_text=False),
     ("bruger_oprettet", "bruger", 1, {"brugernavn": "anna", "rolle": "koder",
                                       "sagstekst": False})),
    (events.user_active_changed(user_id=1, username="anna", active=False),
     ("bruger_deaktiveret", "bruger", 1, {"brugernavn": "anna"})),
    (events.user_active_changed(user_id=1, username="anna", active=True),
     ("bruger_aktiveret", "bruger", 1, {"brugernavn": "anna"})),
    (events.case_text_grant_changed(user_id=2, username="lis", granted=True),
     ("sagstekst_tildelt", "bruger", 2, {"brugernavn": "lis"})),
    (events.case_text_grant_changed(user_id=2, username="lis", granted=False),
     ("sagstekst_frataget", "bruger", 2, {"brugernavn": "lis"})),
    (events.login_succeeded(user_id=1, ip="10.0.0.1"),
     ("login", "bruger", 1, {"ip": "10.0.0.1"})),
    (events.login_refused(ip="10.0.0.1"), ("login_afvist", None, None, {"ip": "10.0.0.1"})),
    (events.login_blocked(ip="10.0.0.1"), ("login_spaerret", None, None, {"ip": "10.0.0.1"})),
    (events.logged_out(user_id=1), ("logud", "bruger", 1, {})),
    (events.case_viewed(case_id=9, case_number="S-1", role="koder", page=2),
     ("sag_vist", "sag", 9, {"sagsnummer": "S-1", "rolle": "koder", "side": 2})),
    (events.case_sheet_viewed(case_id=9, case_number="S-1", role="leder"),
     ("sag_vist", "sag", 9, {"sagsnummer": "S-1", "rolle": "leder",
                              "visning": "klassifikation"})),
    (events.pseudonymisation_done(run_id=4, summary={"sager": 2, "notater": 7}, style="roller",
                                  threshold=0.5, vault_id="v1", originals_kept=False),
     ("pseudonymisering", "pseudonymiseringskørsel", 4,
      {"sager": 2, "notater": 7, "stil": "roller", "tærskel": 0.5, "nøglefil_id": "v1",
       "originaler_gemt": False})),
    (events.reidentified(admin="ad", pseudonym="Person 1", case="S-1", vault_id="v1", found=1),
     ("genidentifikation", "nøglefil", "v1",
      {"administrator": "ad", "pseudonym": "Person 1", "sag": "S-1", "antal": 1})),
    (events.reidentification_refused(admin="ad", pseudonym="Person 1", case=None,
                                     vault_file="p.effektspor-noegle", reason="forkert",
                                     error_type="WrongPassphrase"),
     ("genidentifikation_afvist", "nøglefil", None,
      {"administrator": "ad", "pseudonym": "Person 1", "sag": None,
       "nøglefil": "p.effektspor-noegle", "årsag": "forkert", "fejltype": "WrongPassphrase"})),
]


@pytest.mark.parametrize(("entry", "expected"), CASES, ids=[e.action.value + str(i)
                                                            for i, (e, _) in enumerate(CASES)])
def test_constructor_fixes_the_payload(entry: events.LogEntry, expected: tuple):
    assert (entry.action.value, entry.object_type, entry.object_id, dict(entry.details)) == \
        expected


def test_every_area_action_has_a_constructor():
    made = {entry.action for entry, _ in CASES}
    area = {events.EventAction[name] for name in (
        "PROJECT_CREATED", "IMPORT", "BACKUP", "RESTORE", "DEMO_RUN", "USER_CREATED",
        "USER_ACTIVATED", "USER_DEACTIVATED", "CASE_TEXT_GRANTED", "CASE_TEXT_REVOKED",
        "LOGIN", "LOGIN_REFUSED", "LOGIN_BLOCKED", "LOGOUT", "CASE_VIEWED",
        "PSEUDONYMISATION", "REIDENTIFICATION", "REIDENTIFICATION_REFUSED")}
    assert made == area


def test_every_declared_action_is_built_by_a_constructor():
    """No area builds a payload itself: each action appears in a constructor of
    ``domain/events.py`` (as ``EventAction.NAME``)."""
    source = Path(events.__file__).read_text(encoding="utf-8")
    body = source[source.index("class LogEntry"):]
    missing = [a.name for a in events.EventAction if f"EventAction.{a.name}" not in body]
    assert missing == []

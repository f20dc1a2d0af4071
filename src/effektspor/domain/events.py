"""The event log's vocabulary: every action effektspor logs, and what each event records.

``EventAction`` declares every action; its values are the strings stored in the
``events`` table since the first version (mixed spelling included: they are kept so
that existing logs stay readable). Nothing may log an action that is not declared here
(``services.events`` refuses it, and a test scans the source for literal actions).

Every area builds its events here, so that every front end logs the same payload for
the same event: one function per event, keyword-only, returning a :class:`LogEntry`, in
one section per area.
The log never holds case text: a coding's quote is read from the note again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class EventAction(StrEnum):
    """Every action in the event log (value: the string stored in the database)."""

    # project, import, backup, demo
    PROJECT_CREATED = "projekt_oprettet"
    IMPORT = "import"
    BACKUP = "sikkerhedskopi"
    RESTORE = "gendannelse"
    DEMO_RUN = "demo_koert"
    # privacy
    PSEUDONYMISATION = "pseudonymisering"
    REIDENTIFICATION = "genidentifikation"
    REIDENTIFICATION_REFUSED = "genidentifikation_afvist"
    # accounts and sessions
    USER_CREATED = "bruger_oprettet"
    USER_ACTIVATED = "bruger_aktiveret"
    USER_DEACTIVATED = "bruger_deaktiveret"
    CASE_TEXT_GRANTED = "sagstekst_tildelt"
    CASE_TEXT_REVOKED = "sagstekst_frataget"
    LOGIN = "login"
    LOGIN_REFUSED = "login_afvist"
    LOGIN_BLOCKED = "login_spaerret"
    LOGOUT = "logud"
    # cases
    CASE_VIEWED = "sag_vist"
    # coding
    CODEBOOK_STORED = "kodebog_indlæst"
    AUTOCODING = "autokodning"
    CODING_ADDED = "kodning_tilføjet"
    CODING_REMOVED = "kodning_fjernet"
    CODING_ADDITION_UNDONE = "kodning_fortrudt"
    CODING_RESTORED = "kodning_gendannet"
    CODING_MEMO_CHANGED = "kodning_memo_ændret"
    SUGGESTION_MODEL_TRAINED = "forslagsmodel_trænet"
    SUGGESTIONS_MADE = "forslag_lavet"
    SUGGESTIONS_VIEWED = "forslag_vist"
    SUGGESTION_ACCEPTED = "forslag_accepteret"
    SUGGESTION_REJECTED = "forslag_afvist"  # also a rejected classification suggestion
    REFI_EXPORT = "refi_eksport"
    REFI_IMPORT = "refi_import"
    # classification
    VARIABLES_CREATED = "variabler_oprettet"
    VARIABLES_DEFINED = "variabler_defineret"
    CLASSIFICATION_SET = "klassifikation_sat"
    CLASSIFICATIONS_IMPORTED = "klassifikationer_importeret"
    CLASSIFICATIONS_SUGGESTED = "klassifikationer_foreslaaet"
    SUGGESTION_CONFIRMED = "forslag_bekraeftet"
    # re-coding and agreement
    RECODING_DRAWN = "rekodning_udtrukket"
    RECODING_EXPORTED = "rekodning_eksporteret"
    RECODING_IMPORTED = "rekodning_indlaest"
    RECODING_SAVED = "rekodning_gemt"
    DISAGREEMENT_RESOLVED = "uenighed_afgjort"
    CHARACTER_AGREEMENT_COMPUTED = "tegnenighed_beregnet"
    # analysis and reports
    QUOTES_VIEWED = "analyse_citater_vist"
    REPORT_DOWNLOADED = "rapport_hentet"
    REPORT_WRITTEN = "rapport_skrevet"
    YEARLY_REPORT_WRITTEN = "aarsrapport_skrevet"
    # the daily follow-up (issue 13)
    MEASURE_CREATED = "indsats_oprettet"
    GOAL_CREATED = "mål_oprettet"
    GOAL_REVISED = "mål_revideret"
    MEASUREMENT_RECORDED = "måling_registreret"
    FOLLOW_UP_RECORDED = "opfølgning_registreret"
    FOLLOW_UP_CASE_VIEWED = "opfølgning_sag_vist"
    DUE_LIST_VIEWED = "frister_vist"
    INSTRUMENT_ADDED = "instrument_tilføjet"


class UndeclaredAction(ValueError):
    """Code tried to log an action that ``EventAction`` does not declare (a bug)."""


def declared_action(action: str) -> EventAction:
    """``action`` as an :class:`EventAction`; :class:`UndeclaredAction` if not declared."""
    try:
        return EventAction(action)
    except ValueError:
        raise UndeclaredAction(
            f"Handlingen {action!r} er ikke erklæret i effektspor.domain.events.EventAction."
        ) from None


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One event as it is written: action, the object it is about, and its payload."""

    action: EventAction
    object_type: str | None = None
    object_id: object = None
    details: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "action", declared_action(self.action))


# -- the coding area's events ----------------------------------------------------------

CODING = "kodning"
REMOVAL = "sletning"
CODEBOOK = "kodebog"
SUGGESTION = "forslag"
SUGGESTION_MODEL = "forslagsmodel"


class CodingFacts(Protocol):
    """What a removal event keeps of a coding (a stored coding row has these)."""

    id: int
    note_id: int | None
    code_key: str
    start: int
    end: int
    coder: str
    memo: str | None
    rule_id: str | None
    codebook_id: int | None
    codebook_version: str | None
    suggestion_id: int | None


def coding_added(*, coding_id: int, note_id: int, code: str, start: int,
                 end: int) -> LogEntry:
    """A person coded the passage ``start``–``end`` of a note."""
    return LogEntry(EventAction.CODING_ADDED, CODING, coding_id,
                    {"notat": note_id, "kode": code, "start": start, "slut": end})


def coding_removed(coding: CodingFacts, *, undoing_addition: bool = False) -> LogEntry:
    """A coding was removed (or its addition undone). The event keeps the whole coding
    except its quote, so that :func:`removed_coding` can bring it back."""
    action = (EventAction.CODING_ADDITION_UNDONE if undoing_addition
              else EventAction.CODING_REMOVED)
    return LogEntry(action, CODING, coding.id, {
        "notat": coding.note_id, "kode": coding.code_key, "start": coding.start,
        "slut": coding.end, "koder": coding.coder, "memo": coding.memo,
        "regel": coding.rule_id, "kodebog_id": coding.codebook_id,
        "kodebogsversion": coding.codebook_version, "forslag": coding.suggestion_id})


def coding_restored(*, removal_event_id: int, coding_id: int, previous_id: object,
                    note_id: int, code: str, coder: str) -> LogEntry:
    """A removed coding came back (under a new id) by undoing its removal event."""
    return LogEntry(EventAction.CODING_RESTORED, REMOVAL, removal_event_id,
                    {"kodning": coding_id, "tidligere_id": previous_id, "notat": note_id,
                     "kode": code, "koder": coder})


def coding_memo_changed(*, coding_id: int, note_id: int | None, before: str | None,
                        after: str | None) -> LogEntry:
    """A coding's memo changed from ``before`` to ``after``."""
    return LogEntry(EventAction.CODING_MEMO_CHANGED, CODING, coding_id,
                    {"notat": note_id, "før": before, "efter": after})


def codebook_stored(*, codebook_id: int, name: str, version: str) -> LogEntry:
    """A codebook version was stored in the project."""
    return LogEntry(EventAction.CODEBOOK_STORED, CODEBOOK, codebook_id,
                    {"navn": name, "version": version})


def autocoding_done(*, codebook_id: int, version: str, notes: int, codings: int,
                    removed: int) -> LogEntry:
    """The project was auto-coded; ``removed`` earlier machine codings were replaced."""
    return LogEntry(EventAction.AUTOCODING, CODEBOOK, codebook_id,
                    {"version": version, "noter": notes, "kodninger": codings,
                     "fjernet": removed})


def suggestion_model_trained(*, model_id: int, notes: int, codes: list[str]) -> LogEntry:
    """A suggestion model was trained on ``notes`` notes for ``codes``."""
    return LogEntry(EventAction.SUGGESTION_MODEL_TRAINED, SUGGESTION_MODEL, model_id,
                    {"notater": notes, "koder": list(codes)})


def suggestions_made(*, model_id: int, count: int, threshold: float) -> LogEntry:
    """The model proposed ``count`` new suggestions at ``threshold``."""
    return LogEntry(EventAction.SUGGESTIONS_MADE, SUGGESTION_MODEL, model_id,
                    {"antal": count, "tærskel": threshold})


def suggestions_viewed(*, count: int, page: int, code: str | None,
                       case: str | None) -> LogEntry:
    """A page of open suggestions (with sentences of case text) was shown."""
    return LogEntry(EventAction.SUGGESTIONS_VIEWED, SUGGESTION, None,
                    {"antal": count, "side": page, "kode": code, "sag": case})


def suggestion_decided(*, suggestion_id: int, accepted: bool, code: str, note_id: int,
                       reason: str | None = None) -> LogEntry:
    """A person accepted or rejected a machine suggestion (``reason`` on rejection)."""
    details: dict[str, object] = {"kode": code, "notat": note_id}
    if reason:
        details["begrundelse"] = reason
    action = EventAction.SUGGESTION_ACCEPTED if accepted else EventAction.SUGGESTION_REJECTED
    return LogEntry(action, SUGGESTION, suggestion_id, details)


def refi_exported(*, file_name: str, codings: int) -> LogEntry:
    """The project's notes and codings were exported as REFI-QDA."""
    return LogEntry(EventAction.REFI_EXPORT, details={"fil": file_name, "kodninger": codings})


def refi_imported(*, file_name: str, imported: int, already_present: int,
                  unmatched: int) -> LogEntry:
    """Codings were imported from a REFI-QDA project."""
    return LogEntry(EventAction.REFI_IMPORT, details={
        "fil": file_name, "importeret": imported, "fandtes": already_present,
        "uden_notat": unmatched})


# -- the classification area's events --------------------------------------------------

VARIABLE = "variabel"
CASE = "sag"
FILE = "fil"
PROJECT = "projekt"


def variables_created(*, names: list[str]) -> LogEntry:
    """The standard variables ``names`` were created on first use."""
    return LogEntry(EventAction.VARIABLES_CREATED, VARIABLE, None,
                    {"variabler": list(names), "standard": True})


def variables_defined(*, file_name: str, names: list[str]) -> LogEntry:
    """The municipality's own variables ``names`` were declared (or updated) from a file."""
    return LogEntry(EventAction.VARIABLES_DEFINED, VARIABLE, None,
                    {"fil": file_name, "variabler": list(names)})


def classification_set(*, case_external_id: str, variable: str, before: str | None,
                       after: str, coder: str, reason: str | None = None) -> LogEntry:
    """A person set a case's value of a variable (``before`` None if it had none)."""
    details: dict[str, object] = {"variabel": variable, "før": before, "efter": after,
                                  "koder": coder}
    if reason:
        details["begrundelse"] = reason
    return LogEntry(EventAction.CLASSIFICATION_SET, CASE, case_external_id, details)


def classifications_imported(*, file_name: str, coder: str, rows: int,
                             changes: list[list]) -> LogEntry:
    """Values were imported from a file; ``changes`` as [[sag, variabel, før, efter], ...]."""
    return LogEntry(EventAction.CLASSIFICATIONS_IMPORTED, FILE, file_name,
                    {"koder": coder, "rækker": rows, "ændringer": [list(c) for c in changes]})


def classifications_suggested(*, project_id: int, suggestions: list[list]) -> LogEntry:
    """Values were suggested from the documents, as [[sag, variabel, værdi], ...]."""
    return LogEntry(EventAction.CLASSIFICATIONS_SUGGESTED, PROJECT, project_id,
                    {"forslag": [list(s) for s in suggestions]})


def classification_suggestions_decided(*, decided: list[list], rejected: bool,
                                       case_external_id: str | None = None,
                                       project_id: int | None = None,
                                       reason: str | None = None) -> LogEntry:
    """Suggested values were confirmed (or rejected), as [[sag, variabel, værdi], ...]:
    on one case's sheet (``case_external_id``) or in bulk in the project (``project_id``).
    """
    details: dict[str, object] = {"forslag": [list(d) for d in decided]}
    if reason:
        details["begrundelse"] = reason
    action = EventAction.SUGGESTION_REJECTED if rejected else EventAction.SUGGESTION_CONFIRMED
    if case_external_id is not None:
        return LogEntry(action, CASE, case_external_id, details)
    return LogEntry(action, PROJECT, project_id, details)


# -- the analysis and reports areas' events ---------------------------------------------

ANALYSIS = "analyse"
REPORT = "rapport"


def crosstab_quotes_viewed(*, table: str, row: str, col: str, role: str,
                           cases: list[str]) -> LogEntry:
    """Quotes (case text) behind a number of a crosstab were shown to a case reader."""
    return LogEntry(EventAction.QUOTES_VIEWED, ANALYSIS, None,
                    {"tabel": table, "række": row, "kolonne": col, "rolle": role,
                     "sager": list(cases)})


def configuration_quotes_viewed(*, outcome: str, conditions: list[str], configuration: str,
                                role: str, cases: list[str]) -> LogEntry:
    """Quotes (case text) behind a configuration of a truth table were shown."""
    return LogEntry(EventAction.QUOTES_VIEWED, ANALYSIS, None,
                    {"udfald": outcome, "betingelser": list(conditions),
                     "konfiguration": configuration, "rolle": role, "sager": list(cases)})


def report_downloaded(*, report: str, fmt: str, filename: str, role: str,
                      seconds: float) -> LogEntry:
    """A report was generated and downloaded in the web app."""
    return LogEntry(EventAction.REPORT_DOWNLOADED, REPORT, report,
                    {"format": fmt, "filnavn": filename, "rolle": role,
                     "sekunder": round(seconds, 2)})


def report_written(*, report: str, formats: list[str], cases: int, closed_year: int | None,
                   files: list[str]) -> LogEntry:
    """The documentation analysis was written as a report (``files``: the paths)."""
    return LogEntry(EventAction.REPORT_WRITTEN, REPORT, report,
                    {"formater": list(formats), "sager": cases, "afslutningsår": closed_year,
                     "filer": list(files)})


def yearly_report_written(*, report: str, files: list[str], pixi: bool, threshold: int,
                          tables: int) -> LogEntry:
    """The yearly report (or its pixi edition) was written (``files``: the file names)."""
    return LogEntry(EventAction.YEARLY_REPORT_WRITTEN, REPORT, report,
                    {"filer": list(files), "pixi": pixi, "grænse": threshold,
                     "tabeller": tables})


# -- the recoding area's events --------------------------------------------------------

RECODING_ROUND = "rekodning"


def recoding_drawn(*, round_id: int, coder: str, seed: int, teams: list[str], n_random: int,
                   cases: list[str], variables: list[str],
                   left_out: list[str] | None = None) -> LogEntry:
    """A recoding round was drawn for ``coder``; ``left_out`` are the cases the coder gave
    their first value (never in the sample)."""
    details: dict[str, object] = {"koder": coder, "frø": seed, "teams": list(teams),
                                  "tilfældige": n_random, "sager": list(cases),
                                  "variable": list(variables)}
    if left_out:
        details["udeladt"] = sorted(left_out)
    return LogEntry(EventAction.RECODING_DRAWN, RECODING_ROUND, round_id, details)


def recoding_exported(*, round_id: int, file_name: str, cases: int) -> LogEntry:
    """A round's blind sheet was written to a file (case ids and criteria only)."""
    return LogEntry(EventAction.RECODING_EXPORTED, RECODING_ROUND, round_id,
                    {"fil": file_name, "sager": cases})


def recoding_imported(*, round_id: int, file_name: str, values: int, coder: str) -> LogEntry:
    """The second coder's filled-in sheet was read back (``values`` values stored)."""
    return LogEntry(EventAction.RECODING_IMPORTED, RECODING_ROUND, round_id,
                    {"fil": file_name, "værdier": values, "koder": coder})


def recoding_saved(*, round_id: int, case_external_id: str,
                   changes: Mapping[str, Mapping[str, str | None]]) -> LogEntry:
    """The round's coder saved their values of one case in the blind sheet; ``changes``
    maps each changed variable to its value before and after."""
    return LogEntry(EventAction.RECODING_SAVED, CASE, case_external_id,
                    {"runde": round_id, "ændringer": {name: {"før": change["før"],
                                                               "efter": change["efter"]}
                                                        for name, change in changes.items()}})


def disagreement_resolved(*, round_id: int, case_external_id: str, variable: str,
                          first: str | None, second: str | None, final: str, changed: bool,
                          reason: str) -> LogEntry:
    """A disagreement was settled: ``final`` became the case's confirmed value."""
    return LogEntry(EventAction.DISAGREEMENT_RESOLVED, CASE, case_external_id,
                    {"runde": round_id, "variabel": variable, "første": first,
                     "anden": second, "endelig": final, "ændret": changed,
                     "begrundelse": reason})


def character_agreement_computed(*, round_id: int, coders: list[str]) -> LogEntry:
    """The two coders' note codings in a round's cases were compared in characters
    (reads where both coded, so it is logged)."""
    return LogEntry(EventAction.CHARACTER_AGREEMENT_COMPUTED, RECODING_ROUND, round_id,
                    {"kodere": list(coders)})


# -- the daily follow-up's events (issue 13) -------------------------------------------
# No free text in the log: a goal's wording or a follow-up's note may name people, so the
# events name the case, the measure and the facts, and the text is read from its row.

MEASURE = "indsats"
GOAL = "mål"
MEASUREMENT = "måling"
FOLLOW_UP = "opfølgning"
FOLLOW_UP_CASE = "sag"


def measure_created(*, measure_id: int, case: str, measure: str, kind: str,
                    start: str) -> LogEntry:
    """A measure (indsats) of kind ``kind`` starting ``start`` was registered on a case."""
    return LogEntry(EventAction.MEASURE_CREATED, MEASURE, measure_id,
                    {"sag": case, "indsats": measure, "type": kind, "start": start})


def goal_created(*, goal_id: int, case: str, life_area: str, kind: str,
                 priority: int) -> LogEntry:
    """A goal was set for a case (its wording stays in the goal's row)."""
    return LogEntry(EventAction.GOAL_CREATED, GOAL, goal_id,
                    {"sag": case, "livsområde": life_area, "type": kind,
                     "prioritet": priority})


def goal_revised(*, goal_id: int, case: str, version: int, changed: list[str]) -> LogEntry:
    """A goal was revised to ``version``; ``changed`` names the fields that changed (the
    earlier version is kept as a revision row)."""
    return LogEntry(EventAction.GOAL_REVISED, GOAL, goal_id,
                    {"sag": case, "version": version, "ændret": list(changed)})


def measurement_recorded(*, measurement_id: int, case: str, instrument: str, day: str,
                         informant: str) -> LogEntry:
    """A measurement with ``instrument`` by ``informant`` on ``day`` was recorded."""
    return LogEntry(EventAction.MEASUREMENT_RECORDED, MEASUREMENT, measurement_id,
                    {"sag": case, "instrument": instrument, "dato": day,
                     "informant": informant})


def follow_up_recorded(*, follow_up_id: int, case: str, measure: str, number: int,
                       held: str, due: str | None, decision: str | None,
                       schedule: str | None) -> LogEntry:
    """Follow-up ``number`` of a measure was held on ``held`` (due ``due``), with the
    decision and the schedule decided for the future."""
    return LogEntry(EventAction.FOLLOW_UP_RECORDED, FOLLOW_UP, follow_up_id,
                    {"sag": case, "indsats": measure, "nummer": number, "afholdt": held,
                     "frist": due, "beslutning": decision, "plan": schedule})


def follow_up_case_viewed(*, case: str) -> LogEntry:
    """A case's follow-up page (measures, goals, measurements) was shown."""
    return LogEntry(EventAction.FOLLOW_UP_CASE_VIEWED, FOLLOW_UP_CASE, case, {"sag": case})


def instrument_added(*, key: str, name: str, version: str) -> LogEntry:
    """The project's own instrument definition ``key`` (version) was added or replaced."""
    return LogEntry(EventAction.INSTRUMENT_ADDED, "instrument", key,
                    {"navn": name, "version": version})


def due_list_viewed(*, scope: str, count: int) -> LogEntry:
    """A list of due follow-ups (``scope``: mine, a team's, all) was shown."""
    return LogEntry(EventAction.DUE_LIST_VIEWED, FOLLOW_UP, None,
                    {"omfang": scope, "antal": count})


# -- the project, import, backup and demo events ---------------------------------------

IMPORT_RUN = "importkørsel"
DATABASE = "database"
DEMO = "demo"


def project_created(*, project_id: int, name: str) -> LogEntry:
    """A project was created (its database, document types and schemes)."""
    return LogEntry(EventAction.PROJECT_CREATED, PROJECT, project_id, {"navn": name})


def import_done(*, run_id: int, counts: Mapping[str, object]) -> LogEntry:
    """An import run stored material; ``counts`` is the run's summary (cases created and
    updated, documents, notes, grants, persons, duplicates, changed, problems)."""
    return LogEntry(EventAction.IMPORT, IMPORT_RUN, run_id, dict(counts))


def backup_made(*, file: str, revisions: list[str], counts: Mapping[str, int]) -> LogEntry:
    """A backup copy of the database was written to ``file``."""
    return LogEntry(EventAction.BACKUP, DATABASE, None,
                    {"fil": file, "skema": list(revisions), **counts})


def backup_restored(*, file: str, revisions: list[str], undo_copy: str | None) -> LogEntry:
    """The database was restored from ``file``; the replaced one is kept as ``undo_copy``."""
    return LogEntry(EventAction.RESTORE, DATABASE, None,
                    {"fil": file, "skema_i_kopien": list(revisions),
                     "fortrydelseskopi": undo_copy})


def demo_run(*, folder: str, seed: int, steps: list[str]) -> LogEntry:
    """The demo pipeline ran in ``folder`` with ``seed``; ``steps`` are those it did."""
    return LogEntry(EventAction.DEMO_RUN, DEMO, folder, {"frø": seed, "trin": list(steps)})


# -- the accounts area's events (users, logins, sessions) -----------------------------

USER = "bruger"


def user_created(*, user_id: int, username: str, role: str, case_text: bool) -> LogEntry:
    """An administrator created a user account with ``role``."""
    return LogEntry(EventAction.USER_CREATED, USER, user_id,
                    {"brugernavn": username, "rolle": role, "sagstekst": case_text})


def user_active_changed(*, user_id: int, username: str, active: bool) -> LogEntry:
    """A user account was activated or deactivated."""
    action = EventAction.USER_ACTIVATED if active else EventAction.USER_DEACTIVATED
    return LogEntry(action, USER, user_id, {"brugernavn": username})


def case_text_grant_changed(*, user_id: int, username: str, granted: bool) -> LogEntry:
    """A leder was granted, or lost, access to case text."""
    action = EventAction.CASE_TEXT_GRANTED if granted else EventAction.CASE_TEXT_REVOKED
    return LogEntry(action, USER, user_id, {"brugernavn": username})


def login_succeeded(*, user_id: int, ip: str) -> LogEntry:
    """A user logged in from ``ip``."""
    return LogEntry(EventAction.LOGIN, USER, user_id, {"ip": ip})


def login_refused(*, ip: str) -> LogEntry:
    """A login from ``ip`` failed (wrong or unknown user name or password, or inactive);
    the event's actor is the user name that was tried."""
    return LogEntry(EventAction.LOGIN_REFUSED, details={"ip": ip})


def login_blocked(*, ip: str) -> LogEntry:
    """A login from ``ip`` was refused unchecked: too many recent failures."""
    return LogEntry(EventAction.LOGIN_BLOCKED, details={"ip": ip})


def logged_out(*, user_id: int | None) -> LogEntry:
    """A user ended their session."""
    return LogEntry(EventAction.LOGOUT, USER, user_id)


# -- the cases area's events -----------------------------------------------------------



def case_viewed(*, case_id: int, case_number: str, role: str, page: int) -> LogEntry:
    """A page of a case's text (its timeline) was shown to a person with ``role``."""
    return LogEntry(EventAction.CASE_VIEWED, CASE, case_id,
                    {"sagsnummer": case_number, "rolle": role, "side": page})


def case_sheet_viewed(*, case_id: int, case_number: str, role: str) -> LogEntry:
    """A case's classification sheet (with quotes from its documents) was shown."""
    return LogEntry(EventAction.CASE_VIEWED, CASE, case_id,
                    {"sagsnummer": case_number, "rolle": role, "visning": "klassifikation"})


# -- the privacy area's events ---------------------------------------------------------

PSEUDONYMISATION_RUN = "pseudonymiseringskørsel"
VAULT = "nøglefil"


def pseudonymisation_done(*, run_id: int, summary: Mapping[str, object], style: str,
                          threshold: float, vault_id: str, originals_kept: bool) -> LogEntry:
    """A pseudonymisation run committed; ``summary`` holds its counts (sager, notater,
    dokumenter, personer, erstatninger per label, til_gennemsyn)."""
    return LogEntry(EventAction.PSEUDONYMISATION, PSEUDONYMISATION_RUN, run_id,
                    {**summary, "stil": style, "tærskel": threshold, "nøglefil_id": vault_id,
                     "originaler_gemt": originals_kept})


def reidentified(*, admin: str, pseudonym: str, case: str | None, vault_id: str,
                 found: int) -> LogEntry:
    """An administrator looked up who a pseudonym covers (never the identity itself)."""
    return LogEntry(EventAction.REIDENTIFICATION, VAULT, vault_id,
                    {"administrator": admin, "pseudonym": pseudonym, "sag": case,
                     "antal": found})


def reidentification_refused(*, admin: str, pseudonym: str, case: str | None, vault_file: str,
                             reason: str, error_type: str) -> LogEntry:
    """A re-identification was refused (wrong passphrase, damaged or foreign key file)."""
    return LogEntry(EventAction.REIDENTIFICATION_REFUSED, VAULT, None,
                    {"administrator": admin, "pseudonym": pseudonym, "sag": case,
                     "nøglefil": vault_file, "årsag": reason, "fejltype": error_type})


# -- reading a removal back ------------------------------------------------------------

#: The actions whose event holds a removed coding (what "Fortryd" can restore).
REMOVALS = frozenset({EventAction.CODING_REMOVED, EventAction.CODING_ADDITION_UNDONE})


@dataclass(frozen=True, slots=True)
class RemovedCoding:
    """A removed coding as its removal event kept it."""

    note_id: int
    code: str
    start: int
    end: int
    coder: str
    memo: str | None = None
    rule: str | None = None
    codebook_id: int | None = None
    codebook_version: str | None = None
    suggestion_id: int | None = None


def removed_coding(details: Mapping[str, object]) -> RemovedCoding | None:
    """The coding a removal event kept, or None when the event lacks the passage: the
    CLI's removals before the one vocabulary kept only code, coder and note."""
    needed = ("notat", "kode", "start", "slut", "koder")
    if not isinstance(details, Mapping) or any(details.get(key) is None for key in needed):
        return None
    return RemovedCoding(
        details["notat"], details["kode"], details["start"], details["slut"],
        details["koder"], details.get("memo"), details.get("regel"),
        details.get("kodebog_id"), details.get("kodebogsversion"), details.get("forslag"))

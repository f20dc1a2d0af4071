"""The CLI and the web app call the same coding services: a coding removed in one is
undone in the other, and both log the same events (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

from click.testing import CliRunner
from sqlalchemy import select

from effektspor.cli.main import cli
from effektspor.services.events import log_event
from effektspor.store.tables import Event
from effektspor.store.tables_coding import Coding
from web_seed import csrf_from
from web_seed_coding import coding_by, first_note


def _koder(server):
    """koder1's browser and headers, and the first case's first note (id, text)."""
    client = server.client("koder")
    token = csrf_from(client.get(f"/sager/{server.case_ids[0]}").text)
    return client, {"X-CSRF-Token": token, "HX-Request": "true"}, first_note(
        server.project, server.case_ids[0])


def _cli(server, *args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--projekt", str(server.project.folder)],
                                terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


def _codings(server) -> list[Coding]:
    with server.project.sessions() as session:
        return list(session.scalars(select(Coding).order_by(Coding.id)))


def _undo_event(output: str) -> str:
    return re.search(r"effektspor kodning fortryd (\d+)", output).group(1)


def test_removed_in_the_cli_undone_in_the_web_app(server):
    client, headers, (note_id, text) = _koder(server)
    added = _cli(server, "kodning", "tilføj", "--notat", str(note_id), "--start", "0",
                 "--slut", "4", "--kode", "relationsarbejde", "--koder", "koder1",
                 "--memo", "fra terminalen")
    coding_id = re.search(r"Kodning (\d+) er gemt", added).group(1)
    removed = _cli(server, "kodning", "fjern", coding_id, "--koder", "koder1")
    assert _codings(server) == []
    response = client.post(f"/kodninger/gendan/{_undo_event(removed)}", headers=headers)
    assert response.status_code == 200 and "Kodningen er gendannet" in response.text
    (coding,) = _codings(server)
    assert (coding.start, coding.end, coding.coder, coding.memo, coding.quote) == (
        0, 4, "koder1", "fra terminalen", text[:4])
    (removal,) = server.events("kodning_fjernet")
    assert removal.actor == "koder1" and removal.details["start"] == 0  # the full payload
    assert server.events("kodning_gendannet")[0].actor == "koder1"


def test_removed_in_the_web_app_undone_in_the_cli(server):
    client, headers, (note_id, _text) = _koder(server)
    coding_id = coding_by(server.project, server.case_ids[0], "koder1", memo="vigtigt")
    removed = client.post(f"/kodninger/{coding_id}/slet", headers=headers)
    event_id = re.search(r'hx-post="/kodninger/gendan/(\d+)"', removed.text).group(1)
    undone = _cli(server, "kodning", "fortryd", event_id, "--koder", "koder1")
    assert f"Hændelse {event_id} er fortrudt" in undone
    (coding,) = _codings(server)
    assert (coding.note_id, coding.coder, coding.memo) == (note_id, "koder1", "vigtigt")
    listed = _cli(server, "kodning", "vis", "--notat", str(note_id))
    assert f"│ {coding.id} " in listed and "koder1" in listed


def test_added_in_the_web_app_undone_in_the_cli(server):
    client, headers, (note_id, _text) = _koder(server)
    client.post(f"/notater/{note_id}/kodninger", headers=headers,
                data={"start": 0, "slut": 3, "kode": "professionel_tvivl"})
    (added,) = server.events("kodning_tilføjet")
    _cli(server, "kodning", "fortryd", str(added.id))
    assert _codings(server) == []
    (undone,) = server.events("kodning_fortrudt")
    assert undone.details["koder"] == "koder1"


def test_a_removal_logged_by_the_old_cli_is_refused_in_danish(server):
    client, headers, (note_id, _text) = _koder(server)
    with server.project.transaction() as session:  # the payload the CLI used to log
        old = log_event(session, actor="koder1", action="kodning_fjernet",
                        project_id=server.project.project_id, object_type="kodning",
                        object_id=99, details={"kode": "relationsarbejde", "koder": "koder1",
                                               "notat": note_id})
        session.flush()
        old_id = old.id
    response = client.post(f"/kodninger/gendan/{old_id}", headers=headers)
    assert response.status_code == 400 and "ældre version" in response.text
    result = CliRunner().invoke(cli, ["kodning", "fortryd", str(old_id), "--projekt",
                                      str(server.project.folder)])
    assert result.exit_code == 1 and "ældre version" in result.output
    with server.project.sessions() as session:
        assert session.scalar(select(Event.id).where(
            Event.action == "kodning_gendannet")) is None

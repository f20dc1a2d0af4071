"""The coding workbench and the machine suggestions over HTTP (server mode, one user per
role): the fixed route contract, fragments, conflicts (409), undo and the event log."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from effektspor.store.tables_coding import Coding, Suggestion
from effektspor.store.tables_web import User
from web_seed import csrf_from
from web_seed_coding import coding_by, first_note, open_suggestion, seed_trained_suggestions


def _open(server, role: str):
    """A logged-in client, its CSRF token and the first case's first note (id, text)."""
    client = server.client(role)
    token = csrf_from(client.get(f"/sager/{server.case_ids[0]}").text)
    return client, {"X-CSRF-Token": token, "HX-Request": "true"}, first_note(
        server.project, server.case_ids[0])


def _codings(server) -> list[Coding]:
    with server.project.sessions() as session:
        return list(session.scalars(select(Coding).order_by(Coding.id)))


def test_coding_a_span_answers_the_note_fragment_and_shows_after_reload(server):
    client, headers, (note_id, text) = _open(server, "koder")
    start, end = text.index("ugen"), text.index("ugen") + len("ugen har været svær")
    response = client.post(f"/notater/{note_id}/kodninger", headers=headers,
                           data={"start": start, "slut": end, "kode": "relationsarbejde",
                                 "memo": "Mor sætter ord på"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div class="note-work"')  # a fragment
    assert '<mark class="coded depth-1" data-colour="#2980b9"' in response.text
    assert ">ugen har været svær</mark>" in response.text
    assert 'title="Relationsarbejde – koder1: Mor sætter ord på"' in response.text
    assert "Fortryd kodningen" in response.text
    (coding,) = _codings(server)
    assert (coding.start, coding.end, coding.coder, coding.quote) == (
        start, end, "koder1", "ugen har været svær")
    page = client.get(f"/sager/{server.case_ids[0]}").text
    assert ">ugen har været svær</mark>" in page and 'id="kodepanel"' in page
    assert '"relationsarbejde"' in page.split('data-recent=')[1][:40]  # recent codes
    assert server.events("kodning_tilføjet")[-1].actor == "koder1"


def test_offsets_are_code_points_even_outside_the_bmp(server):
    client, headers, (note_id, _text) = _open(server, "koder")
    with server.project.transaction() as session:
        from effektspor.store.tables import Note

        session.execute(update(Note).where(Note.id == note_id).values(text="Ø 😀 og så tryg"))
    response = client.post(f"/notater/{note_id}/kodninger", headers=headers,
                           data={"start": 4, "slut": 14, "kode": "tryg_atmosfaere"})
    assert response.status_code == 200 and ">og så tryg</mark>" in response.text


def test_invalid_input_is_refused_in_danish_and_nothing_is_written(server):
    client, headers, (note_id, text) = _open(server, "koder")
    outside = client.post(f"/notater/{note_id}/kodninger", headers=headers,
                          data={"start": 0, "slut": len(text) + 5, "kode": "relationsarbejde"})
    assert outside.status_code == 400
    assert "Intet er gemt" in outside.text and "ligger ikke inden for notatet" in outside.text
    unknown = client.post(f"/notater/{note_id}/kodninger", headers=headers,
                          data={"start": 0, "slut": 3, "kode": "ukendt_kode"})
    assert unknown.status_code == 400 and "findes ikke i kodebogen" in unknown.text
    missing = client.post("/notater/999999/kodninger", headers=headers,
                          data={"start": 0, "slut": 3, "kode": "relationsarbejde"})
    assert missing.status_code == 400 and "findes ikke i projektet" in missing.text
    assert _codings(server) == [] and server.events("kodning_tilføjet") == []


def test_delete_rights_undo_and_restore(server):
    coder, headers, (note_id, _text) = _open(server, "koder")
    theirs = coding_by(server.project, server.case_ids[0], "en.anden.koder")
    refused = coder.post(f"/kodninger/{theirs}/slet", headers=headers)
    assert refused.status_code == 403 and "kun ændre dine egne" in refused.text
    analyst, analyst_headers, _ = _open(server, "analytiker")
    deleted = analyst.post(f"/kodninger/{theirs}/slet", headers=analyst_headers)
    assert deleted.status_code == 200 and "Kodningen er slettet" in deleted.text
    assert "<mark" not in deleted.text
    undo_url = re.search(r'hx-post="(/kodninger/gendan/\d+)"', deleted.text).group(1)
    assert coder.post(undo_url, headers=headers).status_code == 403  # not the deleter
    restored = analyst.post(undo_url, headers=analyst_headers)
    assert restored.status_code == 200 and "<mark" in restored.text
    (coding,) = _codings(server)
    assert coding.coder == "en.anden.koder"  # restored as it was, by whom it was coded
    again = analyst.post(undo_url, headers=analyst_headers)
    assert again.status_code == 409 and "allerede fortrudt af analytiker1" in again.text
    added = coder.post(f"/notater/{note_id}/kodninger", headers=headers,
                       data={"start": 0, "slut": 3, "kode": "professionel_tvivl"})
    undo_add = re.search(r'hx-post="(/kodninger/\d+/fortryd)"', added.text).group(1)
    undone = coder.post(undo_add, headers=headers)
    assert undone.status_code == 200 and "Kodningen er fortrudt" in undone.text
    assert [c.code_key for c in _codings(server)] == ["relationsarbejde"]
    assert [e.actor for e in server.events("kodning_fortrudt")] == ["koder1"]
    assert server.events("kodning_gendannet")[0].details["koder"] == "en.anden.koder"


def test_stale_delete_from_another_tab_is_a_conflict(server):
    first, headers, _note = _open(server, "koder")
    second = server.client("koder")
    second_headers = {"X-CSRF-Token": csrf_from(second.get("/").text)}
    coding_id = coding_by(server.project, server.case_ids[0], "koder1")
    assert first.post(f"/kodninger/{coding_id}/slet", headers=headers).status_code == 200
    stale = second.post(f"/kodninger/{coding_id}/slet", headers=second_headers)
    assert stale.status_code == 409 and "findes ikke (længere)" in stale.text


def test_memo_edit_conflict_shows_the_other_value(server):
    coder, headers, _note = _open(server, "koder")
    analyst, analyst_headers, _ = _open(server, "analytiker")
    coding_id = coding_by(server.project, server.case_ids[0], "koder1", memo="først")
    ok = analyst.post(f"/kodninger/{coding_id}/memo", headers=analyst_headers,
                      data={"memo": "Analytikerens memo", "tidligere": "først"})
    assert ok.status_code == 200 and "Memo: Analytikerens memo" in ok.text
    conflict = coder.post(f"/kodninger/{coding_id}/memo", headers=headers,
                          data={"memo": "Mit memo", "tidligere": "først"})
    assert conflict.status_code == 409
    assert "»Analytikerens memo«" in conflict.text and "analytiker1" in conflict.text
    assert 'class="note-work"' in conflict.text  # htmx swaps the fresh note in
    assert _codings(server)[0].memo == "Analytikerens memo"


def test_leader_with_case_text_sees_highlights_read_only(server):
    coding_by(server.project, server.case_ids[0], "koder1", memo="memo")
    with server.project.transaction() as session:
        session.execute(update(User).where(User.username == "leder1")
                        .values(case_text_granted=True))
    leader = server.client("leder")
    page = leader.get(f"/sager/{server.case_ids[0]}").text
    assert '<mark class="coded' in page and 'title="Relationsarbejde – koder1: memo"' in page
    assert "codable" not in page and 'id="kodepanel"' not in page
    assert "/slet" not in page and 'href="/forslag"' not in page
    token = csrf_from(page)
    note_id = first_note(server.project, server.case_ids[0])[0]
    refused = leader.post(f"/notater/{note_id}/kodninger", headers={"X-CSRF-Token": token},
                          data={"start": 0, "slut": 3, "kode": "relationsarbejde"})
    assert refused.status_code == 403 and "Ingen adgang" in refused.text


def test_suggestion_in_the_case_view_and_a_stale_decision(server):
    coder, headers, (note_id, _text) = _open(server, "koder")
    suggestion_id = open_suggestion(server.project, server.case_ids[0])
    page = coder.get(f"/sager/{server.case_ids[0]}").text
    assert f'hx-post="/forslag/{suggestion_id}/accepter"' in page
    accepted = coder.post(f"/forslag/{suggestion_id}/accepter", headers=headers,
                          data={"visning": "notat"})
    assert accepted.status_code == 200 and "Forslaget er accepteret" in accepted.text
    assert 'class="coded' in accepted.text and "Maskinforslag:" not in accepted.text
    (coding,) = _codings(server)
    assert coding.coder == "koder1" and coding.suggestion_id == suggestion_id
    analyst, analyst_headers, _ = _open(server, "analytiker")
    stale = analyst.post(f"/forslag/{suggestion_id}/afvis", headers=analyst_headers,
                         data={"begrundelse": "nej"})
    assert stale.status_code == 409 and "allerede accepteret af koder1" in stale.text
    assert len(_codings(server)) == 1 and server.events("forslag_afvist") == []


def test_suggestion_page_with_reasons_filters_and_bulk(server):
    new_notes = seed_trained_suggestions(server.project)
    client, headers, _note = _open(server, "koder")
    page = client.get("/forslag", params={"sag": "F-1"})
    assert page.status_code == 200 and "Maskinforslag" in page.text
    assert "Professionel tvivl" in page.text and "% sikker" in page.text
    assert "lært af 24 notater, 12 med koden" in page.text
    assert re.search(r'<q class="support">[^<]*tvivl[^<]*</q>', page.text)
    assert server.events("forslag_vist")[-1].details["sag"] == "F-1"
    with server.project.sessions() as session:
        ids = list(session.scalars(select(Suggestion.id).where(
            Suggestion.note_id.in_(new_notes), Suggestion.status == "foreslået")))
    assert ids
    rejected = client.post("/forslag/afgoer", headers=headers, follow_redirects=False,
                           data={"valgt": ids, "beslutning": "afvis", "sag": "F-1",
                                 "begrundelse": "Ikke tvivl, blot et spørgsmål"})
    assert rejected.status_code == 303
    assert rejected.headers["location"].startswith("/forslag?sag=F-1&afgjort=")
    after = client.get(rejected.headers["location"]).text
    assert "forslag afvist." in after and "Der er ingen åbne forslag" in after
    reasons = {e.details.get("begrundelse") for e in server.events("forslag_afvist")}
    assert reasons == {"Ikke tvivl, blot et spørgsmål"}
    again = client.post("/forslag/afgoer", headers=headers,
                        data={"valgt": ids[:1], "beslutning": "accepter"})
    assert again.status_code == 409 and "allerede afvist af koder1" in again.text
    one = next(i for i in ids[:1])
    single = client.post(f"/forslag/{one}/accepter", headers=headers)
    assert single.status_code == 409 and 'class="suggestion-row' in single.text
    assert client.get("/forslag", params={"kode": "relationsarbejde"}).status_code == 200


def test_nav_shows_suggestions_only_to_coders(server):
    assert 'href="/forslag"' in server.client("koder").get("/").text
    assert 'href="/forslag"' not in server.client("leder").get("/").text

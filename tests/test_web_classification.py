"""The classification pages over HTTP: the sheet, saving with conflicts, blind re-coding,
the queue, the case list's classification and code filters."""

from __future__ import annotations

import re

import pytest

from classification_helpers import count_values
from web_seed import csrf_from
from web_seed_classification import seed_suggestions
from web_seed_recoding import assign

VERSION = re.compile(r'name="variabel" value="maalopnaaelse">\s*'
                     r'<input type="hidden" name="kendt" value="([^"]+)">')


@pytest.fixture
def server(server):
    seed_suggestions(server.project)
    return server


def _sheet_url(server, index: int = 0) -> str:
    return f"/sager/{server.case_ids[index]}/klassifikation"


def _form(client, url: str) -> tuple[str, str]:
    html = client.get(url).text
    return csrf_from(html), VERSION.search(html).group(1)


def _save(client, url, token, version, value, reason=""):
    return client.post(url, data={"csrf_token": token, "variabel": "maalopnaaelse",
                                  "kendt": version, "vaerdi": value, "begrundelse": reason},
                       follow_redirects=False)


def test_sheet_shows_criteria_suggestion_and_the_marked_discharge_report(server):
    coder = server.client("koder")
    response = coder.get(_sheet_url(server))
    html = response.text
    assert response.status_code == 200
    assert "Klassifikation af sag S-1001" in html
    assert "Bekræft forslag: I mål" in html and 'class="badge suggested">forslag' in html
    assert "Udskrivningsrapportens effektvurdering siger, at målet er nået" in html  # criterion
    assert "familiesituation i fare" in html  # the criteria of problemgrad
    assert '<mark title="Citat bag forslaget til målopnåelse">Familien er kommet i mål med ' \
           'alle problemstillinger.</mark>' in html
    assert 'id="udskrivningsrapport"' in html and "<details class=\"document\"" in html
    assert '<script src="/static/classification.js" defer></script>' in html
    assert server.events("sag_vist")[-1].details["visning"] == "klassifikation"


def test_confirm_then_reload_shows_it_confirmed(server):
    coder = server.client("koder")
    url = _sheet_url(server)
    token, version = _form(coder, url)
    saved = _save(coder, url, token, version, "I mål")
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{url}?gemt=maalopnaaelse#var-maalopnaaelse"
    html = coder.get(saved.headers["location"]).text
    assert "Målopnåelse er gemt." in html
    assert 'class="badge confirmed">bekræftet' in html and "af koder1" in html
    assert "Bekræft forslag: I mål" not in html
    assert server.events("forslag_bekraeftet")[-1].actor == "koder1"


def test_two_coders_the_stale_form_gets_409_and_nothing_is_overwritten(server):
    first, second = server.client("koder"), server.client("analytiker")
    url = _sheet_url(server)
    first_token, first_version = _form(first, url)
    second_token, second_version = _form(second, url)
    assert first_version == second_version
    assert _save(second, url, second_token, second_version, "På vej",
                 reason="Kun delvist").status_code == 303
    before = count_values(server.project)
    stale = _save(first, url, first_token, first_version, "Ikke i mål")
    assert stale.status_code == 409
    assert "ændret af en anden" in stale.text and "„På vej“" in stale.text
    assert "analytiker1" in stale.text and "Din ændring er ikke gemt" in stale.text
    assert count_values(server.project) == before
    # The 409 page holds the new version, so a deliberate second try is saved.
    retry = VERSION.search(stale.text).group(1)
    assert retry != first_version
    assert _save(first, url, csrf_from(stale.text), retry, "Ikke i mål").status_code == 303
    history = first.get(url).text
    assert "Kun delvist" in history and "(erstattet)" in history


def test_missing_or_wrong_value_gives_a_danish_error(server):
    coder = server.client("koder")
    url = _sheet_url(server)
    token, version = _form(coder, url)
    empty = _save(coder, url, token, version, "")
    assert empty.status_code == 400 and "mangler" in empty.text
    wrong = _save(coder, url, token, version, "Halvvejs")
    assert wrong.status_code == 400 and "ikke en tilladt værdi" in wrong.text


def test_leader_with_case_text_may_read_but_not_change(server):
    from sqlalchemy import update

    from effektspor.store.tables_web import User

    with server.project.transaction() as session:
        session.execute(update(User).where(User.username == "leder1")
                        .values(case_text_granted=True))
    leader = server.client("leder")
    html = leader.get(_sheet_url(server)).text
    assert "Klassifikation af sag S-1001" in html and "Bekræft forslag" not in html
    assert 'name="vaerdi"' not in html and "<dl class=\"criteria\">" in html
    assert 'href="/klassifikation"' not in html  # no queue in the menu
    token = csrf_from(leader.get("/").text)
    refused = leader.post(_sheet_url(server), data={"csrf_token": token, "kendt": "x",
                                                    "variabel": "maalopnaaelse",
                                                    "vaerdi": "I mål"})
    assert refused.status_code == 403 and "Ingen adgang" in refused.text


def test_blind_recoding_case_shows_a_notice_and_no_values(server):
    assign(server.project, coder="koder1", seed=3, teams=["Familieværkstedet"])  # S-1001, S-1004
    coder = server.client("koder")
    html = coder.get(_sheet_url(server)).text
    assert "Sagen er i din blinde rekodning" in html and 'href="/rekodning"' in html
    assert "Bekræft forslag" not in html and "I mål" not in html and "<mark" not in html
    token = csrf_from(html)
    refused = coder.post(_sheet_url(server), data={"csrf_token": token, "kendt": "ingen",
                                                   "variabel": "maalopnaaelse",
                                                   "vaerdi": "I mål"})
    assert refused.status_code == 400 and "blinde rekodning" in refused.text
    queue = coder.get("/klassifikation").text
    assert "Blind rekodning" in queue
    listing = coder.get("/sager").text
    assert 'title="Sagen er i din blinde rekodning">skjult' in listing
    analyst = server.client("analytiker").get(_sheet_url(server)).text
    assert "Bekræft forslag: I mål" in analyst


def test_queue_progress_and_next_case(server):
    coder = server.client("koder")
    html = coder.get("/klassifikation").text
    assert "Fremdrift" in html and "Mangler bekræftelse" in html
    assert "Målopnåelse: <strong>I mål</strong>" in html
    assert 'href="/klassifikation/naeste"' in html and "Næste sag: S-1001" in html
    first = coder.get("/klassifikation/naeste", follow_redirects=False)
    assert first.headers["location"] == _sheet_url(server, 0)
    after = coder.get("/klassifikation/naeste", params={"efter": server.case_ids[0]},
                      follow_redirects=False)
    assert after.headers["location"] == _sheet_url(server, 1)
    token, version = _form(coder, _sheet_url(server))
    _save(coder, _sheet_url(server), token, version, "I mål")
    progress = coder.get("/klassifikation").text
    assert re.search(r"<td>Målopnåelse</td>\s*<td class=\"n\">1</td>\s*<td class=\"n\">4</td>",
                     progress)
    assert 'href="/klassifikation"' in coder.get("/").text  # in the menu


def test_case_list_filters_and_outcome_column(server):
    coder = server.client("koder")
    html = coder.get("/sager").text
    assert '<select name="maalopnaaelse">' in html and '<select name="kode">' in html
    assert "<th>Målopnåelse</th>" in html and "Uden værdi" in html
    partial = coder.get("/sager", params={"maalopnaaelse": "På vej"},
                        headers={"HX-Request": "true"})
    assert "<html" not in partial.text and "1 sag." in partial.text
    assert "S-1002" in partial.text and 'class="badge suggested"' in partial.text
    both = coder.get("/sager", params={"maalopnaaelse": "På vej", "problemgrad": "Svær"})
    assert "0 sager" in both.text and 'value="Svær" ' not in both.text
    assert "<option selected>Svær</option>" in both.text
    coded = coder.get("/sager", params={"kode": "negativ_alliance"})
    assert coded.status_code == 200 and "Ingen sager passer" in coded.text
    assert 'value="negativ_alliance" selected' in coded.text
    unknown = coder.get("/sager", params={"kode": "findes_ikke"})
    assert unknown.status_code == 400 and "findes ikke i projektets kodebog" in unknown.text
    pages = coder.get("/sager", params={"maalopnaaelse": "-"}).text
    assert "3 sager" in pages


def test_case_page_links_to_the_sheet(server):
    html = server.client("koder").get(f"/sager/{server.case_ids[0]}").text
    assert f'href="{_sheet_url(server)}">Klassificér sagen' in html



def test_local_mode_classifies_without_login(project):
    if not project.is_local:
        pytest.skip("Lokal tilstand bruger kun SQLite")
    from fastapi.testclient import TestClient

    from effektspor.services.project import current_user
    from effektspor.web.app import create_app
    from effektspor.web.settings import Settings
    from web_seed import seed_cases

    case_id = seed_cases(project, cases=3)[0]  # no suggestions: the form's version is "ingen"
    with TestClient(create_app(Settings(project_dir=project.folder)),
                    base_url="http://127.0.0.1") as client:
        url = f"/sager/{case_id}/klassifikation"
        token, version = _form(client, url)
        assert version == "ingen"
        assert _save(client, url, token, version, "Ikke i mål").status_code == 303
        html = client.get(url).text
        assert 'class="badge confirmed">bekræftet' in html and f"af {current_user()}" in html

"""Blind re-coding over HTTP: assigning, the blind sheet, saving, conflicts, agreement."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from classification_helpers import call
from effektspor.domain.text import content_hash
from effektspor.services.classification.suggestions import (
    list_suggestions,
    suggest_classifications,
)
from effektspor.store import tables as t
from effektspor.store.tables_analysis import ClassificationValue
from web_seed import csrf_from
from web_seed_recoding import AGREED, set_first_values

DISCHARGE = ("Effektvurdering: Målet er nået for alle problemstillinger. Familien har fået "
             "en fast hverdag.")


@pytest.fixture
def coded(server):
    """Sandplay cases S-1002 and S-1005 first coded by analytiker1; S-1002's målopnåelse only
    as a machine suggestion with evidence from an added discharge report."""
    with server.project.transaction() as session:
        session.add(t.Document(case_id=server.case_ids[1], doc_type="udskrivningsrapport",
                               text=DISCHARGE, doc_date=date(2019, 6, 1),
                               content_hash=content_hash("S-1002", DISCHARGE)))
    set_first_values(server.project, {
        "S-1002": {"problemstilling": "Forældrestruktur", "problemgrad": "Svær"},
        "S-1005": {**AGREED, "problemstilling": "Forældrestruktur"}}, coder="analytiker1")
    call(server.project, suggest_classifications, actor="analytiker1")
    return server


def _assign(client, **fields) -> object:
    token = csrf_from(client.get("/rekodning").text)
    data = {"koder": "koder1", "variabel": list(AGREED), "hold": ["Sandplay"], "antal": "0",
            "froe": "", **fields, "csrf_token": token}
    return client.post("/rekodning", data=data, follow_redirects=False)


def _round_id(response) -> int:
    return int(re.search(r"runde=(\d+)", response.headers["location"]).group(1))


def test_the_analyst_assigns_a_round_and_sees_the_seed(coded):
    analyst = coded.client("analytiker")
    page = analyst.get("/rekodning").text
    assert 'href="/rekodning"' in page and "Tildel en blind stikprøve" in page
    assert "<option >analytiker1</option>" not in page  # not to oneself
    response = _assign(analyst, froe="424242")
    assert response.status_code == 303
    shown = analyst.get(response.headers["location"]).text
    assert "er tildelt koder1: 2 sager × 3 variable" in shown and ">424242<" in shown
    refused = _assign(analyst, koder="analytiker1")
    assert refused.status_code == 400 and "til dig selv" in refused.text
    assert 'value="Sandplay" checked' in refused.text  # the form keeps what was chosen
    bad_number = _assign(analyst, antal="to")
    assert bad_number.status_code == 400 and "helt tal" in bad_number.text
    assert len(coded.events("rekodning_udtrukket")) == 1


def test_navigation_shows_recoding_to_those_who_may_use_it(coded):
    assert 'href="/rekodning"' in coded.client("koder").get("/").text
    assert 'href="/rekodning"' not in coded.client("leder").get("/").text


def test_the_blind_sheet_hides_the_first_coding_and_the_suggestion(coded):
    round_id = _round_id(_assign(coded.client("analytiker")))
    (suggestion,) = [s for s in call(coded.project, list_suggestions) if s["sag"] == "S-1002"]
    coder = coded.client("koder")
    assert f'href="/rekodning/{round_id}"' in coder.get("/rekodning").text
    work = coder.get(f"/rekodning/{round_id}").text
    assert "Næste sag" in work and "Ikke kodet" in work
    html = coder.get(f"/rekodning/{round_id}/sager/{coded.case_ids[1]}").text
    assert "Blind rekodning: sag S-1002" in html and DISCHARGE in html  # the case text
    assert html.index("Effektvurdering") < html.index("Tidslinje")  # discharge report first
    assert "analytiker1" not in html and "effektspor (forslag)" not in html
    assert suggestion["begrundelse"] not in html and "<mark" not in html
    assert suggestion["værdi"] == "I mål"
    checked = re.findall(r'name="vaerdi_(\w+)" value="([^"]*)" checked', html)
    assert checked == [(name, "") for name in AGREED]  # nothing chosen in advance
    assert re.findall(r'name="tidligere_\w+" value="([^"]*)"', html) == ["", "", ""]
    assert "Forældrestruktur</strong>" in html and "Svær</strong>" in html  # the criteria
    assert [e.actor for e in coded.events("sag_vist")] == ["koder1"]


def _save(client, round_id, case_id, values, seen=None, action="naeste"):
    page = client.get(f"/rekodning/{round_id}/sager/{case_id}").text
    data = {"csrf_token": csrf_from(page), "handling": action}
    data.update({f"vaerdi_{k}": v for k, v in values.items()})
    data.update({f"tidligere_{k}": v for k, v in (seen or {}).items()})
    return client.post(f"/rekodning/{round_id}/sager/{case_id}", data=data,
                       follow_redirects=False)


def test_saving_goes_to_the_next_case_and_survives_a_reload(coded):
    round_id = _round_id(_assign(coded.client("analytiker")))
    coder = coded.client("koder")
    first, second = coded.case_ids[1], coded.case_ids[4]
    response = _save(coder, round_id, first, {**AGREED, "problemgrad": "Mellem"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/rekodning/{round_id}/sager/{second}"
    again = coder.get(f"/rekodning/{round_id}/sager/{first}").text
    assert 'value="Mellem" checked' in again and 'name="tidligere_problemgrad" value="Mellem"' \
        in again
    stale = _save(coder, round_id, first, {**AGREED, "problemgrad": "Let"})  # empty "seen"
    assert stale.status_code == 409 and "gemt et andet sted" in stale.text
    assert 'value="Mellem" checked' in stale.text  # the stored values are shown
    wrong = _save(coder, round_id, second, {"problemgrad": "Ekstrem"}, action="gem")
    assert wrong.status_code == 400 and "ikke en tilladt værdi" in wrong.text
    done = _save(coder, round_id, second, AGREED, action="naeste")
    assert done.headers["location"] == f"/rekodning/{round_id}"  # nothing left to code
    work = coder.get(f"/rekodning/{round_id}").text
    assert "Alle sager i runden er udfyldt" in work and work.count("Færdig") == 2
    saved = coded.events("rekodning_gemt")
    assert [(e.actor, e.object_id) for e in saved] == [("koder1", "S-1002"), ("koder1", "S-1005")]
    others = coded.client("administrator").get(f"/rekodning/{round_id}/sager/{first}")
    assert others.status_code == 403 and "kun den tildelte koder" in others.text


def test_agreement_page_and_inline_resolution(coded):
    analyst = coded.client("analytiker")
    round_id = _round_id(_assign(analyst))
    coder = coded.client("koder")
    _save(coder, round_id, coded.case_ids[1],
          {"problemstilling": "Forældrestruktur", "problemgrad": "Mellem"})
    _save(coder, round_id, coded.case_ids[4], AGREED)
    page = analyst.get(f"/rekodning/{round_id}/enighed").text
    assert "Cohens κ" in page and "Krippendorffs α" in page and "For få sager (n = 2)" in page
    assert "50,0 %" in page and "100,0 %" in page
    assert "Uenigheder (2, heraf 2 åbne)" in page
    assert "Uden to kodninger (ikke talt med): S-1002" in page  # målopnåelse only suggested
    token = csrf_from(page)
    form = {"sag": "S-1002", "variabel": "problemgrad", "vaerdi": "Mellem", "afgjort": "",
            "begrundelse": ""}
    htmx = {"HX-Request": "true", "X-CSRF-Token": token}
    empty = analyst.post(f"/rekodning/{round_id}/uenigheder", data=form, headers=htmx)
    assert empty.status_code == 400 and "Skriv en begrundelse" in empty.text
    assert empty.text.lstrip().startswith("<article")
    form["begrundelse"] = "Handleplanen beskriver en familie i krise."
    settled = analyst.post(f"/rekodning/{round_id}/uenigheder", data=form, headers=htmx)
    assert settled.status_code == 200 and "Afgjort: <strong>Mellem</strong>" in settled.text
    late = coded.client("administrator")
    conflict = late.post(f"/rekodning/{round_id}/uenigheder", data={**form, "vaerdi": "Svær"},
                         headers={"HX-Request": "true",
                                  "X-CSRF-Token": csrf_from(late.get("/rekodning").text)})
    assert conflict.status_code == 409
    assert "afgjort af analytiker1 til &#39;Mellem&#39;" in conflict.text
    plain = analyst.post(f"/rekodning/{round_id}/uenigheder", follow_redirects=False, data={
        "csrf_token": token, "sag": "S-1005", "variabel": "problemstilling",
        "vaerdi": "Forældrestruktur", "begrundelse": "Enige efter drøftelse.", "afgjort": ""})
    assert plain.status_code == 303 and plain.headers["location"].endswith(
        "#uenighed-S-1005-problemstilling")
    assert "Uenigheder (2, heraf 0 åbne)" in analyst.get(f"/rekodning/{round_id}/enighed").text
    with coded.project.sessions() as session:
        settled_values = session.scalars(select(ClassificationValue.value).where(
            ClassificationValue.origin == "afgørelse")).all()
    assert settled_values == ["Mellem"]  # S-1005 kept its first value: nothing new to store
    assert len(coded.events("uenighed_afgjort")) == 2
    assert coder.get(f"/rekodning/{round_id}/enighed").status_code == 403


def test_agreement_page_compares_note_codings_in_characters(coded):
    from coding_factories import code_passage

    analyst = coded.client("analytiker")
    round_id = _round_id(_assign(analyst))
    with coded.project.sessions() as session:
        note_id = session.scalars(select(t.Note.id).where(
            t.Note.case_id == coded.case_ids[4])).first()
    for coder, end in (("analytiker1", 30), ("koder1", 30)):
        code_passage(coded.project, note_id=note_id, start=0, end=end, code="alliancebrud",
                     coder=coder)
    page = analyst.get(f"/rekodning/{round_id}/enighed").text
    assert "<option >analytiker1</option>" in page and 'class="characters"' not in page
    page = analyst.get(f"/rekodning/{round_id}/enighed", params={"foerste_koder": "analytiker1"})
    assert page.status_code == 200
    assert re.search(r"<td>alliancebrud</td><td class=\"n\">100,0 %</td><td class=\"n\">1,00",
                     page.text)
    assert [e.actor for e in coded.events("tegnenighed_beregnet")] == ["analytiker1"]

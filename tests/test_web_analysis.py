"""The analysis pages and report downloads over HTTP (server mode, one user per role)."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

import pytest

from support.web import Server, seed
from web_seed_analysis import seed_analysis


def _seed(project):
    """The server's cases and users, then the analysis data (made once per session)."""
    seeded = seed(project)
    seed_analysis(project)
    return seeded


@pytest.fixture
def server(seeded_project):
    running = Server(seeded_project(_seed), seeded=seeded_project.result(_seed))
    yield running
    running.close()


def _cell_links(html: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in re.findall(r'href="(/analyse/celle\?[^"]+)"',
                                                             html)]


def test_published_table_with_cell_links_test_and_navigation(server):
    leader = server.client("leder")
    html = leader.get("/analyse?tabel=tabel3").text
    assert "Tabel 3 – Problemgrad fordelt på målopnåelse" in html
    assert 'href="/analyse"' in html and 'href="/rapporter"' in html  # the navigation
    assert "Celleindhold: antal sager og kolonneprocent" in html
    assert "Fisher–Freeman–Halton" in html
    assert re.search(r"statistisk signifikant|ikke statistisk signifikant", html)
    links = _cell_links(html)
    assert len(links) == 3 * 3 + 3 + 3 + 1  # cells, row totals, column totals, the total
    assert "rv=Sv%C3%A6r" in links[0] and "kv=I+m%C3%A5l" in links[0]


def test_htmx_partial_and_form_without_javascript(server):
    client = server.client("analytiker")
    partial = client.get("/analyse", params={"raekke": "problemstilling",
                                             "kolonne": "maalopnaaelse"},
                         headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.text
    assert "Tabel 10 – Problemstilling fordelt på målopnåelse" in partial.text
    full = client.get("/analyse", params={"raekke": "maalopnaaelse", "kolonne": "team"})
    assert "<html" in full.text and 'option value="team" selected' in full.text
    bad = client.get("/analyse", params={"raekke": "team", "kolonne": "team"})
    assert bad.status_code == 400 and "to forskellige variable" in bad.text
    assert '<select name="raekke"' in bad.text  # the form is still there


def test_leader_sees_case_numbers_but_no_quotes(server):
    leader, analyst = server.client("leder"), server.client("analytiker")
    link = _cell_links(leader.get("/analyse?tabel=tabel3").text)[-1]  # all cases
    page = leader.get(link).text
    assert "FC19-" in page and "<blockquote>" not in page
    assert "giver ikke adgang til sagstekst" in page and 'href="/sager/' not in page
    assert server.events("analyse_citater_vist") == []
    shown = analyst.get(link).text
    assert "<blockquote>" in shown and 'href="/sager/' in shown
    assert [e.actor for e in server.events("analyse_citater_vist")] == ["analytiker1"]


def test_code_cells_show_coded_passages(server):
    client = server.client("koder")
    html = client.get("/analyse?tabel=tabel4").text
    assert "Negative alliancebeskrivelser" in html and "flersvar" in html
    negative = next(link for link in _cell_links(html) if "negativ_alliance" in link)
    page = client.get(negative).text
    assert "<mark>" in page and 'title="Opmærksomhedspunkt"' in page


def test_configurations_page_and_drill_down(server):
    client = server.client("leder")
    empty = client.get("/analyse/konfigurationer")
    assert empty.status_code == 200 and "Vælg et udfald" in empty.text
    html = client.get("/analyse/konfigurationer?forvalg=tabel5").text
    assert "Sandhedstabel: Målopnåelse = I mål" in html and "Konsistens" in html
    assert "ingen signifikanstest" in html
    link = re.search(r'href="(/analyse/konfigurationer/sager\?[^"]+)"', html).group(1)
    cases = client.get(link.replace("&amp;", "&"))
    assert cases.status_code == 200 and "FC19-" in cases.text
    partial = client.get("/analyse/konfigurationer", headers={"HX-Request": "true"}, params={
        "udfald": "maalopnaaelse=I mål", "konsistens": "0.8",
        "betingelse": ["kode:professionel_tvivl", "problemgrad=Let", ""]})
    assert partial.status_code == 200 and "<html" not in partial.text
    assert "Sandhedstabel" in partial.text and "Professionel tvivl" in partial.text
    too_few = client.get("/analyse/konfigurationer", params={
        "udfald": "maalopnaaelse=I mål", "betingelse": ["problemgrad=Let"]})
    assert too_few.status_code == 400 and "mellem 2 og 4" in too_few.text


def test_report_page_and_downloads_by_role(server):
    leader, analyst = server.client("leder"), server.client("analytiker")
    page = leader.get("/rapporter").text
    assert 'href="/rapporter/aarsrapport-pixi/docx"' in page
    assert 'href="/rapporter/aarsrapport/docx"' not in page
    assert leader.get("/rapporter/aarsrapport/docx").status_code == 403
    response = analyst.get("/rapporter/aarsrapport/docx")
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "%C3%85rsrapport%20%28intern%29" in disposition
    with zipfile.ZipFile(BytesIO(response.content)) as archive:
        assert "FC19-" in archive.read("word/document.xml").decode()
    xlsx = leader.get("/rapporter/dokumentationsanalyse/xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert leader.get("/rapporter/aarsrapport-pixi/pdf").status_code == 400
    assert [(e.actor, e.object_id) for e in server.events("rapport_hentet")] == [
        ("analytiker1", "aarsrapport"), ("leder1", "dokumentationsanalyse")]


def test_a_project_without_codings_or_classifications_says_so(project):
    bare = Server(project)  # six cases, nothing coded or classified
    try:
        client = bare.client("leder")
        table = client.get("/analyse")
        assert table.status_code == 200 and "Ingen sager har værdier" in table.text
        coded = client.get("/analyse?tabel=tabel4")
        assert coded.status_code == 400 and "ikke kodet endnu" in coded.text
    finally:
        bare.close()

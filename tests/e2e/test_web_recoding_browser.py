"""End to end in a real browser: an analyst assigns a blind re-coding round, the coder codes
every case blind, and the analyst reads the agreement and settles a disagreement."""

from __future__ import annotations

import re

import pytest
import web_live
from web_live import playwright_expect, start_server, stop_server

from effektspor.services.classification import case_table
from effektspor.services.project import create_project
from web_seed import seed_cases, seed_users
from web_seed_recoding import AGREED, set_first_values

expect = playwright_expect()

#: The Sandplay cases of eight seeded cases, first coded by administrator1 (the researcher).
SAMPLE = ("S-1002", "S-1005", "S-1008")
FIRST = {"S-1002": AGREED, "S-1005": {**AGREED, "problemgrad": "Svær"},
         "S-1008": {**AGREED, "maalopnaaelse": "På vej"}}
#: koder1's blind values: agrees on everything except S-1005's problemgrad.
SECOND = {"S-1002": AGREED, "S-1005": AGREED, "S-1008": {**AGREED, "maalopnaaelse": "På vej"}}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A server-mode app on a project whose Sandplay cases have confirmed first values."""
    folder = tmp_path_factory.mktemp("e2e_rekodning") / "projekt"
    project = create_project(folder, "Rekodning 2019", actor="test")
    seed_cases(project, cases=8)
    seed_users(project)
    set_first_values(project, FIRST, coder="administrator1")
    process, url = start_server(folder)
    yield {"url": url, "project": project}
    stop_server(process)
    project.close()


@pytest.fixture
def login(live, chromium_browser):
    """Open a browser of its own, logged in as ``username``."""
    contexts = []

    def open_as(username: str):
        context = chromium_browser.new_context(locale="da-DK")
        contexts.append(context)
        page = context.new_page()
        web_live.login(page, live["url"], username)
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_blind_round_from_assignment_to_settled_disagreement(live, login):
    analyst = login("analytiker1")
    analyst.click("header nav >> text=Rekodning")
    analyst.select_option("#koder", "koder1")
    analyst.check("input[name=hold][value=Sandplay]")
    analyst.fill("#froe", "2019")
    analyst.click("text=Tildel stikprøven")
    expect(analyst.locator(".message.ok")).to_contain_text("er tildelt koder1: 3 sager")
    assert analyst.locator(".seed").inner_text() == "2019"

    coder = login("koder1")
    coder.click("header nav >> text=Rekodning")
    coder.click("text=Kod sagerne")
    coder.click("text=Næste sag")
    coded = []
    for _ in SAMPLE:  # "Gem og næste sag" opens the next case, after the last the work list
        case = re.search(r"S-\d{4}", coder.locator("h1").inner_text()).group(0)
        coded.append(case)
        # Blind: nothing is chosen in advance, and the first coder is nowhere on the page.
        checked = coder.locator("input[type=radio]:checked")
        assert [checked.nth(i).get_attribute("value") for i in range(checked.count())] == \
            ["", "", ""]
        assert "administrator1" not in coder.content()
        assert coder.locator(".discharge").count() == 1  # the discharge report comes first
        for variable, value in SECOND[case].items():
            coder.check(f"input[name=vaerdi_{variable}][value='{value}']")
        coder.click("text=Gem og næste sag")
        coder.wait_for_load_state()
    assert tuple(coded) == SAMPLE
    expect(coder.locator(".message.ok")).to_contain_text("Alle sager i runden er udfyldt")
    assert coder.locator(".status.done").count() == 3

    analyst.goto(f"{live['url']}/rekodning")
    analyst.click("td.actions >> text=Enighed")
    grade = analyst.locator("#enighed-problemgrad")
    expect(grade.locator(".kappa")).to_contain_text(re.compile(r"−?\d,\d\d"))
    expect(grade.locator(".percent")).to_have_text("66,7 %")
    expect(analyst.locator("#enighed-maalopnaaelse .percent")).to_have_text("100,0 %")
    item = analyst.locator("#uenighed-S-1005-problemgrad")
    expect(item.locator(".first")).to_have_text("Svær")
    expect(item.locator(".second")).to_have_text("Mellem")
    item.locator("select[name=vaerdi]").select_option("Mellem")
    item.locator("input[name=begrundelse]").fill("Handleplanen beskriver en krise, ikke fare.")
    item.locator("text=Afgør").click()
    expect(analyst.locator("#uenighed-S-1005-problemgrad")).to_contain_text("Afgjort: Mellem")
    assert {r["sag"]: r["problemgrad"] for r in case_table(live["project"])}["S-1005"] == \
        "Mellem"
    analyst.reload()
    expect(analyst.locator("h2#uenigheder")).to_have_text("Uenigheder (1, heraf 0 åbne)")

"""End to end in a real browser: classify a case on its sheet, reload, filter the list."""

from __future__ import annotations

import re

import pytest
from web_live import login, playwright_expect, start_server, stop_server

from effektspor.services.project import create_project
from web_seed import PASSWORD, seed_cases, seed_users
from web_seed_classification import seed_suggestions

expect = playwright_expect()


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A server-mode app on a synthetic project with classification suggestions."""
    folder = tmp_path_factory.mktemp("e2e-klassifikation") / "projekt"
    project = create_project(folder, "Klassifikation 2019", actor="test")
    seed_cases(project, cases=6)
    seed_users(project)
    seed_suggestions(project)
    project.close()
    process, url = start_server(folder)
    yield {"url": url}
    stop_server(process)


def test_coder_classifies_a_case_and_finds_it_by_its_outcome(live, page):
    url, page = live["url"], page
    login(page, url, "koder1", PASSWORD)
    page.click("nav >> text=Klassifikation")
    expect(page.locator("h1")).to_have_text("Klassifikation")
    page.click("text=Næste sag: S-1001")
    expect(page.locator("h1")).to_have_text("Klassifikation af sag S-1001")
    report = page.locator("#udskrivningsrapport")
    expect(report).to_be_visible()
    expect(report.locator("mark")).to_have_text(
        "Familien er kommet i mål med alle problemstillinger.")
    # Side by side on a wide screen: the report is right of the form.
    form_box = page.locator("#var-maalopnaaelse").bounding_box()
    assert report.bounding_box()["x"] > form_box["x"] + form_box["width"] - 1
    # The coder disagrees: "På vej" with the number key 2, a reason, and Enter.
    outcome = page.locator("#var-maalopnaaelse")
    outcome.locator("input[type=radio]").first.focus()
    page.keyboard.press("2")
    expect(outcome.locator("input[value='På vej']")).to_be_checked()
    outcome.locator("input[name=begrundelse]").fill("Skolegangen er ikke på plads endnu.")
    outcome.locator("input[value='På vej']").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".message.ok")).to_have_text("Målopnåelse er gemt.")
    page.reload()
    outcome = page.locator("#var-maalopnaaelse")
    expect(outcome.locator(".current .value")).to_have_text("På vej")
    expect(outcome.locator(".badge.confirmed")).to_have_text("bekræftet")
    assert "af koder1" in outcome.locator(".current").inner_text()
    # The problem category: one click on "Bekræft forslag".
    page.locator("#var-problemstilling button", has_text="Bekræft forslag").click()
    page.wait_for_load_state()
    expect(page.locator("#var-problemstilling .badge.confirmed")).to_have_text("bekræftet")
    # The case list filtered by that outcome shows the case, confirmed (no "forslag" mark).
    page.goto(f"{url}/sager")
    page.select_option("select[name=maalopnaaelse]", "På vej")
    expect(page.locator(".count")).to_have_text(re.compile(r"^2 sager"))
    assert "maalopnaaelse=P%C3%A5+vej" in page.url or "maalopnaaelse=P" in page.url
    row = page.locator("table.cases tbody tr", has_text="S-1001")
    expect(row.locator("td.outcome")).to_have_text("På vej")
    other = page.locator("table.cases tbody tr", has_text="S-1002")
    expect(other.locator("td.outcome .badge")).to_have_text("forslag")

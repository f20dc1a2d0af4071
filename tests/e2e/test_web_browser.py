"""End to end in a real browser: login, role limits, a case after reload, htmx search."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from web_live import login, playwright_expect, start_server, stop_server

from effektspor.services.project import create_project
from effektspor.store.tables import Event
from web_seed import seed_cases, seed_users

expect = playwright_expect()


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A server-mode app on a synthetic SQLite project, served by uvicorn."""
    folder = tmp_path_factory.mktemp("e2e") / "projekt"
    project = create_project(folder, "Browsertest 2019", actor="test")
    case_ids = seed_cases(project, cases=8)
    seed_users(project)
    process, url = start_server(folder)
    yield {"url": url, "project": project, "case_ids": case_ids}
    stop_server(process)
    project.close()



def _views(project) -> int:
    with project.sessions() as session:
        return session.scalar(select(func.count()).select_from(Event)
                              .where(Event.action == "sag_vist"))


def test_coder_logs_in_and_sees_a_case_again_after_reload(live, page):
    url = live["url"]
    login(page, url, "koder1")
    assert page.locator("h1").inner_text() == "Browsertest 2019"
    page.click("nav >> text=Sager")
    page.click("text=S-1001")
    assert page.locator("h1").inner_text() == "Sag S-1001"
    assert page.locator(".timeline .entry").count() == 6
    before = _views(live["project"])
    page.reload()
    assert page.locator("h1").inner_text() == "Sag S-1001"
    assert page.locator(".timeline .entry.notat .point").count() == 4
    assert _views(live["project"]) == before + 1  # the reload is a view too, and logged
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.classList.contains('entry')")


def test_wrong_password_shows_a_danish_message(live, page):
    login(page, live["url"], "analytiker1", "forkert-kode-123")
    assert "Forkert brugernavn eller adgangskode" in page.locator(".message").inner_text()
    assert page.url.endswith("/login")


def test_leader_sees_no_case_text(live, page):
    url = live["url"]
    login(page, url, "leder1")
    nav = page.locator("header nav").inner_text()
    assert "Sager" in nav and "Hændelseslog" not in nav and "Brugere" not in nav
    page.goto(f"{url}/sager")
    assert page.locator("table.cases a").count() == 0  # case numbers, but no links
    page.goto(f"{url}/sager/{live['case_ids'][0]}")
    assert "Ingen adgang" in page.locator("h1").inner_text()
    assert "Mor fortæller" not in page.content()


def test_search_filters_the_list_with_htmx_and_keyboard(live, page):
    url = live["url"]
    login(page, url, "administrator1")
    page.goto(f"{url}/sager")
    assert "8 sager" in page.locator(".count").inner_text()
    page.locator("body").press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("S-1007")
    expect(page.locator(".count")).to_have_text(re.compile(r"^1 sag\b"))
    assert page.locator("table.cases tbody tr").count() == 1
    assert "q=S-1007" in page.url  # the filter is in the address: reload keeps it
    page.reload()
    assert page.locator("table.cases tbody tr").count() == 1


def test_logout(live, page):
    url = live["url"]
    login(page, url, "koder1")
    page.click("text=Log ud")
    page.wait_for_load_state()
    assert page.url.endswith("/login")
    page.goto(f"{url}/sager")
    assert "/login" in page.url

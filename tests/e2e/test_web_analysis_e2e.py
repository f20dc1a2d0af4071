"""End to end in a real browser: a published table, a click on a cell to its cases and
quotes, the htmx refresh, and the download of the yearly report as a real DOCX file."""

from __future__ import annotations

import zipfile

import pytest
from web_live import login, playwright_expect, start_server, stop_server

from effektspor.services.project import create_project
from web_seed import seed_users
from web_seed_analysis import seed_analysis

expect = playwright_expect()


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A server-mode app on a small synthetic, coded and classified SQLite project."""
    folder = tmp_path_factory.mktemp("e2e-analyse") / "projekt"
    project = create_project(folder, "Analysetest 2019", actor="test")
    seed_analysis(project)
    seed_users(project)
    process, url = start_server(folder)
    yield {"url": url, "project": project}
    stop_server(process)
    project.close()



def test_published_table_cell_to_cases_and_quotes(live, page):
    url = live["url"]
    login(page, url, "analytiker1")
    page.click("header nav >> text=Analyse")
    page.click("text=Tabel 3 – Problemgrad fordelt på målopnåelse")
    table = page.locator("table.crosstab")
    expect(table.locator("caption")).to_have_text("Tabel 3 – Problemgrad fordelt på målopnåelse")
    assert table.locator("thead th").all_inner_texts() == [
        "Problemgrad", "I mål", "På vej", "Ikke i mål", "Total"]
    assert "Fisher–Freeman–Halton" in page.locator(".reading").inner_text()
    # htmx: another column variable refreshes the table without reloading the page
    page.select_option("#kolonne", "team")
    expect(table.locator("caption")).to_have_text("Problemgrad fordelt på indsatsteam")
    assert "kolonne=team" in page.url
    page.go_back()
    page.reload()
    expect(page.locator("table.crosstab caption")).to_have_text(
        "Tabel 3 – Problemgrad fordelt på målopnåelse")
    cells = page.locator("table.crosstab tbody td:not(.total) a")
    texts = cells.all_inner_texts()
    index = next(i for i, text in enumerate(texts) if not text.startswith("0 "))
    count = int(texts[index].split(" ")[0])
    cells.nth(index).click()
    page.wait_for_load_state()
    assert "Sager bag tallet" in page.title()
    assert page.locator("h1").inner_text().startswith("Tabel 3")
    cases = page.locator("ol.drill li.case")
    assert cases.count() == count
    assert cases.first.locator("h2 a").get_attribute("href").startswith("/sager/")
    assert page.locator("ol.drill blockquote").count() >= cases.count()  # evidence quotes
    assert "hændelsesloggen" in page.locator(".hint").inner_text()


def test_download_the_yearly_report_as_docx(live, page, tmp_path):
    url = live["url"]
    login(page, url, "analytiker1")
    page.click("header nav >> text=Rapporter")
    with page.expect_download() as info:
        page.click('a[href="/rapporter/aarsrapport/docx"]')
    download = info.value
    assert download.suggested_filename == "Årsrapport (intern) – Analysetest 2019.docx"
    path = tmp_path / "rapport.docx"
    download.save_as(path)
    assert path.stat().st_size > 5_000
    with zipfile.ZipFile(path) as archive:
        document = archive.read("word/document.xml").decode()
    assert "Effektanalyse" in document and "FC19-" in document

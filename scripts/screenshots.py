"""Regenerate the screenshots of the web app's main pages in docs/screenshots/.

Usage: .venv/bin/python scripts/screenshots.py [--ud docs/screenshots]

Builds a throwaway project with synthetic cases (tests/web_seed.py), starts the server
on a free 127.0.0.1 port and photographs the pages with Debian's headless Chromium
(/usr/bin/chromium, driven by Playwright; no browser is downloaded).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "e2e")]

from playwright.sync_api import sync_playwright  # noqa: E402
from web_live import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server  # noqa: E402

from effektspor.services.project import create_project  # noqa: E402
from web_seed import PASSWORD, seed_cases, seed_users  # noqa: E402
from web_seed_analysis import seed_analysis  # noqa: E402
from web_seed_classification import seed_suggestions  # noqa: E402
from web_seed_coding import coding_by, seed_trained_suggestions  # noqa: E402

PAGES = [  # (file name, user or None, path, full page)
    ("login.png", None, "/login", False),
    ("oversigt.png", "administrator1", "/", True),
    ("sagsliste.png", "administrator1", "/sager", False),
    ("sag.png", "administrator1", "/sager/{case}", False),
    ("haendelseslog.png", "administrator1", "/admin/log", False),
    ("brugere.png", "administrator1", "/admin/brugere", False),
    ("leder-ingen-adgang.png", "leder1", "/sager/{case}", False),
    ("klassifikationsark.png", "administrator1", "/sager/{case}/klassifikation", False),
    ("klassifikationskoe.png", "administrator1", "/klassifikation", False),
    ("rekodning.png", "analytiker1", "/rekodning", False),
    ("analyse-tabel3.png", "administrator1", "/analyse?tabel=tabel3", True),
    ("analyse-celle.png", "administrator1",
     "/analyse/celle?raekke=flersvar%3Aalliance&kolonne=maalopnaaelse"
     "&rv=kode%3Aprofessionel_tvivl&kv=Ikke+i+m%C3%A5l", True),
    ("analyse-konfigurationer.png", "leder1", "/analyse/konfigurationer?forvalg=tabel5", True),
    ("rapporter.png", "leder1", "/rapporter", False),
    ("kodning.png", "koder1", "/sager/{case}", False),
    ("forslag.png", "koder1", "/forslag", False),
]


def main() -> None:
    """Build the demo project, start the server and write one PNG per page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ud", type=Path, default=ROOT / "docs" / "screenshots",
                        help="mappen, billederne skrives i")
    args = parser.parse_args()
    args.ud.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "projekt"
        project = create_project(folder, "Familiecentret, afsluttede sager 2019",
                                 description="Syntetiske data til skærmbilleder.",
                                 actor="skærmbilleder")
        case_id = seed_cases(project, cases=24, notes_per_case=5)[0]
        seed_users(project)
        seed_suggestions(project, actor="skærmbilleder")
        seed_analysis(project)  # coded and classified synthetic cases for the analysis pages
        coding_by(project, case_id, "koder1", memo="Mor sætter selv ord på ugen")
        seed_trained_suggestions(project)
        project.close()
        process, url = start_server(folder)
        try:
            _photograph(url, case_id, args.ud)
        finally:
            stop_server(process)


def _photograph(url: str, case_id: int, out: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        logged_in: dict[str | None, object] = {}
        for name, user, path, full_page in PAGES:
            if user not in logged_in:
                context = browser.new_context(viewport={"width": 1280, "height": 800},
                                              locale="da-DK")
                page = context.new_page()
                if user:
                    page.goto(f"{url}/login")
                    page.fill("#brugernavn", user)
                    page.fill("#adgangskode", PASSWORD)
                    page.press("#adgangskode", "Enter")
                    page.wait_for_load_state()
                logged_in[user] = page
            page = logged_in[user]
            page.goto(url + path.replace("{case}", str(case_id)))
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out / name), full_page=full_page)
            print(f"{out / name}")
        browser.close()


if __name__ == "__main__":
    main()

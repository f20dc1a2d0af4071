"""The web app over HTTP (TestClient): pages, login, sessions, roles, logging, errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from effektspor.domain.errors import EffektsporError
from effektspor.store.tables import Event
from effektspor.web.app import create_app
from effektspor.web.settings import Settings
from support.web import BASE, KEY, Server
from web_routes import PAGES
from web_routes import url as route_url
from web_seed import PASSWORD, app_routes, csrf_from, login, seed_cases


def test_pages_need_login_and_return_after_it(server):
    anonymous = server.client()
    response = anonymous.get("/sager?hold=Sandplay", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fsager%3Fhold%3DSandplay"
    page = anonymous.get(response.headers["location"])
    assert "Log ind" in page.text and 'name="adgangskode"' in page.text
    done = login(anonymous, "koder1", next_path="/sager?hold=Sandplay")
    assert done.headers["location"] == "/sager?hold=Sandplay"
    assert "S-1002" in anonymous.get("/sager?hold=Sandplay").text


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_login_never_redirects_to_another_site(server, target):
    client = server.client()
    assert login(client, "koder1", next_path=target).headers["location"] == "/"


def test_session_cookie_flags(server):
    client = server.client()
    cookie = login(client, "koder1").headers["set-cookie"]
    assert cookie.startswith("effektspor_session=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie


def test_secure_cookies_behind_https(project):
    secure = Server(project, secure_cookies=True)
    try:
        client = TestClient(secure.app, base_url="https://127.0.0.1")
        cookies = [value for key, value in login(client, "koder1").headers.multi_items()
                   if key == "set-cookie"]
        session_cookie = next(c for c in cookies if c.startswith("__Host-effektspor="))
        assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    finally:
        secure.close()


def test_wrong_password_and_rate_limit(server):
    client = server.client()
    wrong = login(client, "leder1", password="forkert-kode")
    assert wrong.status_code == 401 and "Forkert brugernavn eller adgangskode" in wrong.text
    for _ in range(4):
        login(client, "leder1", password="forkert-kode")
    locked = login(client, "leder1")
    assert locked.status_code == 429 and "For mange mislykkede forsøg" in locked.text
    server.clock.advance(minutes=16)
    assert login(client, "leder1").status_code == 303


def test_session_idle_timeout(server):
    client = server.client("analytiker")
    server.clock.advance(minutes=29)
    assert client.get("/", follow_redirects=False).status_code == 200
    server.clock.advance(minutes=29)  # the visit above moved the deadline
    assert client.get("/", follow_redirects=False).status_code == 200
    server.clock.advance(minutes=31)
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_logout_ends_the_session(server):
    client = server.client("koder")
    token = csrf_from(client.get("/").text)
    cookie = client.cookies.get("effektspor_session")
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    replay = server.client()
    replay.cookies.set("effektspor_session", cookie)
    assert replay.get("/", follow_redirects=False).status_code == 303
    assert server.events("logud")[0].actor == "koder1"


def test_forged_session_cookie_is_ignored(server):
    client = server.client()
    client.cookies.set("effektspor_session", "noget.forfalsket")
    assert client.get("/", follow_redirects=False).status_code == 303




@pytest.mark.parametrize("role", ["administrator", "analytiker", "koder", "leder"])
def test_page_access_by_role(server, role):
    client = server.client(role)
    for page, allowed in PAGES.items():
        response = client.get(route_url(page, server))
        if role in allowed:
            assert response.status_code == 200, (page, role)
        else:
            assert response.status_code == 403, (page, role)
            assert "Ingen adgang" in response.text and "giver ikke adgang" in response.text


def test_every_get_route_is_in_the_page_matrix(server):
    get_routes = {path for method, path in app_routes(server.app)
                  if method == "GET" and path != "/login"}
    assert get_routes == set(PAGES)


def test_navigation_shows_only_what_the_role_may_use(server):
    leader = server.client("leder").get("/sager").text
    assert "Hændelseslog" not in leader and "Brugere" not in leader
    assert 'href="/sager/' not in leader and "Søg i sagsnummer<" not in leader
    admin = server.client("administrator").get("/sager").text
    assert 'href="/admin/log"' in admin and f'href="/sager/{server.case_ids[0]}"' in admin


def test_every_case_view_is_logged_with_who_and_which(server):
    coder, analyst, leader = (server.client(r) for r in ("koder", "analytiker", "leder"))
    first, second = server.case_ids[:2]
    for client, case_id in ((coder, first), (coder, first), (analyst, second)):
        assert client.get(f"/sager/{case_id}").status_code == 200
    assert leader.get(f"/sager/{first}").status_code == 403  # refused: not logged as a view
    assert coder.get("/sager/999999").status_code == 404
    views = server.events("sag_vist")
    assert [(e.actor, e.object_id) for e in views] == [
        ("koder1", str(first)), ("koder1", str(first)), ("analytiker1", str(second))]
    assert all(e.project_id == server.project.project_id for e in views)


def test_event_log_page_filters(server):
    server.client("koder").get(f"/sager/{server.case_ids[0]}")
    admin = server.client("administrator")
    page = admin.get("/admin/log", params={"bruger": "koder1", "handling": "sag_vist"})
    assert page.status_code == 200
    assert "1 hændelse." in page.text and "koder1" in page.text and "sagsnummer: S-1001" in page.text
    everything = admin.get("/admin/log").text
    assert "bruger_oprettet" in everything and "login" in everything


def test_case_page_shows_timeline_with_attention_points(server):
    client = server.client("koder")
    html = client.get(f"/sager/{server.case_ids[0]}").text
    assert "Sag S-1001" in html and "Tidslinje" in html
    assert html.count('class="entry notat"') == 4 and html.count('class="entry dokument"') == 2
    assert 'title="Opmærksomhedspunkt"' in html and "Udskrivningsrapport" in html
    assert "SEL § 52" in html  # the grant


def test_case_list_filters_search_partial_and_pages(server):
    client = server.client("analytiker")
    html = client.get("/sager", params={"q": "øjenkontakt"}).text
    assert "Søg i sagsnummer og tekst" in html and "med „øjenkontakt“" in html
    partial = client.get("/sager", params={"hold": "Sandplay"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.text and "2 sager" in partial.text
    assert client.get("/sager", params={"aar": "abc"}).status_code == 400
    assert client.get("/sager", params={"side": "0"}).status_code == 400
    assert "Ingen sager passer" in client.get("/sager", params={"side": "9"}).text


def test_overview_page(server):
    html = server.client("leder").get("/").text
    assert "Testprojekt 2019" in html and "Pseudonymisering" in html
    assert "Afsluttede sager pr. år" in html and "Handleplan" in html


def test_admin_creates_user_and_grants_case_text(server):
    admin = server.client("administrator")
    token = csrf_from(admin.get("/admin/brugere").text)
    bad = admin.post("/admin/brugere", data={"csrf_token": token, "brugernavn": "ny",
                                             "adgangskode": "kort", "rolle": "leder"})
    assert bad.status_code == 400 and "mindst 10 tegn" in bad.text
    made = admin.post("/admin/brugere", data={"csrf_token": token, "brugernavn": "ny.leder",
                                              "adgangskode": PASSWORD, "rolle": "leder"})
    assert made.status_code == 200 and "Brugeren ny.leder er oprettet" in made.text
    leader = server.client()
    login(leader, "ny.leder")
    case_page = f"/sager/{server.case_ids[0]}"
    assert leader.get(case_page).status_code == 403
    with server.project.sessions() as session:
        from effektspor.store.tables_web import User

        user_id = session.scalar(select(User.id).where(User.username == "ny.leder"))
    admin.post(f"/admin/brugere/{user_id}/sagstekst", data={"csrf_token": token, "tildelt": "1"})
    assert leader.get(case_page).status_code == 200
    admin.post(f"/admin/brugere/{user_id}/aktiv", data={"csrf_token": token, "aktiv": "0"})
    assert leader.get(case_page, follow_redirects=False).status_code == 303  # logged out


def test_security_headers(server):
    response = server.client("koder").get("/")
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"


def test_danish_error_pages(server):
    client = server.client("koder")
    missing = client.get("/findes/ikke")
    assert missing.status_code == 404 and "Siden findes ikke" in missing.text
    assert client.get("/sager/999999").status_code == 404
    assert "lang=\"da\"" in missing.text


def test_static_files_ship_htmx_with_its_licence(server):
    client = server.client()
    htmx = client.get("/static/htmx.min.js")
    assert htmx.status_code == 200 and "htmx" in htmx.text[:2000]
    assert "Zero-Clause BSD" in client.get("/static/htmx.LICENSE.txt").text


# --- settings and local mode --------------------------------------------------------------

def test_server_mode_requires_a_long_secret_key(project, tmp_path):
    folder = project.folder
    with pytest.raises(EffektsporError, match="hemmelig nøgle"):
        create_app(Settings(project_dir=folder, server_mode=True))
    with pytest.raises(EffektsporError, match="mindst 32 tegn"):
        create_app(Settings(project_dir=folder, server_mode=True, secret_key="kort"))
    key_file = tmp_path / "noegle"
    key_file.write_text(KEY + "\n")
    settings = Settings(project_dir=folder, server_mode=True, secret_key_file=key_file)
    assert settings.signing_key() == KEY.encode()
    with pytest.raises(EffektsporError, match="Kan ikke læse nøglefilen"):
        Settings(server_mode=True, secret_key_file=tmp_path / "mangler").signing_key()


def test_settings_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("EFFEKTSPOR_WEB_SERVER_MODE", "1")
    monkeypatch.setenv("EFFEKTSPOR_WEB_PROJECT_DIR", str(tmp_path))
    monkeypatch.setenv("EFFEKTSPOR_WEB_SESSION_IDLE_MINUTES", "5")
    settings = Settings()
    assert settings.server_mode and settings.project_dir == tmp_path
    assert settings.policy().idle_timeout.total_seconds() == 300
    with pytest.raises(EffektsporError, match="kræver de værtsnavne"):
        settings.host_names()
    assert Settings(server_mode=False).host_names() == ["127.0.0.1", "localhost"]
    monkeypatch.setenv("EFFEKTSPOR_WEB_ALLOWED_HOSTS", "effektspor.kommune.dk, *.kommune.dk")
    assert Settings().host_names() == ["effektspor.kommune.dk", "*.kommune.dk"]


def test_local_mode_needs_no_login_but_checks_host_and_csrf(project):
    if not project.is_local:
        with pytest.raises(EffektsporError, match="delt database"):
            create_app(Settings(project_dir=project.folder))
        return
    seed_cases(project, cases=2)
    with TestClient(create_app(Settings(project_dir=project.folder)), base_url=BASE) as client:
        assert client.get("/").status_code == 200
        assert client.get("/login", follow_redirects=False).headers["location"] == "/"
        assert client.get("/sager/1").status_code == 200
        assert "lokal" in client.get("/").text and "Log ud" not in client.get("/").text
        rebinding = client.get("/", headers={"Host": "evil.example"})
        assert rebinding.status_code == 400
        data = {"brugernavn": "lokal.koder", "adgangskode": PASSWORD, "rolle": "koder"}
        assert client.post("/admin/brugere", data=data).status_code == 403
        token = csrf_from(client.get("/admin/brugere").text)
        assert client.post("/admin/brugere", data={**data, "csrf_token": token}).status_code == 200
    with project.sessions() as session:
        assert session.scalar(select(Event.actor).where(Event.action == "sag_vist"))

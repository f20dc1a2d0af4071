"""Data-safety hardening of the web server (issue #12): control characters in input,
out-of-range ids, the client address behind a proxy, security headers on every response,
allowed hosts, and the 500 page.
"""

from __future__ import annotations

import html
import re
import types
import typing

import pytest
from annotated_types import Ge, Le
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.exc import DataError

from effektspor.domain.errors import EffektsporError
from effektspor.store.tables_web import LoginAttempt, User
from effektspor.web.app import create_app
from effektspor.web.guards import host_allowed, host_of
from effektspor.web.params import DB_INT_MAX
from effektspor.web.settings import Settings
from support.web import BASE, KEY, Server
from web_routes import PAGES, STATE_CHANGING
from web_seed import PASSWORD, csrf_from, login

HUGE = "99999999999999999999"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
#: Control characters that no field may hold (tab and line breaks are tested apart).
CONTROL = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x1f", "\x7f"]
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options",
                    "referrer-policy", "cross-origin-opener-policy", "permissions-policy")


def _any_ids(path: str) -> str:
    """The path with "1" in every placeholder (the guards answer before any route)."""
    return _PLACEHOLDER.sub("1", path)


def _is_rejected(response) -> bool:
    return response.status_code == 400 and "kontroltegn" in response.text


# --- 1. control characters ----------------------------------------------------------------

@pytest.mark.parametrize("character", CONTROL)
def test_control_characters_in_the_search_and_filters_are_refused(server, character):
    client = server.client("analytiker")
    for name in ("q", "hold", "aar", "kode", "maalopnaaelse"):
        response = client.get("/sager", params={name: f"sam{character}vær"})
        assert _is_rejected(response), (name, response.status_code)
        page = html.unescape(response.text)
        assert "Ugyldige tegn" in page and f"Feltet '{name}'" in page
        assert response.headers["x-frame-options"] == "DENY"


def test_tab_and_line_breaks_are_refused_in_one_line_fields(server):
    client = server.client("analytiker")
    for value in ("a\tb", "a\nb", "a\rb"):
        assert _is_rejected(client.get("/sager", params={"q": value}))
    assert client.get("/sager", params={"q": "samvær æøå ÆØÅ – “citat”"}).status_code == 200


def test_nul_in_the_login_form_needs_no_login_and_is_never_checked(server):
    client = server.client()
    token = csrf_from(client.get("/login").text)
    for field in ("brugernavn", "adgangskode", "next"):
        data = {"brugernavn": "koder1", "adgangskode": PASSWORD, "next": "/",
                "csrf_token": token, field: "ko\x00der1"}
        response = client.post("/login", data=data, follow_redirects=False)
        assert _is_rejected(response), field
    with server.project.sessions() as session:
        assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 0
    assert login(client, "koder1").status_code == 303  # the form still works


def test_nul_in_a_new_user_name_saves_nothing(server):
    admin = server.client("administrator")
    token = csrf_from(admin.get("/admin/brugere").text)
    response = admin.post("/admin/brugere", data={
        "csrf_token": token, "brugernavn": "ny\x00bruger", "adgangskode": PASSWORD,
        "rolle": "koder"})
    assert _is_rejected(response)
    with server.project.sessions() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 4


def test_a_memo_may_have_line_breaks_but_no_nul(server):
    import web_routes_coding

    coder = server.client("koder")
    coding_id = web_routes_coding.url_params(server)["coding_id"]
    token = csrf_from(coder.get("/").text)
    url = f"/kodninger/{coding_id}/memo"
    refused = coder.post(url, data={"csrf_token": token, "memo": "a\x00b", "tidligere": ""},
                         headers={"HX-Request": "true"})
    assert _is_rejected(refused)
    assert refused.text.startswith('<p class="message error" role="alert">')  # htmx fragment
    assert "<html" not in refused.text
    saved = coder.post(url, data={"csrf_token": token, "memo": "Linje 1\r\nLinje 2\tslut",
                                  "tidligere": ""})
    assert saved.status_code == 200 and "Memoet er gemt" in saved.text


def test_control_characters_in_the_path_field_names_and_multipart(server):
    client = server.client("administrator")
    token = csrf_from(client.get("/").text)
    for path in ("/sager/%00", "/findes%00ikke", "/static/app.css%00", "/sager%0A"):
        response = client.get(path)
        assert response.status_code == 400 and "Adressen indeholder" in response.text, path
    named = client.get("/sager", params={"q\x00": "x"})
    assert named.status_code == 400 and "feltnavn" in named.text
    multipart = client.post("/admin/brugere", data={"csrf_token": token, "rolle": "koder",
                                                     "brugernavn": "x\x00y",
                                                     "adgangskode": PASSWORD},
                            files={"bilag": ("a.txt", b"indhold")})
    assert _is_rejected(multipart)


@pytest.mark.parametrize("path", sorted(PAGES))
def test_every_page_refuses_nul_without_login(server, path):
    response = server.client().get(_any_ids(path), params={"q": "\x00"},
                                   follow_redirects=False)
    assert _is_rejected(response), (path, response.status_code)


@pytest.mark.parametrize("path", sorted(STATE_CHANGING))
def test_every_form_refuses_nul_in_each_field(server, path):
    client = server.client()
    data = STATE_CHANGING[path][1] or {"felt": "x"}
    for field in data:
        form = {**data, field: "x\x00"}
        response = client.post(_any_ids(path), data=form, follow_redirects=False)
        assert _is_rejected(response), (path, field, response.status_code)


def test_nul_is_refused_in_local_mode_too(project):
    if not project.is_local:
        pytest.skip("lokal tilstand kræver SQLite")
    with TestClient(create_app(Settings(project_dir=project.folder)), base_url=BASE) as client:
        assert _is_rejected(client.get("/sager", params={"q": "a\x00"}))


# --- 2. ids outside the database's integer range ------------------------------------------

@pytest.mark.parametrize("value", [HUGE, str(DB_INT_MAX + 1), "-1", "0", "1e3", "abc"])
def test_a_case_id_out_of_range_is_not_found(server, value):
    client = server.client("koder")
    response = client.get(f"/sager/{value}")
    assert response.status_code == 404 and "Siden findes ikke" in response.text
    assert client.get(f"/sager/{DB_INT_MAX}").status_code == 404  # in range, no such case


def _id_paths() -> list[str]:
    paths = [p for p in (*PAGES, *STATE_CHANGING) if re.search(r"\{[a-z_]*_id\}", p)]
    return sorted(set(paths))


@pytest.mark.parametrize("path", _id_paths())
def test_every_route_with_an_id_answers_404_to_a_huge_one(server, path):
    admin = server.client("administrator")
    token = csrf_from(admin.get("/").text)
    for placeholder in (p for p in _PLACEHOLDER.findall(path) if p.endswith("_id")):
        # The huge id in one placeholder, 1 in the others: refused before any query.
        url = _PLACEHOLDER.sub(lambda m, p=placeholder: HUGE if m.group(1) == p else "1",
                               path)
        if path in STATE_CHANGING:
            response = admin.post(url, data={**STATE_CHANGING[path][1], "csrf_token": token},
                                  follow_redirects=False)
        else:
            response = admin.get(url, follow_redirects=False)
        assert response.status_code == 404, (url, response.status_code, response.text[:200])
        assert "Siden findes ikke" in response.text


def test_huge_numbers_in_the_query_and_forms_are_invalid_input(server):
    admin = server.client("administrator")
    token = csrf_from(admin.get("/").text)
    for url in (f"/klassifikation/naeste?efter={HUGE}", f"/rekodning?runde={HUGE}",
                f"/rekodning?udeladt={HUGE}", f"/sager?side={HUGE}"):
        assert admin.get(url, follow_redirects=False).status_code == 400, url
    decided = admin.post("/forslag/afgoer", data={"csrf_token": token, "beslutning": "afvis",
                                                  "valgt": [HUGE]})
    assert decided.status_code == 400 and "Ugyldig forespørgsel" in decided.text


def _int_bounds(annotation, metadata) -> list[tuple[int | None, int | None]]:
    """(ge, le) of every int inside a parameter's type (None: unbounded)."""
    if annotation is int:
        return [(next((m.ge for m in metadata if isinstance(m, Ge)), None),
                 next((m.le for m in metadata if isinstance(m, Le)), None))]
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        extra = [*metadata, *args[1:],
                 *(m for arg in args[1:] for m in getattr(arg, "metadata", []))]
        return _int_bounds(args[0], extra)
    if origin in (typing.Union, types.UnionType):  # int | None: the same bounds
        return [bound for arg in args for bound in _int_bounds(arg, metadata)]
    # a container (list[...]): the items need bounds of their own
    return [bound for arg in args for bound in _int_bounds(arg, [])]


def _api_routes(routes):
    for route in routes:
        nested = getattr(route, "original_router", None)
        if nested is not None:
            yield from _api_routes(nested.routes)
        elif isinstance(route, APIRoute):
            yield route


def test_every_int_parameter_of_every_route_fits_the_database(server):
    checked = 0
    for route in _api_routes(server.app.routes):
        dependant = route.dependant
        params = [*dependant.path_params, *dependant.query_params, *dependant.body_params]
        for sub in dependant.dependencies:
            params += [*sub.path_params, *sub.query_params, *sub.body_params]
        for field in params:
            info = field.field_info
            for ge, le in _int_bounds(info.annotation, info.metadata):
                checked += 1
                assert ge is not None and ge >= 0, (route.path, field.name)
                assert le is not None and le <= DB_INT_MAX, (route.path, field.name)
    assert checked >= 25  # ids in paths, pages, counts, offsets, the selected suggestions


# --- 3. the client address: X-Forwarded-For only from a named proxy -----------------------

def test_a_rotating_forwarded_for_does_not_escape_the_rate_limit(server):
    client = server.client()
    for number in range(5):
        token = csrf_from(client.get("/login").text)
        client.post("/login", data={"brugernavn": "leder1", "adgangskode": "forkert-kode",
                                    "csrf_token": token},
                    headers={"X-Forwarded-For": f"10.0.0.{number}"})
    token = csrf_from(client.get("/login").text)
    locked = client.post("/login", data={"brugernavn": "leder1", "adgangskode": PASSWORD,
                                         "csrf_token": token},
                         headers={"X-Forwarded-For": "10.0.0.99"})
    assert locked.status_code == 429
    with server.project.sessions() as session:
        assert set(session.scalars(select(LoginAttempt.ip))) == {"testclient"}


def test_behind_a_named_proxy_the_forwarded_address_is_the_client(project):
    behind = Server(project, forwarded_allow_ips="testclient")  # TestClient's peer address
    try:
        client = behind.client()

        def attempt(address: str, password: str):
            token = csrf_from(client.get("/login").text)
            return client.post("/login", headers={"X-Forwarded-For": f"6.6.6.6, {address}"},
                               data={"brugernavn": "leder1", "adgangskode": password,
                                     "csrf_token": token}, follow_redirects=False)

        for _ in range(5):
            assert attempt("10.1.1.1", "forkert-kode").status_code == 401
        assert attempt("10.1.1.1", PASSWORD).status_code == 429
        assert attempt("10.1.1.2", PASSWORD).status_code == 303  # another client
        with project.sessions() as session:
            assert set(session.scalars(select(LoginAttempt.ip))) == {"10.1.1.1", "10.1.1.2"}
    finally:
        behind.close()


def test_trusting_every_proxy_is_refused(project):
    with pytest.raises(EffektsporError, match="forfalske"):
        Settings(server_mode=True, forwarded_allow_ips="*").proxy_addresses()
    assert Settings().proxy_addresses() == []
    assert Settings(forwarded_allow_ips="127.0.0.1, 10.0.0.0/24").proxy_addresses() == [
        "127.0.0.1", "10.0.0.0/24"]


# --- 4. and 8. security headers on every response, and the 500 page -----------------------

def _boom() -> None:
    raise DataError("SELECT text FROM notes WHERE text = %(q)s", {"q": "Hemmelig Hansen"},
                    Exception("invalid byte sequence"))


def _responses(app_server: Server, base_url: str = BASE) -> dict[str, object]:
    app_server.app.add_api_route("/test-fejl", _boom)
    client = TestClient(app_server.app, base_url=base_url, raise_server_exceptions=False)
    client.__enter__()
    app_server.clients.append(client)
    assert login(client, "administrator1").status_code == 303
    token = csrf_from(client.get("/").text)
    return {
        "200": client.get("/"),
        "303": client.get("/login", follow_redirects=False),
        "400 kontroltegn": client.get("/sager", params={"q": "\x00"}),
        "400 ugyldig": client.get("/sager", params={"aar": "abc"}),
        "400 vært": client.get("/", headers={"Host": "evil.example"}),
        "403": client.post("/logout", data={}),
        "404": client.get("/findes/ikke"),
        "404 id": client.get(f"/sager/{HUGE}"),
        "405": client.put("/"),
        "409/400 form": client.post("/admin/brugere", data={"csrf_token": token}),
        "500": client.get("/test-fejl"),
        "static": client.get("/static/app.css"),
        "static 404": client.get("/static/findes-ikke.css"),
        "head": client.head("/static/htmx.min.js"),
    }


def test_every_response_has_the_security_headers_and_no_hsts_without_https(server):
    responses = _responses(server)
    assert responses["500"].status_code == 500 and responses["405"].status_code == 405
    for name, response in responses.items():
        for header in SECURITY_HEADERS:
            assert header in response.headers, (name, header)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], name
        assert response.headers["x-content-type-options"] == "nosniff", name
        assert "strict-transport-security" not in response.headers, name
        if not name.startswith(("static", "head")):
            assert response.headers["cache-control"] == "no-store", name


def test_https_adds_hsts_to_every_response(project):
    secure = Server(project, secure_cookies=True)
    try:
        for name, response in _responses(secure, "https://127.0.0.1").items():
            assert response.headers["strict-transport-security"] == "max-age=31536000", name
    finally:
        secure.close()


def test_the_500_page_is_danish_and_shows_nothing_of_the_error(server, caplog):
    response = _responses(server)["500"]
    assert response.status_code == 500
    assert "Uventet fejl" in response.text and 'lang="da"' in response.text
    for secret in ("Hemmelig Hansen", "SELECT", "Traceback", "DataError", "invalid byte"):
        assert secret not in response.text
    assert "Uventet fejl i GET /test-fejl" in caplog.text  # the log has it


def test_the_500_page_survives_a_broken_template(server, monkeypatch):
    import effektspor.web.app as web_app

    def broken(*_args, **_kwargs):
        raise RuntimeError("skabelonen fejlede")

    server.app.add_api_route("/test-fejl", _boom)
    monkeypatch.setattr(web_app, "_error_page", broken)
    client = TestClient(server.app, base_url=BASE, raise_server_exceptions=False)
    response = client.get("/test-fejl")
    assert response.status_code == 500 and "Uventet fejl" in response.text
    assert "skabelonen" not in response.text and "content-security-policy" in response.headers


# --- 5. allowed hosts ---------------------------------------------------------------------

def test_server_mode_requires_allowed_hosts(project):
    with pytest.raises(EffektsporError, match="kræver de værtsnavne"):
        create_app(Settings(project_dir=project.folder, server_mode=True, secret_key=KEY))
    with pytest.raises(EffektsporError, match="'\\*'"):
        create_app(Settings(project_dir=project.folder, server_mode=True, secret_key=KEY,
                            allowed_hosts="*"))


def test_another_host_gets_a_plain_danish_400(server):
    client = server.client()
    for host in ("evil.example", "127.0.0.1.evil.example", "localhost", ""):
        response = client.get("/login", headers={"Host": host})
        assert response.status_code == 400, host
        assert "Ukendt værtsnavn" in response.text and "Testprojekt" not in response.text
    assert client.get("/login", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_host_names_with_ports_and_wildcards():
    assert host_of("Effektspor.Kommune.dk:443") == "effektspor.kommune.dk"
    assert host_of("[::1]:8000") == "[::1]" and host_of("::1") == "::1"
    allowed = ["effektspor.kommune.dk", "*.intern.kommune.dk"]
    assert host_allowed("effektspor.kommune.dk", allowed)
    assert host_allowed("a.intern.kommune.dk", allowed)
    assert not host_allowed("intern.kommune.dk", allowed)
    assert not host_allowed("effektspor.kommune.dk.evil.example", allowed)
    assert not host_allowed("evilintern.kommune.dk", allowed)


def test_local_mode_needs_no_host_configuration(project):
    if not project.is_local:
        pytest.skip("lokal tilstand kræver SQLite")
    app = create_app(Settings(project_dir=project.folder))
    with TestClient(app, base_url="http://localhost:8000") as client:
        assert client.get("/").status_code == 200
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
        assert "strict-transport-security" not in client.get("/").headers

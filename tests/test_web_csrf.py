"""Every state-changing route: CSRF token required, and the right role required.

The routes are read from the app itself, so a new POST route that no area module
(tests/web_routes_*.py) lists makes the test fail until its roles are written down.
"""

from __future__ import annotations

import pytest

from web_routes import STATE_CHANGING
from web_routes import url as route_url
from web_seed import app_routes, csrf_from

STATE_CHANGING_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
EVERYONE = {"administrator", "analytiker", "koder", "leder"}



def _state_changing_routes(app) -> list[tuple[str, str]]:
    return sorted((method, path) for method, path in app_routes(app)
                  if method in STATE_CHANGING_METHODS)


def test_every_state_changing_route_is_listed(server):
    routes = _state_changing_routes(server.app)
    assert len(routes) >= 5
    assert {path for _, path in routes} == set(STATE_CHANGING)


@pytest.mark.parametrize("path", sorted(STATE_CHANGING))
def test_requests_without_a_valid_csrf_token_are_rejected(server, path):
    admin = server.client("administrator")
    other = server.client("administrator")
    url, data = route_url(path, server), STATE_CHANGING[path][1]
    before = len(server.events("bruger_oprettet")), len(server.events("bruger_aktiveret"))
    for token in (None, "", "forkert", csrf_from(other.get("/").text)):  # last: another session
        form = dict(data) if token is None else {**data, "csrf_token": token}
        response = admin.post(url, data=form, follow_redirects=False)
        assert response.status_code == 403, (path, token)
        assert "CSRF" in response.text
        header = admin.post(url, data=data, headers={"X-CSRF-Token": token or "x"},
                            follow_redirects=False)
        assert header.status_code == 403
    assert (len(server.events("bruger_oprettet")), len(server.events("bruger_aktiveret"))) \
        == before
    # The same request with the right token passes the CSRF check.
    token = csrf_from(admin.get("/login" if path == "/login" else "/").text)
    if path == "/login":
        admin = server.client()
        token = csrf_from(admin.get("/login").text)
    response = admin.post(url, data={**data, "csrf_token": token}, follow_redirects=False)
    assert response.status_code != 403, path


def test_the_csrf_header_of_htmx_is_accepted(server):
    admin = server.client("administrator")
    token = csrf_from(admin.get("/").text)
    response = admin.post("/admin/brugere", headers={"X-CSRF-Token": token},
                          data={"brugernavn": "via.htmx", "adgangskode": "en-lang-kode-1",
                                "rolle": "koder"}, follow_redirects=False)
    assert response.status_code == 303
    assert server.events("bruger_oprettet")[-1].details["brugernavn"] == "via.htmx"


def test_login_form_token_is_bound_to_its_cookie(server):
    first, second = server.client(), server.client()
    token = csrf_from(first.get("/login").text)
    second.get("/login")  # has a login cookie of its own
    response = second.post("/login", data={"brugernavn": "koder1", "adgangskode": "x" * 12,
                                           "csrf_token": token})
    assert response.status_code == 403


@pytest.mark.parametrize("role", sorted(EVERYONE))
@pytest.mark.parametrize("path", [p for p, (roles, _) in STATE_CHANGING.items() if roles])
def test_state_changing_routes_require_the_right_role(server, path, role):
    client = server.client(role)
    token = csrf_from(client.get("/").text)
    roles, data = STATE_CHANGING[path]
    response = client.post(route_url(path, server), data={**data, "csrf_token": token},
                           follow_redirects=False)
    if role in roles:
        assert response.status_code in (200, 303), (path, role, response.text[:300])
    else:
        assert response.status_code == 403 and "Ingen adgang" in response.text


@pytest.mark.parametrize("path", [p for p, (roles, _) in STATE_CHANGING.items() if roles])
def test_state_changing_routes_require_login(server, path):
    anonymous = server.client()
    token = csrf_from(anonymous.get("/login").text)
    response = anonymous.post(route_url(path, server), data={**STATE_CHANGING[path][1],
                                                        "csrf_token": token},
                              follow_redirects=False)
    assert response.status_code in (401, 303) and response.status_code != 200
    if path != "/logout":
        assert response.status_code == 401 and "logge ind" in response.text

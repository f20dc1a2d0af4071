"""The web app in server mode under FastAPI's TestClient (the ``server`` fixture's server)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from effektspor.store.tables import Event
from effektspor.web.app import create_app
from effektspor.web.settings import Settings
from web_seed import FakeClock, login, seed_cases, seed_users

KEY = "en-hemmelig-testnoegle-som-er-lang-nok-1234"
BASE = "http://127.0.0.1"


def seed(project) -> tuple[list[int], dict[str, str]]:
    """The server's data: six cases and one user per role; returns (case ids, users)."""
    return seed_cases(project, cases=6), seed_users(project)


class Server:
    """A server-mode app on the test project, with one user per role and six cases."""

    def __init__(self, project, *, seeded: tuple[list[int], dict[str, str]] | None = None,
                 **settings):
        """``seeded``: the project already holds the cases and users (what :func:`seed`
        returned for it), e.g. a copy made by the ``seeded_project`` fixture."""
        self.project = project
        self.case_ids, self.users = seeded or seed(project)
        self.clock = FakeClock()
        settings.setdefault("allowed_hosts", "127.0.0.1")  # the host of BASE
        self.settings = Settings(project_dir=project.folder, server_mode=True, secret_key=KEY,
                                 **settings)
        self.app = create_app(self.settings, clock=self.clock)
        self.clients: list[TestClient] = []

    def client(self, role: str | None = None) -> TestClient:
        """A browser of its own; logged in as the user of ``role`` if given."""
        client = TestClient(self.app, base_url=BASE)
        client.__enter__()
        self.clients.append(client)
        if role:
            assert login(client, self.users[role]).status_code == 303
        return client

    def events(self, action: str) -> list[Event]:
        with self.project.sessions() as session:
            return list(session.scalars(select(Event).where(Event.action == action)
                                        .order_by(Event.id)))

    def close(self) -> None:
        for client in self.clients:
            client.__exit__(None, None, None)

"""How every service is called, by the CLI and the web app alike.

A service function of an area is keyword-only and receives

* ``session``: the caller's unit of work (:data:`UnitOfWork`). The service reads and
  writes in it and never commits: the front end opens one unit of work per command or
  request with :func:`unit_of_work`, which commits when the call returns and rolls back
  when it raises. The CLI uses it around a call; the web app's database dependency
  (``web/deps.py``) is the same function, so routes do not commit either.
* ``actor``: an :class:`~effektspor.services.authorization.Actor`, the person the
  service acts for. The service checks the actor's role itself, so both front ends go
  through the same checks. The CLI on a local project acts as :func:`local_actor`,
  with the role the web app gives its single local user.
* ``project_id``: the project it works in (a database may hold several).

Functions that touch no project data (a file in, a file out) take none of these.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import yaml
from sqlalchemy.orm import Session

from effektspor.domain.errors import EffektsporError
from effektspor.services.authorization import Actor, Role
from effektspor.services.project import CODER_ENV, ProjectContext, current_user, read_settings

#: A session in which a service does its work; the front end commits or rolls back.
UnitOfWork = Session

#: The role of the single local user (the CLI, and the web app in local mode).
LOCAL_ROLE = Role.ADMINISTRATOR

#: The key of the coder name in a project's settings file (``effektspor.yaml``).
CODER_SETTING = "koder"

__all__ = ["CODER_ENV", "CODER_SETTING", "LOCAL_ROLE", "UnitOfWork", "local_actor",
           "local_coder_name", "unit_of_work"]


@contextmanager
def unit_of_work(project: ProjectContext) -> Iterator[UnitOfWork]:
    """One unit of work: committed when the block ends, rolled back if it raises."""
    with project.sessions() as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()


def local_coder_name(project: ProjectContext | None = None, *,
                     name: str | None = None) -> str:
    """The local user's name in the log and on their codings: ``name`` (an option), else
    ``EFFEKTSPOR_KODER``, else ``koder:`` in the project's settings, else the login name."""
    setting = _setting(project) if project is not None else None
    for candidate in (name, os.environ.get(CODER_ENV), setting):
        if candidate and candidate.strip():
            return candidate.strip()
    return current_user()


def local_actor(project: ProjectContext | None = None, *, name: str | None = None) -> Actor:
    """The single local user (see :func:`local_coder_name`) with the local role."""
    return Actor(local_coder_name(project, name=name), LOCAL_ROLE)


def _setting(project: ProjectContext) -> str | None:
    try:
        value = read_settings(project.folder).get(CODER_SETTING)
    except (EffektsporError, OSError, yaml.YAMLError):
        return None
    return value if isinstance(value, str) else None

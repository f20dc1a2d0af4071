"""The web app's route matrix, gathered from one module per area (``web_routes_*.py``).

Each area module declares

* ``PAGES``: GET path (as the app spells it, e.g. ``/sager/{case_id}``) -> roles that may
  open it (every other role must get 403 "Ingen adgang");
* ``STATE_CHANGING``: POST/PUT/PATCH/DELETE path -> (roles allowed, or None for routes
  that need no login; form data of a valid request);
* ``url_params(server) -> dict``: values for the placeholders of its paths. It may add
  the data its routes need (a codebook, a suggestion, a re-coding round) to the
  server's fresh project; it is called once per test that uses one of its paths.

The security tests (test_web_app, test_web_csrf) use the union of all areas, and a route
the app answers that no area lists makes them fail until its roles are written down.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import ModuleType

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def area_modules() -> list[ModuleType]:
    """Every ``web_routes_<area>`` module beside this file, in name order."""
    names = sorted(p.stem for p in Path(__file__).parent.glob("web_routes_*.py"))
    return [importlib.import_module(name) for name in names]


def _union(attribute: str) -> dict:
    merged: dict = {}
    for module in area_modules():
        entries = getattr(module, attribute, {})
        overlap = set(entries) & set(merged)
        assert not overlap, f"{module.__name__} lists {sorted(overlap)} again"
        merged.update(entries)
    return merged


PAGES: dict[str, set[str]] = _union("PAGES")
STATE_CHANGING: dict[str, tuple[set[str] | None, dict]] = _union("STATE_CHANGING")


def _owner(path: str) -> ModuleType:
    for module in area_modules():
        if path in getattr(module, "PAGES", {}) or path in getattr(module, "STATE_CHANGING", {}):
            return module
    raise KeyError(path)


def url(path: str, server) -> str:
    """``path`` with its placeholders filled by the owning area's ``url_params``."""
    if not _PLACEHOLDER.search(path):
        return path
    params = _owner(path).url_params(server)
    return _PLACEHOLDER.sub(lambda m: str(params[m.group(1)]), path)

"""The cases area's use cases: what a project holds and what a case says. Called by
``web/routers/overview.py`` and ``web/routers/cases.py`` (the CLI shows a project's state
with ``status``, an import-area command); the contract: ``services/contract.py``.

* ``overview``: the project at a glance (counts of cases, closings per year, documents
  per type, notes, imports, how much is pseudonymised).
* ``case_list``: one page of the filtered case list (team, year, free text, standard
  variables, codes; the filters themselves are ``filters``).
* ``case_view``: one page of a case's timeline (logs that the case text was read), and
  where a single note is shown.

Each use case does a fixed, small number of indexed queries (never one per case or
note). Nothing is imported here, so that a front end loads only the modules it calls.
"""

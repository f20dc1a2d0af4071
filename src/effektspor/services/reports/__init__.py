"""The reports area's use cases, called by ``cli/report_commands.py``,
``web/routers/analysis.py`` (the downloads) and the demo alike (the contract:
``services/contract.py``).

* ``documentation``: the documentation analysis ("trin 3") and its report (``rapport``).
* ``yearly``: the yearly effect report, internal and pixi editions (``årsrapport``).
* ``downloads``: the reports offered for download in the web app, generated on demand.
* ``yearly_tables``, ``yearly_coding``: building blocks of the yearly report.
* ``files``: writing a table of rows as a CSV safe for spreadsheets (no project).

Nothing is imported here, so that a front end loads only the modules it calls.
"""

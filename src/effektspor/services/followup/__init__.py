"""The daily follow-up's use cases (issue 13), called by ``cli/followup_commands.py`` and
(next) the web app alike (the contract: ``services/contract.py``).

* ``measures``: register and list a case's measures (indsatser).
* ``goals``: set, revise (history kept) and list goals (mål).
* ``measurements``: record and list measurements with an instrument.
* ``follow_ups``: record a held follow-up: goal assessments, decision, future schedule.
* ``due``: the due list (overdue, due within 14 days, next) per caseworker, team or all,
  each date with the rule behind it; a case's calendar.
* ``caseload``: open cases and children per caseworker and team (sagstal).
* ``files``: the CLI contracts on plain CSV files (no project, no database).
* ``validation``: input checks with Danish problems.
* ``shared``: building blocks for other services (the pseudonymiser's hook).

Nothing is imported here, so that a front end loads only the modules it calls.
"""

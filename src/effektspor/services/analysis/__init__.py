"""The analysis area's use cases, called by ``cli/analysis_commands.py`` and
``web/routers/analysis.py`` alike (the contract: ``services/contract.py``).

* ``frame``: the project's cases as one analysis table (the only case table for analysis:
  the web's pages and the CLI's commands on a project read it).
* ``crosstabs``: a crosstab of the project (the web's page and ``krydstabel``), and the
  cases (with quotes for case readers) behind a number.
* ``hypotheses``: the hypothesis table like Tabel 5 of the project (``hypotese``).
* ``configurations``: crisp-set QCA of the project: the web's truth table of features
  with drill-down, and ``qca`` with its parameters.
* ``evidence``: the quotes and coded passages behind a case's values (a building block).
* ``files``: the same analyses of a CSV of cases (no project, no database).

Nothing is imported here, so that a front end loads only the modules it calls (SciPy is
slow to import).
"""

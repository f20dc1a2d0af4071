"""The coding area's use cases, called by ``cli/coding_commands.py`` and
``web/routers/coding.py`` alike (the contract: ``services/contract.py``).

* ``codings``: add, remove, edit the memo, list a person's codings.
* ``undo``: undo a coding event from either front end (restore or remove again).
* ``workbench``: a case's notes highlighted with their codings and open suggestions.
* ``autocoding``: auto-code a project with the codebook's rules.
* ``suggestions``: train the suggestion model, propose, list and decide suggestions.
* ``suggestion_review``: the review page of open suggestions with their reasons.
* ``queries``: KWIC search, word frequencies, counts per code, co-occurrence.
* ``refi``: REFI-QDA export and import.
* ``files``: auto-coding and evaluation of JSONL files (no project, no database).
* ``permissions``: who may change which coding.
* ``shared``: building blocks other areas' services use inside their own use case.

Nothing is imported here, so that a front end loads only the modules it calls (the
suggestion model's libraries are slow to import).
"""

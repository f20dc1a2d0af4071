"""The recoding area's use cases (a blind second coding of a sample of cases, the
agreement between the two coders, and settling their disagreements), called by
``cli/recoding_commands.py`` and ``web/routers/recoding.py`` alike (the contract:
``services/contract.py``).

* ``rounds``: the area's home page, drawing a round for a second coder, the list of
  rounds, a round's work list.
* ``blind_sheet``: the blind sheet of one case for the round's coder, and saving it.
* ``sheet_files``: the blind sheet as an XLSX/CSV file: export, and reading it back.
* ``agreement``: agreement per variable (κ, α, intervals, a Danish reading), in
  characters per code per note, and on code presence per case.
* ``disagreements``: listing the disagreements and settling one with a reason.
* ``permissions``: who may open, fill in and read which round.
* ``state``: the stored rounds, pairs of codings and progress (this area's building
  blocks; no actor).
* ``characters``: the character-level comparison (building block of ``agreement``).
* ``shared``: building blocks other areas' services use inside their own use case
  (which cases are still blind for a coder).

Nothing is imported here, so that a front end loads only the modules it calls.
"""

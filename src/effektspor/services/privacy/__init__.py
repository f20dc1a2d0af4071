"""The privacy area's use cases (pseudonymisation and the key file), called by
``cli/privacy_commands.py`` and ``cli/import_commands.py`` (and by the importing area and
the demo inside their own runs).

* ``project_run``: pseudonymise a whole project in place (with the follow-up's free
  text, ``services.followup.free_text``), in batches of whole cases
  (``pseudonymise_project``; ``pseudonymise_pending`` for the rows an import just wrote);
  the settings of the last run (``latest_settings``).
* ``vault``: the key file: where it lies (``vault_file``), opening it (``VaultAccess``),
  and ``vault_transaction``, which writes a batch and the key file together.
* ``review``: the uncertain decisions of the last runs, and re-identification.
* ``files``: a JSONL file pseudonymised, and the gold-set evaluation (no project).

Nothing is imported here, so that a front end loads only the modules it calls.
"""

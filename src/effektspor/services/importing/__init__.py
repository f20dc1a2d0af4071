"""The import area (datahøst): ``importer`` in ``cli/import_commands.py``.

* ``imports``: ``import_paths`` — read an export, validate every record, store it in one
  transaction (pseudonymising new material when the project is pseudonymised).
* ``state``: what the import needs to know about the project before it writes (cases,
  schemes, document types, the content hashes and source ids already stored).
* ``bulk_write``: batched inserts with the driver's ``executemany``.

The import keeps its own transaction (it compacts the database after the commit), so it
takes the project and the actor's name rather than a unit of work. Nothing is imported
here, so that a front end loads only the modules it calls.
"""

"""The accounts area's use cases: user accounts of the shared server, login and login
sessions. Called by ``cli/web_commands.py`` (``bruger``) and ``web/routers/admin.py`` /
``web/routers/auth.py`` alike (the contract: ``services/contract.py``).

* ``users``: create, list, activate or deactivate users, grant a leder case text.
* ``login``: the two steps of a login (record the attempt, then check the password)
  with rate limiting, and :class:`~effektspor.services.accounts.login.SecurityPolicy`.
* ``sessions``: start, resolve and end a login session.
* ``passwords``: Argon2id hashing and the rules for a new account (building blocks).

User accounts belong to the database, not to one project (a server database may hold
several projects), so these use cases take no ``project_id``; their events are logged
without one and show in every project's log. Login takes no actor: it is how the web
app finds one.

Nothing is imported here, so that a front end loads only the modules it calls.
"""

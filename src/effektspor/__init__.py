"""effektspor — journalbaseret effektanalyse og systematisk opfølgning.

The package is layered (see docs/ARCHITECTURE.md): ``domain`` holds plain data and
rules, ``store`` the database, the pure layers (``ingest``, ``privacy``, ``text``,
``coding``, ``analysis``, ``report``, ``synthetic``) work on domain objects, ``services``
combines them with a database session, and ``cli``/``web`` are thin front ends.
"""

__version__ = "0.1.0"

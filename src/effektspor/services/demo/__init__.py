"""The demo: the whole method on synthetic data in one command (``effektspor demo``).

* ``pipeline``: ``run_demo`` and its list of steps, ``DEMO_STEPS``.

Nothing is imported here, so that a front end loads only the modules it calls.
"""

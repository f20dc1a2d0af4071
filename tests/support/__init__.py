"""Shared test helpers: template databases (``database``) and the web-app test server (``web``).

The older flat helper modules beside the tests (``web_seed``, ``web_routes``, ...) hold the
synthetic data of each area; what every area's tests share lives here.
"""

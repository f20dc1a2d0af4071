"""Use cases: combine the pure layers with a database session and write the event log.

The CLI and the web app call only these functions.
"""

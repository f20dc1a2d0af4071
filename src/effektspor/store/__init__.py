"""Persistence: SQLAlchemy tables, engine/session set-up and Alembic migrations.

Only ``store`` and ``services`` import SQLAlchemy.
"""

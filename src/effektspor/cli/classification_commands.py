"""CLI commands of the classification and reliability area (filled in by its issue)."""

import click


def register(cli: click.Group, evaluate: click.Group) -> None:
    """Add this area's commands to the main group (and the 'evaluer' group)."""

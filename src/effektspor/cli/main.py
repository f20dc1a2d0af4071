"""The ``effektspor`` command: a click group with Danish commands from each area module."""

from __future__ import annotations

import os

import click

from effektspor import __version__
from effektspor.cli import (
    analysis_commands,
    classification_commands,
    coding_commands,
    danish,
    demo_commands,
    import_commands,
    privacy_commands,
    project_commands,
    web_commands,
)

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", message="effektspor %(version)s")
def cli() -> None:
    """effektspor – journalbaseret effektanalyse for udsatte børn og familier.

    Kom i gang:  effektspor demo   (kører hele analysen på syntetiske data)
    """


@cli.group("evaluer")
def evaluate() -> None:
    """Mål kvaliteten af pseudonymisering og autokodning mod et guldsæt."""


for module in (project_commands, import_commands, demo_commands, privacy_commands,
               coding_commands, analysis_commands, classification_commands, web_commands):
    module.register(cli, evaluate)
danish.localise_metavars(cli)


PRIVATE_UMASK = 0o077


def main() -> None:
    """Entry point of the ``effektspor`` console script.

    Everything effektspor writes (databases, reports, exports) may hold personal data, so
    new files and folders are readable by their owner only (umask 077).
    """
    os.umask(PRIVATE_UMASK)
    cli(prog_name="effektspor")


if __name__ == "__main__":  # pragma: no cover
    main()

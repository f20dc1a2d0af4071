"""Danish texts for click's own messages (usage, help, errors).

click marks its messages with gettext's ``_``; effektspor users are Danish, so the CLI
replaces that function in click's modules with a lookup in this table. Messages not in
the table stay as click wrote them.
"""

from __future__ import annotations

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

DANISH: dict[str, str] = {
    "Usage:": "Brug:",
    "Options": "Tilvalg",
    "Commands": "Kommandoer",
    "Positional arguments": "Argumenter",
    "Show this message and exit.": "Vis denne hjælp og afslut.",
    "Show the version and exit.": "Vis versionen og afslut.",
    "Error: {message}": "Fejl: {message}",
    "Try '{command} {option}' for help.": "Prøv '{command} {option}' for hjælp.",
    "Missing argument": "Manglende argument",
    "Missing option": "Manglende tilvalg",
    "Missing parameter": "Manglende parameter",
    "Missing parameter: {param_name}": "Manglende parameter: {param_name}",
    "Missing command.": "Manglende kommando.",
    "No such option {name!r}.": "Ukendt tilvalg {name!r}.",
    "No such command {name!r}.": "Ukendt kommando {name!r}.",
    "Invalid value: {message}": "Ugyldig værdi: {message}",
    "Invalid value for {param_hint}: {message}": "Ugyldig værdi for {param_hint}: {message}",
    "Option {name!r} does not take a value.": "Tilvalget {name!r} tager ingen værdi.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} findes ikke.",
    "{name} {filename!r} is a file.": "{name} {filename!r} er en fil.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} er en mappe.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} kan ikke læses.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} kan ikke skrives.",
    "Could not open file {filename!r}: {message}": "Kunne ikke åbne {filename!r}: {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} er ikke et gyldigt {number_type}.",
    "{value} is not in the range {range}.": "{value} er uden for intervallet {range}.",
    "Choose from:\n\t{choices}": "Vælg mellem:\n\t{choices}",
    "required": "påkrævet",
    "file": "fil",
    "directory": "mappe",
    "path": "sti",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljøvariabel: {var}",
    "Aborted!": "Afbrudt!",
    "Do you want to continue?": "Vil du fortsætte?",
    "Repeat for confirmation": "Gentag for at bekræfte",
    "Error: The two entered values do not match.": "Fejl: De to indtastede værdier er forskellige.",
    "Confirm the action without prompting.": "Bekræft handlingen uden at spørge.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
}


def _danish(message: str) -> str:
    return DANISH.get(message, message)


def install() -> None:
    """Make click print its own messages in Danish."""
    for module in (click.core, click.decorators, click.exceptions, click.formatting,
                   click.parser, click.termui, click.types):
        if hasattr(module, "_"):
            module._ = _danish
    click.types.STRING.name = "tekst"
    click.types.INT.name = "heltal"
    click.types.FLOAT.name = "tal"
    click.types.BOOL.name = "ja/nej"


def localise_metavars(command: click.Command) -> None:
    """Use Danish placeholders ([TILVALG], KOMMANDO) in the usage lines of a command tree."""
    command.options_metavar = "[TILVALG]"
    if isinstance(command, click.Group):
        command.subcommand_metavar = "KOMMANDO [ARGUMENTER]..."
        for sub in command.commands.values():
            localise_metavars(sub)

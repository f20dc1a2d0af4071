"""The ``effektspor`` command: a click group with Danish commands from each area module.

The area modules are imported lazily (see ``cli/lazy.py``): ``effektspor --help`` and
``--version`` import none of them, and a command imports only its own module.
"""

from __future__ import annotations

import os

import click

from effektspor import __version__
from effektspor.cli import danish
from effektspor.cli.lazy import Entry, ModuleLoader, lazy_group

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# Every command of the main group: its name, the area module in effektspor.cli that
# defines it (through the module's ``register(cli, evaluate)``), and its short help (the
# first sentence of its docstring). The module is imported only when the command is used,
# so ``effektspor --help`` imports none of them. tests/test_cli_startup.py fails when this
# table and the commands disagree.
COMMANDS: dict[str, Entry] = {
    "autocode": Entry("coding_commands", "Autokod dagbogsnotater med kodebogens regler."),
    "autokod": Entry("coding_commands", "Autokod dagbogsnotater med kodebogens regler."),
    "bekræft": Entry("classification_commands",
                     "Bekræft (eller afvis) forslag for SAGER, eller --alle åbne forslag."),
    "bruger": Entry("web_commands", "Brugere på den delte server (opret, vis)."),
    "demo": Entry("demo_commands",
                  "Kør hele analysen på syntetiske data (ingen rigtige personer)."),
    "enighed": Entry("recoding_commands", "Enighed mellem to kodere: procent, kappa, vægtet "
                     "kappa og Krippendorffs alfa."),
    "foreslå": Entry("classification_commands", "Foreslå målopnåelse, problemstilling og "
                     "problemgrad ud fra sagernes dokumenter."),
    "forslag": Entry("coding_commands", "Maskinforslag lært af menneskelige kodninger (skal "
                     "altid godkendes af en person)."),
    "gendan": Entry("project_commands", "Gendan projektet fra sikkerhedskopien KOPI "
                    "(erstatter den nuværende database)."),
    "genidentificer": Entry("privacy_commands", "Vis hvem et pseudonym dækker over (kræver "
                            "nøglefil og adgangskode; logges altid)."),
    "gennemsyn-pseudonymisering": Entry("privacy_commands", "Vis de usikre afgørelser fra "
                                        "seneste pseudonymisering (mindst sikre først)."),
    "hypotese": Entry("analysis_commands", "Hypotesetabel som Tabel 5: celler A–D med deres "
                      "sager og de uplacerede sager."),
    "importer": Entry("import_commands",
                      "Importér journaldata (datahøst) fra en eksportmappe eller filer."),
    "klassificer": Entry("classification_commands",
                         'Giv SAG værdien VÆRDI for VARIABEL (fx maalopnaaelse "På vej").'),
    "klassifikation": Entry("classification_commands",
                            "Variable, import af værdier, historik og sagstabel."),
    "kodebog": Entry("coding_commands", "Vis, validér og eksportér kodebøger."),
    "kodeoverlap": Entry("coding_commands",
                         "Hvor ofte hovedkoderne optræder sammen (samforekomst)."),
    "kodning": Entry("coding_commands", "Manuel kodning ved en navngiven koder."),
    "krydstabel": Entry("analysis_commands", "Krydstabel med antal og kolonneprocenter "
                        "(afrundet fra første decimal) og en test."),
    "log": Entry("project_commands", "Vis de seneste hændelser i projektets hændelseslog."),
    "migrer": Entry("project_commands", "Opdatér projektets database til det nyeste skema "
                    "(server: kør efter opgradering)."),
    "opfølgning": Entry("followup_commands", "Opfølgning på det enkelte barn: indsatser, "
                        "mål, målinger, frister og sagstal."),
    "opret": Entry("project_commands", "Opret et nyt projekt i MAPPE."),
    "ordfrekvens": Entry("coding_commands", "De hyppigste ord i notaterne (uden stopord, "
                         "bøjningsformer samlet)."),
    "pseudonymiser": Entry("privacy_commands", "Erstat CPR-numre, navne, adresser, "
                           "telefonnumre, e-mails og steder med pseudonymer."),
    "pseudonymize": Entry("privacy_commands", "Erstat CPR-numre, navne, adresser, "
                          "telefonnumre, e-mails og steder med pseudonymer."),
    "qca": Entry("analysis_commands", "Crisp-set QCA: sandhedstabel, minimering og parametre "
                 "for tilpasning."),
    "rapport": Entry("report_commands", "Skriv dokumentationsanalysen (trin 3) som rapport."),
    "refi": Entry("coding_commands",
                  "Udveksling med NVivo, ATLAS.ti, MAXQDA og QualCoder (REFI-QDA)."),
    "rekodning": Entry("recoding_commands", "Pålidelighedstest: blind rekodning af en "
                       "stikprøve, enighed og afgørelser."),
    "serve": Entry("web_commands", "Start webappen for projektet og åbn den i browseren på "
                   "adressen, der vises."),
    "sikkerhedskopi": Entry("project_commands", "Tag en sikkerhedskopi af projektets database "
                            "(virker også, mens webappen kører)."),
    "status": Entry("import_commands", "Vis, hvad projektet indeholder: sager, dokumenter, "
                    "notater og importkørsler."),
    "søg": Entry("coding_commands", "Søg i notaterne med danske bøjningsformer (råd finder "
                 "også rådet, rådene)."),
    "årsrapport": Entry("report_commands", "Skriv den årlige effektrapport "
                        "(dokumentationsgrundlag, effekt, problemgrad, alliance)."),
}

# The commands of ``effektspor evaluer``, in the same form.
EVALUATE_COMMANDS: dict[str, Entry] = {
    "autokodning": Entry("coding_commands", "Sammenlign autokodningen med et guldsæt "
                         "(præcision, genkaldelse, F1, kappa)."),
    "pseudonymisering": Entry("privacy_commands", "Mål genkaldelse og præcision pr. etiket "
                              "mod et håndannoteret guldsæt."),
}

loader = ModuleLoader()


@lazy_group(registry=COMMANDS, loader=loader, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", message="effektspor %(version)s")
def cli() -> None:
    """effektspor – journalbaseret effektanalyse for udsatte børn og familier.

    Kom i gang:  effektspor demo   (kører hele analysen på syntetiske data)
    """


@lazy_group("evaluer", registry=EVALUATE_COMMANDS, loader=loader)
def evaluate() -> None:
    """Mål kvaliteten af pseudonymisering og autokodning mod et guldsæt."""


cli.add_command(evaluate)
loader.bind(cli, evaluate)
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

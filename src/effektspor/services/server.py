"""Rules of running the web app on a shared server that both front ends apply: the CLI
checks them before uvicorn starts, the web app when it is built."""

from __future__ import annotations

from effektspor.domain.errors import EffektsporError


def server_host_names(value: str) -> list[str]:
    """The host names a server answers to, from a comma-separated ``value``.

    They must be named (a forged Host header could otherwise make the app build links to
    another site), and "*" is refused; both give a Danish error.
    """
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise EffektsporError(
            "Servertilstand kræver de værtsnavne, serveren må svare på: start med "
            "--vaertsnavn effektspor.kommune.dk (eller sæt EFFEKTSPOR_WEB_ALLOWED_HOSTS; "
            "flere navne adskilles med komma).")
    if "*" in names:
        raise EffektsporError("Værtsnavnet '*' (alle) kan ikke bruges på en server: skriv "
                              "serverens navn, fx effektspor.kommune.dk.")
    return names

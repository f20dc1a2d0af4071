"""HTML rendering: one self-contained, printable Danish file (no CDN, figures inlined)."""

from __future__ import annotations

import base64

from jinja2 import Environment, PackageLoader, select_autoescape

from effektspor import __version__
from effektspor.report.model import ReportDocument


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("effektspor.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.globals["png_base64"] = lambda data: base64.b64encode(data).decode("ascii")
    env.globals["version"] = __version__
    return env


def render_html(doc: ReportDocument) -> str:
    """The report as a complete HTML page (tables and figures numbered first)."""
    doc.number_blocks()
    return _environment().get_template("report.html.j2").render(doc=doc)

"""Charts are drawn on their own ``Figure`` (no global matplotlib state), so they can be drawn
from the web server's threads, and matplotlib is imported only when a chart is drawn."""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from effektspor.report.charts import bar_chart, scatter_chart

SRC = Path(__file__).resolve().parents[1] / "src"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    return struct.unpack(">II", png[16:24])


def _charts() -> list[bytes]:
    return [
        bar_chart(["Sandplay", "Familierådgivning i hjemmet", "Åben rådgivning"], [3, 12, 7],
                  ylabel="Antal sager"),
        bar_chart(["I mål", "På vej", "Ikke i mål"], [5, 8, 2], ylabel="Sager",
                  horizontal=False),
        scatter_chart([1, 2, 3, 10], [100, 250, 80, 90], xlabel="Dage", ylabel="Bevillinger"),
    ]


def test_no_global_matplotlib_state_in_src():
    """pyplot keeps a global list of figures and matplotlib.use switches the backend for the
    whole process; neither belongs in a server that draws charts in several threads."""
    pattern = re.compile(r"pyplot|matplotlib\.use\s*\(|\bplt\.")
    offenders = [f"{path.relative_to(SRC)}:{number}: {line.strip()}"
                 for path in sorted(SRC.rglob("*.py"))
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pattern.search(line)]
    assert offenders == []


def test_charts_are_pngs_of_the_usual_size():
    """7 × height inches and 6 × 4 inches at 110 dpi, as before the move away from pyplot."""
    horizontal, vertical, scatter = _charts()
    assert _size(horizontal) == (770, 275)
    assert _size(vertical) == (770, 440)
    assert _size(scatter) == (660, 440)


def test_charts_drawn_in_threads_equal_charts_drawn_one_by_one():
    expected = _charts()
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: _charts(), range(12)))
    assert all(result == expected for result in results)


def test_matplotlib_is_imported_only_when_a_chart_is_drawn():
    script = (
        "import json, sys\n"
        "import effektspor.report, effektspor.report.charts\n"
        "import effektspor.services.reports.documentation\n"
        "before = sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib')\n"
        "effektspor.report.charts.bar_chart(['a'], [1])\n"
        "after = 'matplotlib' in sys.modules and 'matplotlib.pyplot' not in sys.modules\n"
        "print(json.dumps([before, after]))\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])])}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, timeout=120, check=True)
    before, drawn_without_pyplot = json.loads(result.stdout)
    assert before == []
    assert drawn_without_pyplot

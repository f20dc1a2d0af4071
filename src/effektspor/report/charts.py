"""Charts as PNG bytes, drawn with matplotlib's object API (no display needed).

Each chart is its own ``matplotlib.figure.Figure`` on an Agg canvas: no global backend
switch and no state-machine interface with its global registry of open figures, which is
not thread-safe (the web app draws charts in its thread pool). matplotlib is imported inside the functions, so importing the
report package (and starting the CLI) does not pay for it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DPI = 110


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    """A new figure with one axes, on its own Agg canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure, figure.subplots()


def _png(figure: Figure) -> bytes:
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def bar_chart(labels: Sequence[str], values: Sequence[float], *, ylabel: str = "",
              horizontal: bool = True, color: str = "#2b5d80") -> bytes:
    """A simple bar chart as PNG; horizontal bars suit long Danish labels."""
    height = max(2.5, 0.35 * len(labels) + 1) if horizontal else 4
    figure, axes = _figure(7, height)
    if horizontal:
        positions = list(range(len(labels)))[::-1]
        axes.barh(positions, values, color=color)
        axes.set_yticks(positions, labels)
        axes.set_xlabel(ylabel)
    else:
        axes.bar(range(len(labels)), values, color=color)
        axes.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
        axes.set_ylabel(ylabel)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def scatter_chart(x: Sequence[float], y: Sequence[float], *, xlabel: str, ylabel: str) -> bytes:
    """A scatter plot as PNG (e.g. grants against enrollment days)."""
    figure, axes = _figure(6, 4)
    axes.scatter(x, y, s=18, alpha=0.6, color="#2b5d80")
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)

"""Charts as PNG bytes (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (backend must be chosen first)


def bar_chart(labels: Sequence[str], values: Sequence[float], *, ylabel: str = "",
              horizontal: bool = True, color: str = "#2b5d80") -> bytes:
    """A simple bar chart as PNG; horizontal bars suit long Danish labels."""
    height = max(2.5, 0.35 * len(labels) + 1) if horizontal else 4
    figure, axes = plt.subplots(figsize=(7, height), dpi=110)
    try:
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
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)


def scatter_chart(x: Sequence[float], y: Sequence[float], *, xlabel: str, ylabel: str) -> bytes:
    """A scatter plot as PNG (e.g. grants against enrollment days)."""
    figure, axes = plt.subplots(figsize=(6, 4), dpi=110)
    try:
        axes.scatter(x, y, s=18, alpha=0.6, color="#2b5d80")
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)

"""The child process that runs ``fisher-rxc`` for :mod:`effektspor.analysis.exact`.

``fisher-rxc`` (Rust, MIT) cannot be interrupted once started and prints its error messages
on standard output. Running it in a child process gives the caller a real time budget (the
child is stopped when the budget is spent) and keeps those messages off the caller's
output without redirecting the caller's file descriptors (which would be unsafe while
other threads write). This module imports nothing but ``fisher`` so the child starts fast.
"""

from __future__ import annotations

import os


def silence_stdout() -> None:
    """Pool initialiser: the child's standard output goes to the null device."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)


def exact_p_value(table: list[list[int]]) -> float:
    """``fisher.exact`` on the table (a negative value means it reported an error)."""
    import fisher

    return float(fisher.exact(table))

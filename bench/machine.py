"""The machine a benchmark ran on, printed at the top of every bench script's output.

Figures from a shared or slower machine are only comparable when the machine and its load
are known, and CPU time (not wall time alone) is given beside them.
"""

from __future__ import annotations

import os
import platform
import resource
import time
from datetime import UTC, datetime


def cpu_model() -> str:
    """The CPU's model name (from /proc/cpuinfo; the platform's name elsewhere)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe_machine() -> str:
    """One line: date, CPU model, cores, load average, Python."""
    try:
        load = "/".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        load = "ukendt"
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (f"maskine: {cpu_model()}, {os.cpu_count()} kerner, belastning (1/5/15 min) {load}; "
            f"Python {platform.python_version()}; {now}")


def peak_mb() -> float:
    """Peak resident memory of this process so far, MB (ru_maxrss is in kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Clock:
    """Wall time and CPU time (user + system of this process) since it was made."""

    def __init__(self) -> None:
        self.wall_start = time.perf_counter()
        self.cpu_start = time.process_time()

    @property
    def wall(self) -> float:
        return time.perf_counter() - self.wall_start

    @property
    def cpu(self) -> float:
        return time.process_time() - self.cpu_start

"""Start-up time of the ``effektspor`` command, measured as whole processes.

Each command is started ``--runs`` times (after ``--warmup`` uncounted runs) with
``subprocess`` and timed with ``time.perf_counter``; the table gives min, median and max
wall seconds. ``--importtime N`` adds the N most expensive imports of each command
(``python -X importtime``, cumulative milliseconds).

Run: .venv/bin/python bench/startup_bench.py [--runs 5] [--importtime 12]
     .venv/bin/python bench/startup_bench.py --runs 9 -- "--version" "status --help"
(each quoted string after ``--`` is one command line of effektspor's arguments)
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_COMMANDS = ["--help", "--version", "status --help", "opret --help"]


def effektspor_command() -> list[str]:
    """The console script next to this Python, else ``python -m effektspor.cli.main``."""
    script = Path(sys.executable).with_name("effektspor")
    if script.exists():
        return [str(script)]
    found = shutil.which("effektspor")
    return [found] if found else [sys.executable, "-m", "effektspor.cli.main"]


def time_runs(argv: list[str], runs: int, warmup: int) -> list[float]:
    """Wall seconds of ``runs`` whole-process runs of ``argv`` (after ``warmup`` runs)."""
    seconds = []
    for index in range(warmup + runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        if index >= warmup:
            seconds.append(time.perf_counter() - start)
    return seconds


def top_imports(args: list[str], count: int) -> list[tuple[int, str]]:
    """The ``count`` imports with the largest cumulative time (µs) when running ``args``."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c",
         "import sys; from effektspor.cli.main import main; sys.argv[1:] = "
         f"{args!r}; main()"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    rows = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.removeprefix("import time:").split("|")
        rows.append((int(cumulative), name.rstrip()))
    return sorted(rows, reverse=True)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("commands", nargs="*", metavar="ARGS",
                        help="effektspor's arguments as one string, e.g. 'status --help', "
                             "after '--' (default: " + "; ".join(DEFAULT_COMMANDS) + ")")
    parser.add_argument("--importtime", type=int, default=0, metavar="N",
                        help="also list the N most expensive imports of each command")
    options = parser.parse_args()

    base = effektspor_command()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.2f}; command: {' '.join(base)}; "
          f"{options.runs} runs after {options.warmup} warm-up\n")
    print("| command | min s | median s | max s |")
    print("| --- | --- | --- | --- |")
    commands = options.commands or DEFAULT_COMMANDS
    for command in commands:
        seconds = time_runs([*base, *shlex.split(command)], options.runs, options.warmup)
        print(f"| `effektspor {command}` | {min(seconds):.3f} | "
              f"{statistics.median(seconds):.3f} | {max(seconds):.3f} |")
    if options.importtime:
        for command in commands:
            print(f"\nMost expensive imports of `effektspor {command}` (cumulative ms):\n")
            for cumulative, name in top_imports(shlex.split(command), options.importtime):
                print(f"    {cumulative / 1000:8.1f}  {name}")


if __name__ == "__main__":
    main()

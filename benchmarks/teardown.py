"""How long a `quarterly` process takes to end once its command is done: `cli.main` called as
it is in tests (no freeze) against `cli.run`, the console script (gc.freeze before shutdown),
run in turn on the same conversion.

    .venv/bin/python benchmarks/teardown.py [FILE] [--format bibtex] [--repeats 9]

FILE defaults to a RIS file of 10,000 corpus records (benchmarks/corpus.py, converted by
quarterly into the temporary folder). Each child notes the time in its last atexit handler,
which Python calls before the collections and module teardown of its shutdown; the parent
notes when the child has ended. Prints the median of each, and of the whole run's wall time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
PYTHON = sys.executable
CHILD = """import atexit, sys, time
atexit.register(lambda: sys.stderr.write(f"{{time.time()!r}}\\n"))  # registered first: runs last
sys.argv[0] = "quarterly"
from quarterly_cli.cli import {entry}
{entry}({args})
"""


def one_run(entry: str, argv: list[str]) -> tuple[float, float]:
    """(seconds from the end of the command to the end of the process, whole wall time)."""
    code = CHILD.format(entry=entry, args='prog_name="quarterly"' if entry == "main" else "")
    started = time.time()
    done = subprocess.run([PYTHON, "-c", code, *argv], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=True)
    ended = time.time()
    marked = float(done.stderr.decode().strip().splitlines()[-1])
    return ended - marked, ended - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?")
    parser.add_argument("--format", default="bibtex")
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.file
        if path is None:
            csl = Path(tmp) / "records.json"
            subprocess.run([PYTHON, str(HERE / "corpus.py"), str(csl), "10000"], check=True)
            path = str(Path(tmp) / "records.ris")
            subprocess.run([str(Path(PYTHON).with_name("quarterly")), "cite", str(csl), "-f",
                            "ris", "-o", path], check=True)
        argv = ["cite", path, "-f", args.format]
        env_note = f"QUARTERLY_HOME={os.environ.get('QUARTERLY_HOME', '(default)')}"
        print(f"quarterly cite {os.path.basename(path)} -f {args.format}; {env_note}; "
              f"median of {args.repeats}, main and run in turn")
        times: dict[str, list[tuple[float, float]]] = {"main": [], "run": []}
        for _ in range(args.repeats):
            for entry in times:
                times[entry].append(one_run(entry, argv))
        for entry, runs in times.items():
            end = statistics.median(t for t, _ in runs)
            whole = statistics.median(w for _, w in runs)
            label = "cli.main (no freeze)" if entry == "main" else "cli.run (console script)"
            print(f"  {label:<26} shutdown {end * 1000:6.1f} ms   whole run {whole:6.2f} s")


if __name__ == "__main__":
    main()

"""quarterly's benchmarks: prints figures side by side, medians of repeated runs, in one process.

    .venv/bin/python benchmarks/run.py            # everything (installs citation-js on first run)
    .venv/bin/python benchmarks/run.py --quick    # fewer repeats, no citation-js
    .venv/bin/python benchmarks/run.py --apa      # only native APA against citeproc-py

Sections: start-up against a bare `import click`; APA for 10,000 records of mixed types against
citeproc-py; RIS → BibTeX and CSL-JSON → APA against citation-js (Node.js, skipped when node is
absent), and RIS → BibTeX and BibTeX → RIS on 10,000 records taken from real exports in
../shared/real-world; CSL-JSON → RIS at 10k/50k/100k records with peak memory; a 200 MB CSL-JSON
file with an early syntax error (generated in the temporary folder, deleted after). Records come
from benchmarks/corpus.py.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from corpus import mixed_items  # noqa: E402

PYTHON = sys.executable
QUARTERLY = str(Path(PYTHON).with_name("quarterly"))
NODE_DIR = HERE / ".cache" / "citation-js"
NODE_PACKAGES = ["@citation-js/core", "@citation-js/plugin-bibtex", "@citation-js/plugin-ris",
                 "@citation-js/plugin-csl"]


def write_corpus(path: Path, count: int) -> None:
    """Write the corpus from a child process: a child forked from a parent that built 100,000
    records in memory would report the parent's memory as its own peak RSS."""
    subprocess.run([PYTHON, str(HERE / "corpus.py"), str(path), str(count)], check=True)


def run_child(argv: list[str], stdin: str | None = None, env: dict | None = None,
              stdin_file: Path | None = None, expect: int = 0) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one child process, measured with wait4; `expect` is
    the exit code it must end with."""
    started = time.perf_counter()
    source = open(stdin_file, "rb") if stdin_file else None  # closed once the child is done
    proc = subprocess.Popen(argv, stdin=source or (subprocess.PIPE if stdin else subprocess.DEVNULL),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    if stdin:
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if source:
        source.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != expect:
        raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr.read().decode()[-500:]}")
    return elapsed, usage.ru_maxrss // 1024


def median_time(argv: list[str], repeats: int, env: dict | None = None) -> float:
    return statistics.median(run_child(argv, env=env)[0] for _ in range(repeats))


def paired_medians(ours: list[str], theirs: list[str], repeats: int,
                   env: dict | None = None) -> tuple[float, float]:
    """Median wall times of two commands run in turn (ours, theirs, ours, …): on a shared
    machine whose speed drifts, runs taken one after the other see the same load, where two
    series taken minutes apart do not (their ratio moved by a fifth between runs)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        times[0].append(run_child(ours, env=env)[0])
        times[1].append(run_child(theirs)[0])
    return statistics.median(times[0]), statistics.median(times[1])


def median_call(func, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def line(label: str, value: str) -> None:
    print(f"  {label:<48} {value}")


def startup(repeats: int, env: dict) -> None:
    print(f"Start-up (median of {repeats} runs, wall time)")
    bare = median_time([PYTHON, "-c", "pass"], repeats, env)
    click = median_time([PYTHON, "-c", "import click"], repeats, env)
    help_ = median_time([QUARTERLY, "--help"], repeats, env)
    bibtex = median_time([QUARTERLY, "cite", "-f", "bibtex"], repeats, env)
    apa = median_time([QUARTERLY, "cite"], repeats, env)
    line("python -c pass", f"{bare * 1000:7.1f} ms")
    line('python -c "import click"', f"{click * 1000:7.1f} ms")
    line("quarterly --help", f"{help_ * 1000:7.1f} ms  ({help_ / click:.2f}x click)")
    line("quarterly cite (APA, bundled)", f"{apa * 1000:7.1f} ms  ({apa / click:.2f}x click)")
    line("quarterly cite -f bibtex (bundled)", f"{bibtex * 1000:7.1f} ms  "
         f"({bibtex / click:.2f}x click; target <= 2x)")


def apa_vs_citeproc(count: int, subset: int, repeats: int) -> None:
    """Native APA on a mixed-type library (benchmarks/corpus.py: mixed_items — journal articles,
    reports, books, chapters, web pages, news, preprints, theses, data sets) against citeproc-py
    with the official apa.csl on the same records."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    from quarterly_cli.formats import FORMATS, Options
    from quarterly_cli.readers.csljson import record_from_item

    items = mixed_items(count)
    records = [record_from_item(i) for i in items]
    apa = FORMATS["apa"]
    # The first render finds the style's caches (names, words, numbers) empty, as `quarterly
    # cite` does when it renders a library once; the median of the repeats after it finds them
    # full. Both are printed: the first is what a user's single run gets.
    started = time.perf_counter()
    apa.render(records, Options())
    first = time.perf_counter() - started
    ours = median_call(lambda: apa.render(records, Options()), repeats)
    style_file = HERE.parent / "tests" / "data" / "conformance" / "apa.csl"
    sample = [{k: v for k, v in item.items() if k != "custom"} for item in items[:subset]]

    def citeproc_run() -> None:
        style = CitationStylesStyle(str(style_file), validate=False)
        bib = CitationStylesBibliography(style, CiteProcJSON(sample), formatter.plain)
        for item in sample:
            bib.register(Citation([CitationItem(item["id"])]))
        [str(e) for e in bib.bibliography()]

    theirs = median_call(citeproc_run, max(1, repeats // 2))
    ours_rate, theirs_rate = count / ours, subset / theirs
    print(f"APA on a mixed-type library, in process (median of {repeats} renders after a first "
          f"one; citeproc-py on the first {subset} records)")
    line(f"quarterly native APA, {count} records", f"{ours:7.3f} s  {ours_rate:9.0f} rec/s "
         "(target >= 20000)")
    line("  the first render, caches empty", f"{first:7.3f} s  {count / first:9.0f} rec/s")
    line(f"citeproc-py apa.csl, {subset} records", f"{theirs:7.3f} s  {theirs_rate:9.0f} rec/s")
    line("per-record ratio", f"{ours_rate / theirs_rate:7.0f}x faster (target >= 50x; first "
         f"render {count / first / theirs_rate:.0f}x)")


def ensure_citation_js() -> str | None:
    node = shutil.which("node")
    npm = shutil.which("npm")
    if not node or not npm:
        return None
    if not (NODE_DIR / "node_modules" / "@citation-js" / "core").exists():
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix",
                        str(NODE_DIR), *NODE_PACKAGES], check=True)
    script = NODE_DIR / "convert.js"
    script.write_text(
        "const {Cite} = require('@citation-js/core');\n"
        "require('@citation-js/plugin-bibtex'); require('@citation-js/plugin-ris');\n"
        "require('@citation-js/plugin-csl');\n"
        "const fs = require('fs');\n"
        "const [mode, file] = process.argv.slice(2);\n"
        "const text = fs.readFileSync(file, 'utf8');\n"
        "let out;\n"
        "if (mode === 'ris2bib') out = new Cite(text).format('bibtex');\n"
        "else if (mode === 'bib2ris') out = new Cite(text).format('ris');\n"
        "else out = new Cite(JSON.parse(text)).format('bibliography', "
        "{template: 'apa', format: 'text'});\n"
        "process.stdout.write(out);\n")
    (NODE_DIR / "readable.js").write_text(
        "const {Cite} = require('@citation-js/core');\n"
        "require('@citation-js/plugin-bibtex'); require('@citation-js/plugin-ris');\n"
        "const fs = require('fs');\n"
        "for (const file of process.argv.slice(2)) {\n"
        "  try { new Cite(fs.readFileSync(file, 'utf8')); console.log(file); } catch (e) {}\n"
        "}\n")
    return node


REAL = HERE.parent.parent / "shared" / "real-world" / "exports"
_RIS_RECORD = re.compile(r"^TY  - .*?^ER  -[^\n]*$", re.MULTILINE | re.DOTALL)
_BIB_BLOCK = re.compile(r"^[ \t]*@", re.MULTILINE)
_STRING_NAME = re.compile(r"@\s*string\s*[{(]\s*([^=\s]+)", re.IGNORECASE)
_BIB_KEY = re.compile(r"^(@\s*\w+\s*[{(]\s*)([^,\s]+)\s*,")


def real_inputs(count: int, workdir: Path, env: dict, node: str) -> tuple[Path, Path] | None:
    """`build_real_inputs` in a fresh interpreter (spawned, not forked): reading the exports
    here would raise this process's peak RSS, which forked children report as their own (see
    write_corpus), and the CSL-JSON -> RIS memory figures would grow with it."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(build_real_inputs, count, workdir, env, node).result()


def build_real_inputs(count: int, workdir: Path, env: dict,
                      node: str) -> tuple[Path, Path] | None:
    """A RIS file and a BibTeX file of `count` records each, made at run time from the real
    exports in ../shared/real-world (read in place, never copied into the project): records
    taken verbatim in file order, cycling through the exports until there are `count`. BibTeX
    keys get a suffix on each repetition (`key-r2`), since a repeated key is an error, and each
    file's @string definitions come once. Only exports that quarterly reads on their own are
    used, and that citation-js reads too (it stops at a record with two DO lines, or a `$` left
    open in BibTeX); the files left out are named. None when the folder is absent."""
    if not REAL.is_dir():
        return None

    exports = sorted(REAL.glob("*.ris")) + sorted(REAL.glob("*.bib"))
    ours = subprocess.run(
        [PYTHON, "-c", "import sys\nfrom quarterly_cli.readers import read_path\n"
         "from quarterly_cli.errors import QuarterlyError\nfor p in sys.argv[1:]:\n"
         "    try:\n        read_path(p)\n        print(p)\n"
         "    except QuarterlyError:\n        pass\n", *map(str, exports)],
        env=env, capture_output=True, text=True, check=True).stdout.split("\n")
    theirs = subprocess.run([node, str(NODE_DIR / "readable.js"), *map(str, exports)],
                            capture_output=True, text=True, check=True).stdout.split("\n")
    usable = set(ours) & set(theirs)
    left_out = [p.name for p in exports if str(p) not in usable]
    print(f"  real exports: {len(exports) - len(left_out)} of {len(exports)} files read by both "
          f"tools (left out: {', '.join(left_out)})")

    def readable(path: Path) -> bool:
        return str(path) in usable

    ris_records: list[str] = []
    for path in sorted(REAL.glob("*.ris")):
        if readable(path):
            ris_records += _RIS_RECORD.findall(path.read_text("utf-8-sig", errors="replace"))
    strings: list[str] = []
    entries: list[str] = []
    for path in sorted(REAL.glob("*.bib")):
        if not readable(path):
            continue
        for block in _BIB_BLOCK.split(path.read_text("utf-8-sig", errors="replace"))[1:]:
            kind = block.split("{", 1)[0].split("(", 1)[0].strip().lower()
            if kind == "string":
                strings.append("@" + block)
            elif kind not in ("comment", "preamble") and _BIB_KEY.match("@" + block):
                entries.append("@" + block)
    ris_file, bib_file = workdir / f"real-{count}.ris", workdir / f"real-{count}.bib"
    ris_file.write_text("\n\n".join(ris_records[n % len(ris_records)] for n in range(count))
                        + "\n", "utf-8")
    unique_strings = list({_STRING_NAME.match(b).group(1).lower(): b  # type: ignore[union-attr]
                           for b in reversed(strings) if _STRING_NAME.match(b)}.values())
    body = []
    for n in range(count):
        entry = entries[n % len(entries)]
        body.append(_BIB_KEY.sub(rf"\g<1>\g<2>-r{n},", entry, 1))
    bib_file.write_text("".join(unique_strings) + "\n" + "".join(body), "utf-8")
    return ris_file, bib_file


def conversions(count: int, apa_subset: int, repeats: int, env: dict, workdir: Path) -> None:
    csl_file = workdir / f"records-{count}.json"
    write_corpus(csl_file, count)
    ris_file = workdir / f"records-{count}.ris"
    subprocess.run([QUARTERLY, "cite", str(csl_file), "-f", "ris", "-o", str(ris_file)],
                   check=True, env=env)
    subset_file = workdir / f"records-{apa_subset}.json"
    write_corpus(subset_file, apa_subset)
    ours_ris_argv = [QUARTERLY, "cite", str(ris_file), "-f", "bibtex"]
    ours_apa = median_time([QUARTERLY, "cite", str(csl_file), "-f", "apa"], repeats, env)
    print(f"Whole-file conversions, wall time including start-up (median of {repeats}; "
          "quarterly and citation-js in turn)")
    line(f"quarterly CSL-JSON -> APA, {count} records", f"{ours_apa:7.2f} s  "
         f"{count / ours_apa:7.0f} rec/s")
    node = ensure_citation_js()
    if node is None:
        line(f"quarterly RIS -> BibTeX, {count} records",
             f"{median_time(ours_ris_argv, repeats, env):7.2f} s")
        print("  citation-js: skipped (node/npm not found)")
        return
    script = str(NODE_DIR / "convert.js")
    real = real_inputs(count, workdir, env, node)
    if real is None:
        print(f"  real exports: skipped ({REAL} not found)")
    else:
        real_ris, real_bib = real
        ours_real_ris, cjs_real_ris = paired_medians(
            [QUARTERLY, "cite", str(real_ris), "-f", "bibtex"],
            [node, script, "ris2bib", str(real_ris)], repeats, env)
        ours_real_bib, cjs_real_bib = paired_medians(
            [QUARTERLY, "cite", str(real_bib), "-f", "ris"],
            [node, script, "bib2ris", str(real_bib)], repeats, env)
        line(f"quarterly RIS -> BibTeX, {count} real records", f"{ours_real_ris:7.2f} s")
        line(f"citation-js RIS -> BibTeX, {count} real records",
             f"{cjs_real_ris:7.2f} s  (quarterly takes {ours_real_ris / cjs_real_ris:.0%}; "
             "target <= 50%)")
        line(f"quarterly BibTeX -> RIS, {count} real records", f"{ours_real_bib:7.2f} s")
        line(f"citation-js BibTeX -> RIS, {count} real records",
             f"{cjs_real_bib:7.2f} s  (quarterly takes {ours_real_bib / cjs_real_bib:.0%}; "
             "target <= 50%)")
    ours_ris, cjs_ris = paired_medians(ours_ris_argv, [node, script, "ris2bib", str(ris_file)],
                                       repeats, env)
    cjs_apa = median_time([node, script, "csl2apa", str(subset_file)], max(1, repeats // 2))
    line(f"quarterly RIS -> BibTeX, {count} records", f"{ours_ris:7.2f} s")
    line(f"citation-js RIS -> BibTeX, {count} records",
         f"{cjs_ris:7.2f} s  (quarterly takes {ours_ris / cjs_ris:.0%}; target <= 50%)")
    line(f"citation-js CSL-JSON -> APA, {apa_subset} records",
         f"{cjs_apa:7.2f} s  {apa_subset / cjs_apa:7.0f} rec/s")
    line("APA per-record ratio", f"{(count / ours_apa) / (apa_subset / cjs_apa):7.1f}x faster "
         "(target >= 20x)")


def scaling(counts: list[int], env: dict, workdir: Path) -> None:
    print("CSL-JSON -> RIS scaling (one run each; wall time and peak RSS)")
    per_record = []
    for count in counts:
        csl_file = workdir / f"scale-{count}.json"
        write_corpus(csl_file, count)
        elapsed, rss = run_child([QUARTERLY, "cite", str(csl_file), "-f", "ris"], env=env)
        per_record.append(elapsed / count)
        line(f"{count} records", f"{elapsed:7.2f} s  {elapsed / count * 1e6:6.1f} us/rec  "
             f"peak {rss} MiB (target < 500)")
    line("per-record time, largest / smallest", f"{per_record[-1] / per_record[0]:7.2f} "
         "(1.0 = linear)")


def write_early_error(path: Path, megabytes: int) -> None:
    """A CSL-JSON array whose second item is followed by a syntax error (a missing comma), then
    `megabytes` MB of valid items that a reader must never get to."""
    item = ('{"type": "article-journal", "title": "Filler record for the early-error benchmark", '
            '"author": [{"family": "Doe", "given": "Jane"}], "container-title": "Journal", '
            '"issued": {"date-parts": [[2020, 1]]}, "DOI": "10.5555/filler"}')
    block = (",\n" + item) * 1000
    with open(path, "w", encoding="utf-8") as out:
        out.write("[\n" + item + ",\n" + item + "\n" + item)  # `}\n{`: no comma between items
        for _ in range(megabytes * 1024 * 1024 // len(block) + 1):
            out.write(block)
        out.write("\n]\n")


def early_error(env: dict, workdir: Path) -> None:
    """A big CSL-JSON file with a syntax error near its start fails at once, in constant memory:
    the reader parses item by item and stops at the error (exit 2), from a file or from stdin."""
    print("CSL-JSON with a syntax error in its first KB (exit 2; one run each; wall time and "
          "peak RSS)")
    for megabytes in (20, 200):
        path = workdir / f"early-error-{megabytes}.json"
        write_early_error(path, megabytes)
        size = path.stat().st_size / 2**20
        elapsed, rss = run_child([QUARTERLY, "cite", str(path), "-f", "ris"], env=env, expect=2)
        line(f"{size:.0f} MiB file", f"{elapsed:7.2f} s  peak {rss} MiB (target < 1 s, "
             "same peak at any size)")
        if megabytes == 200:
            elapsed, rss = run_child([QUARTERLY, "cite", "-", "-f", "ris"], env=env,
                                     stdin_file=path, expect=2)
            line(f"{size:.0f} MiB on standard input", f"{elapsed:7.2f} s  peak {rss} MiB")
        path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, no citation-js")
    parser.add_argument("--apa", action="store_true",
                        help="only native APA against citeproc-py (mixed-type library)")
    args = parser.parse_args()
    if args.apa:
        apa_vs_citeproc(10_000, 200 if args.quick else 500, 5 if args.quick else 7)
        return
    repeats = 5 if args.quick else 11
    # An installed wheel has its bytecode compiled by pip; an editable checkout may not (and
    # PYTHONDONTWRITEBYTECODE stops Python writing it), which would add ~10 ms of compiling to
    # every start-up measured here. Compile once, as pip would.
    import compileall

    import quarterly_cli

    compileall.compile_dir(os.path.dirname(quarterly_cli.__file__), quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, QUARTERLY_HOME=str(Path(tmp) / "home"))
        # The interpreter's build matters: on one machine the same RIS -> BibTeX conversions
        # ran 10-15% faster under Debian's /usr/bin/python3.11 (3.11.2, statically linked) than
        # under pyenv's 3.11.7 (configured without --enable-optimizations, linked against a
        # shared libpython). Say which one measured.
        print(f"quarterly benchmarks — Python {sys.version.split()[0]} "
              f"({os.path.realpath(sys.executable)}), {os.cpu_count()} CPUs\n")
        startup(repeats * 2 - 1, env)
        print()
        if not args.quick:
            conversions(10_000, 1_000, 5, env, Path(tmp))
            print()
        scaling([10_000, 50_000, 100_000], env, Path(tmp))
        print()
        early_error(env, Path(tmp))
        print()
        # In-process last: children forked from a parent holding 10,000 records would report
        # its memory in their peak RSS.
        apa_vs_citeproc(10_000, 200 if args.quick else 500, 5 if args.quick else 7)


if __name__ == "__main__":
    main()

"""Throughput and peak memory of `bounce-sink parse` next to flufl.bounce and Sisimai.

    .venv/bin/python benchmarks/parse.py [--corpus DIR] [--repeat 3] [--passes 1]

Each contender runs as one fresh process over the same files (start-up
counts, as it does for a pipe transport or an import), the runs are repeated
round-robin and the median taken; peak memory is the child's maximum RSS
and CPU time its user + system time, both from wait4(). On a shared machine
the wall clock moves with everyone else's load; CPU seconds move much less,
so both are shown.

- bounce-sink: `bounce-sink parse --json FILES` (parse + classify + JSON), one process
- bounce-sink at another checkout (`--baseline-src DIR`, e.g. an exported
  older commit): the same command run from DIR's `bounce_sink` package
- bounce-sink parse only: the same files through `parse_message` alone
- flufl.bounce: `all_failures()` on each message (it only finds addresses)
- Sisimai: `Sisimai->make($file)` per file (Debian's libsisimai-perl), when installed

`--warm PASSES` measures the steady state instead: bounce-sink's `parse --json`
work and Sisimai's `make`, each in one process that reads the files once untimed
and then times PASSES passes in-process (the best pass counts, the median over
`--repeat` processes is shown). That is what a long-running sink, an import or a
reclassify run sees; the default mode is what one short-lived command sees.

Each "vs Sisimai" line also gives the ratio of CPU times round by round (the
two runs of a round are seconds apart, so the machine's drift mostly cancels)
and of the two sides' best runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "sisimai-dev"
VENV_BIN = Path(sys.executable).parent

PARSE_ONLY = """
import sys
from bounce_sink.parse import parse_message
for name in sys.argv[1:]:
    with open(name, "rb") as fh:
        parse_message(fh.read())
"""

# The console script's work, importing bounce_sink from argv[1] instead of the
# editable install (whose finder is dropped so the path wins).
BASELINE = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
sys.path.insert(0, sys.argv[1])
sys.argv = ["bounce-sink", "parse", "--json", *sys.argv[2:]]
from bounce_sink.entry_point import main
main()
"""

FLUFL = """
import sys, email
from email.policy import compat32
from flufl.bounce import all_failures
for name in sys.argv[1:]:
    with open(name, "rb") as fh:
        msg = email.message_from_bytes(fh.read(), policy=compat32)
    all_failures(msg)
"""

# Warm mode (--warm): each contender reads the file list once untimed (imports,
# first-use set-up, caches), then times further passes in-process and prints
# the best pass's CPU and wall seconds. This is the steady state of a
# long-running process (the sink, a mailbox import, a reclassify run).
WARM_BOUNCE_SINK = """
import json, sys, time
src, passes, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
if src:  # another version's package, as in BASELINE
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
    sys.path.insert(0, src)
from bounce_sink.parse.json_lines import parse_file
dumps = json.JSONEncoder(ensure_ascii=False).encode
for name in files:
    dumps(parse_file(name))
best = (1e9, 1e9)
for _ in range(passes):
    c, w = time.process_time(), time.perf_counter()
    for name in files:
        sys.stdout.write(dumps(parse_file(name)) + "\\n")
    best = min(best, (time.process_time() - c, time.perf_counter() - w))
print("WARM", best[0], best[1], file=sys.stderr)
"""

WARM_FLUFL = """
import email, sys, time
from email.policy import compat32
from flufl.bounce import all_failures
passes, files = int(sys.argv[1]), sys.argv[2:]
def one(name):
    with open(name, "rb") as fh:
        all_failures(email.message_from_bytes(fh.read(), policy=compat32))
for name in files:
    one(name)
best = (1e9, 1e9)
for _ in range(passes):
    c, w = time.process_time(), time.perf_counter()
    for name in files:
        one(name)
    best = min(best, (time.process_time() - c, time.perf_counter() - w))
print("WARM", best[0], best[1], file=sys.stderr)
"""

WARM_SISIMAI = r"""
use strict; use warnings; use Sisimai; use Time::HiRes qw(time);
my ($passes, @files) = @ARGV;
for my $f (@files) { Sisimai->make($f); }
my ($bc, $bw) = (1e9, 1e9);
for (1..$passes) {
    my ($c0, $w0) = ((times)[0] + (times)[1], time);
    for my $f (@files) { my $v = Sisimai->make($f); }
    my ($c, $w) = ((times)[0] + (times)[1] - $c0, time - $w0);
    ($bc, $bw) = ($c, $w) if $c < $bc;
}
print STDERR "WARM $bc $bw\n";
"""

SISIMAI = r"""
use strict; use warnings; use Sisimai;
my $n = 0;
for my $f (@ARGV) { my $v = Sisimai->make($f); $n += scalar(@$v) if $v; }
print STDERR "sisimai recipients: $n\n";
"""


@dataclass
class Result:
    name: str
    seconds: float  # wall clock, median of the runs
    cpu_seconds: float  # user + system time of the process, median of the runs
    peak_rss_kib: int
    cpu_runs: list[float]  # every run's CPU seconds, in round order

    def rate(self, n: int) -> float:
        return n / self.seconds if self.seconds else 0.0

    def cpu_rate(self, n: int) -> float:
        return n / self.cpu_seconds if self.cpu_seconds else 0.0


def run_once(argv: list[str]) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[0]} failed with exit code {proc.returncode}")
    return elapsed, usage.ru_utime + usage.ru_stime, int(usage.ru_maxrss)


def measure_all(contenders: list[tuple[str, list[str]]], repeat: int) -> list[Result]:
    """Round-robin: each repeat runs every contender once, so a change in the
    machine's load hits all of them alike."""
    runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name, _ in contenders}
    for _ in range(repeat):
        for name, argv in contenders:
            runs[name].append(run_once(argv))
    return [
        Result(
            name,
            statistics.median(r[0] for r in runs[name]),
            statistics.median(r[1] for r in runs[name]),
            max(r[2] for r in runs[name]),
            [r[1] for r in runs[name]],
        )
        for name, _ in contenders
    ]


def paired(ours: list[float], theirs: list[float]) -> str:
    """The ratio of Sisimai's CPU time to ours, round by round, and of the best runs.

    This machine's speed drifts by up to 1.5x over minutes; a ratio of medians
    taken over a drift can land either side of the truth. The two runs of one
    round are seconds apart, so their ratio mostly cancels the drift; the best
    (least) CPU time of each side is the run the noise touched least.
    """
    rounds = sorted(t / o for o, t in zip(ours, theirs, strict=True) if o > 0 and t > 0)
    if not rounds:
        return "no paired rounds"
    best = min(theirs) / min(ours) if min(ours) > 0 else 0.0
    return (
        f"per round {statistics.median(rounds):.2f}x (range {rounds[0]:.2f}-{rounds[-1]:.2f}x "
        f"over {len(rounds)} rounds), best run against best run {best:.2f}x"
    )


def run_warm(argv: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of the best timed pass the child reports."""
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[0]} failed with exit code {proc.returncode}: {proc.stderr[-500:]}")
    for line in proc.stderr.splitlines():
        if line.startswith("WARM "):
            cpu, wall = line.split()[1:3]
            return float(cpu), float(wall)
    raise SystemExit(f"{argv[0]} printed no WARM line: {proc.stderr[-500:]}")


def warm_main(files: list[str], passes: int, repeat: int, baseline: Path | None) -> None:
    """Steady state: start-up and first use left out on both sides."""
    py = str(VENV_BIN / "python")
    contenders = [
        ("bounce-sink parse --json (warm)", [py, "-c", WARM_BOUNCE_SINK, "", str(passes), *files])
    ]
    if baseline:
        argv = [py, "-c", WARM_BOUNCE_SINK, str(baseline), str(passes), *files]
        contenders.append((f"baseline {baseline.name} (warm)", argv))
    contenders.append(
        ("flufl.bounce all_failures (warm)", [py, "-c", WARM_FLUFL, str(passes), *files])
    )
    perl = shutil.which("perl")
    if perl and subprocess.run([perl, "-MSisimai", "-e", "1"], capture_output=True).returncode == 0:
        contenders.append(("Sisimai->make (warm)", [perl, "-e", WARM_SISIMAI, str(passes), *files]))
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in contenders}
    load_before = os.getloadavg()
    for _ in range(repeat):
        for name, argv in contenders:
            runs[name].append(run_warm(argv))
    load_after = os.getloadavg()
    n = len(files)
    print(
        f"{n} messages per timed pass, best of {passes} timed passes after one untimed pass, "
        f"median over {repeat} processes, contenders interleaved"
    )
    print(f"machine: {os.cpu_count()} CPUs, {cpu_model()}, Python {platform.python_version()}")
    print(
        "load average (1/5/15 min): "
        f"before {' '.join(f'{x:.2f}' for x in load_before)}, "
        f"after {' '.join(f'{x:.2f}' for x in load_after)}"
    )
    print(f"{'contender':34} {'msg/s':>8} {'msg/CPU-s':>10} {'us/msg CPU':>11}")
    rates: dict[str, tuple[float, float]] = {}
    cpu_runs = {name: [r[0] for r in runs[name]] for name in runs}
    for name, _ in contenders:
        cpu = statistics.median(r[0] for r in runs[name])
        wall = statistics.median(r[1] for r in runs[name])
        # Perl's times() ticks in 10 ms: a tiny corpus can read as 0 CPU seconds.
        rates[name] = (n / wall if wall > 0 else 0.0, n / cpu if cpu > 0 else 0.0)
        print(f"{name:34} {rates[name][0]:8.0f} {rates[name][1]:10.0f} {cpu / n * 1e6:11.0f}")
    if not contenders[-1][0].startswith("Sisimai"):
        print("Sisimai not installed (apt-get install libsisimai-perl) - skipped")
        return
    theirs = rates[contenders[-1][0]]
    if min(theirs) <= 0:
        print("Sisimai's pass was below its timer's resolution: use more files or passes")
        return
    for name, _ in contenders[:-1]:
        ours = rates[name]
        print(
            f"{name} vs Sisimai: {ours[0] / theirs[0]:.2f}x throughput (wall clock), "
            f"{ours[1] / theirs[1]:.2f}x per CPU second; per CPU second "
            f"{paired(cpu_runs[name], cpu_runs[contenders[-1][0]])}"
        )


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--passes",
        type=int,
        default=1,
        help="give each process the file list this many times (spreads start-up cost)",
    )
    ap.add_argument(
        "--baseline-src",
        type=Path,
        help="a directory holding another version's bounce_sink package, run as a contender",
    )
    ap.add_argument(
        "--warm",
        type=int,
        metavar="PASSES",
        help="steady state instead: one untimed pass, then the best of PASSES timed passes in-process",
    )
    args = ap.parse_args()
    files = sorted(str(p) for p in args.corpus.glob("*.eml")) * args.passes
    if not files:
        raise SystemExit(f"no .eml files in {args.corpus}")
    if args.warm:
        warm_main(files, args.warm, args.repeat, args.baseline_src)
        return
    py = str(VENV_BIN / "python")
    contenders: list[tuple[str, list[str]]] = [
        ("bounce-sink parse --json", [str(VENV_BIN / "bounce-sink"), "parse", "--json", *files]),
        ("bounce-sink parse only", [py, "-c", PARSE_ONLY, *files]),
    ]
    if args.baseline_src:
        baseline = [py, "-c", BASELINE, str(args.baseline_src), *files]
        contenders.append((f"baseline {args.baseline_src.name}", baseline))
    contenders.append(("flufl.bounce all_failures", [py, "-c", FLUFL, *files]))
    perl = shutil.which("perl")
    has_sisimai = (
        perl is not None
        and subprocess.run([perl, "-MSisimai", "-e", "1"], capture_output=True).returncode == 0
    )
    if has_sisimai and perl:
        contenders.append(("Sisimai->make (perl)", [perl, "-e", SISIMAI, *files]))
    load_before = os.getloadavg()
    results = measure_all(contenders, args.repeat)
    load_after = os.getloadavg()

    n = len(files)
    print(
        f"{n} messages ({args.passes} pass(es) over {args.corpus}), median of {args.repeat} runs, "
        "each a fresh process, contenders interleaved"
    )
    print(f"machine: {os.cpu_count()} CPUs, {cpu_model()}, Python {platform.python_version()}")
    print(
        "load average (1/5/15 min): "
        f"before {' '.join(f'{x:.2f}' for x in load_before)}, "
        f"after {' '.join(f'{x:.2f}' for x in load_after)}"
    )
    print(
        f"{'contender':30} {'msg/s':>8} {'seconds':>8} {'msg/CPU-s':>10} {'CPU s':>7} "
        f"{'peak RSS MiB':>13}"
    )
    for r in results:
        print(
            f"{r.name:30} {r.rate(n):8.0f} {r.seconds:8.2f} {r.cpu_rate(n):10.0f} "
            f"{r.cpu_seconds:7.2f} {r.peak_rss_kib / 1024:13.1f}"
        )
    if has_sisimai:
        sisimai = results[-1]
        for r in results[:-1]:
            print(
                f"{r.name} vs Sisimai: {r.rate(n) / sisimai.rate(n):.2f}x throughput "
                f"(wall clock), {r.cpu_rate(n) / sisimai.cpu_rate(n):.2f}x per CPU second; "
                f"per CPU second {paired(r.cpu_runs, sisimai.cpu_runs)}"
            )
    else:
        print("Sisimai not installed (apt-get install libsisimai-perl) - skipped")


if __name__ == "__main__":
    main()

"""The Synoema JIT benchmark suite: Synoema, Python and C versions of the
same algorithms (listed in suite.tsv), measured side by side in one run.

Run it through evals/bench/run.sh, which builds the release binaries first:

    evals/bench/run.sh                    # check, measure, compare with baseline.json
    evals/bench/run.sh --check            # correctness at the small check sizes only
    evals/bench/run.sh --runs 3 --only fib,collatz
    evals/bench/run.sh --interp           # also the interpreter's whole-process time
    evals/bench/run.sh --write-baseline   # measure and record baseline.json

What it reports, per benchmark:
- whole-process wall time (start-up, parsing, checking and compilation
  included) of `synoema run --engine jit`, `python3` and the `gcc -O2`
  binary, optionally `synoema run --engine interp`; the best (minimum) of
  --runs runs, interleaved so that load from other processes hits every
  engine alike (on a shared machine the minimum is the most reproducible);
- in-process time: C and Python time the work inside the program (printed
  as `inproc_ms` on standard error); Synoema's comes from the `jit_bench`
  example (JIT run time after compilation, the interpreter's run time, and
  the JIT compile time per Core function); the best of --inproc-runs;
- the ratios jit/gcc and python/jit, on both times;
- a benchmark the JIT refuses ("does not support") is reported as such.
Then the deep-recursion targets (sum_to), and a comparison with the
checked-in baseline. Every full-size output must agree across engines and
languages; any disagreement is reported and makes the exit status 1.
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SYNOEMA = ROOT / "target/release/synoema"
JIT_BENCH = ROOT / "target/release/examples/jit_bench"
BASELINE = HERE / "baseline.json"
SIZE_LINE = re.compile(r"^size = (\d+)$", re.M)
UNSUPPORTED = "does not support"


def suite():
    """The rows of suite.tsv: (name, check_size, check_output)."""
    rows = []
    for line in (HERE / "suite.tsv").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, check_size, output = line.split("\t")
            rows.append((name, int(check_size), output.replace("\\n", "\n") + "\n"))
    return rows


def full_size(name):
    match = SIZE_LINE.search((HERE / f"{name}.sno").read_text())
    if not match:
        sys.exit(f"{name}.sno has no `size = N` line")
    return int(match.group(1))


def sized_program(name, size, tmp):
    """A copy of NAME.sno with its size line set to `size`."""
    path = Path(tmp) / f"{name}_{size}.sno"
    src = SIZE_LINE.sub(f"size = {size}", (HERE / f"{name}.sno").read_text(), count=1)
    path.write_text(src)
    return path


def run(cmd):
    """Runs a command; returns (wall seconds, exit status, stdout, stderr)."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return time.perf_counter() - start, proc.returncode, proc.stdout, proc.stderr


def inproc_ms(stderr):
    match = re.search(r"inproc_ms ([0-9.]+)", stderr)
    return float(match.group(1)) if match else None


def first_line(text):
    return text.strip().splitlines()[0] if text.strip() else ""


def machine():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    gcc = first_line(subprocess.run(["gcc", "--version"], capture_output=True, text=True).stdout)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "gcc": gcc,
        "commit": commit,
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def compile_c(names, tmp):
    bins = {}
    for name in names:
        out = Path(tmp) / name
        subprocess.run(["gcc", "-O2", "-o", str(out), str(HERE / f"{name}.c")], check=True)
        bins[name] = out
    return bins


def commands(name, size, program, bins, interp):
    cmds = {
        "gcc": [str(bins[name]), str(size)],
        "python": [sys.executable, str(HERE / f"{name}.py"), str(size)],
        "jit": [str(SYNOEMA), "run", "--engine", "jit", str(program)],
    }
    if interp:
        cmds["interp"] = [str(SYNOEMA), "run", "--engine", "interp", str(program)]
    return cmds


def check(rows, bins, tmp):
    """All versions at the check sizes against suite.tsv; returns the failures."""
    failures = []
    for name, size, expected in rows:
        program = sized_program(name, size, tmp)
        cmds = commands(name, size, program, bins, interp=True)
        for engine, cmd in cmds.items():
            _, status, out, err = run(cmd)
            if engine == "jit" and status != 0 and UNSUPPORTED in err:
                continue
            if status != 0 or out != expected:
                why = f" (exit {status}: {first_line(err)})" if status != 0 else ""
                failures.append(f"{name} ({engine}, size {size}): expected {expected!r}, got {out!r}{why}")
    return failures


def measure(name, bins, args, tmp):
    """Whole-process and in-process times of one benchmark at full size."""
    size = full_size(name)
    program = sized_program(name, size, tmp)
    cmds = commands(name, size, program, bins, args.interp)
    wall = {e: [] for e in cmds}
    inner = {e: [] for e in cmds}
    outputs = {}
    result = {"size": size, "jit_status": "ok"}
    for _ in range(args.runs):
        for engine, cmd in list(cmds.items()):
            seconds, status, out, err = run(cmd)
            if engine == "jit" and status != 0 and UNSUPPORTED in err:
                result["jit_status"] = "unsupported: " + first_line(err).removeprefix("runtime error: ")
                del cmds["jit"]
                continue
            if status != 0:
                outputs[engine] = f"exit {status}: {first_line(err)}"
            else:
                outputs.setdefault(engine, out)
            wall[engine].append(seconds * 1e3)
            ms = inproc_ms(err)
            if ms is not None:
                inner[engine].append(ms)
    result["whole_ms"] = {e: min(ts) for e, ts in wall.items() if ts}
    result["inproc_ms"] = {e: min(ts) for e, ts in inner.items() if ts}
    if result["jit_status"] == "ok":
        result.update(jit_bench(program, args.inproc_runs))
    distinct = set(outputs.values())
    result["agree"] = len(distinct) == 1
    result["output"] = outputs.get("gcc", "").strip()
    if not result["agree"]:
        result["outputs"] = outputs
    return result


JIT_BENCH_LINE = re.compile(
    r"jit run ([0-9.]+) ms, jit total in-process ([0-9.]+) ms, compile (\d+) functions ([0-9.]+) us "
    r"\(([0-9.]+) us/function\), interp ([0-9.]+) ms"
)


def jit_bench(program, runs):
    """JIT run time, compile time per function and the interpreter's run
    time, in process, from the jit_bench example (best of `runs`)."""
    out = subprocess.run([str(JIT_BENCH)] + [str(program)] * runs, capture_output=True, text=True).stdout
    found = [m.groups() for m in JIT_BENCH_LINE.finditer(out)]
    if not found:
        return {"jit_bench": first_line(out)}
    col = lambda i: min(float(f[i]) for f in found)  # noqa: E731
    return {
        "jit_run_ms": col(0),
        "functions": int(found[0][2]),
        "compile_us_total": col(3),
        "compile_us_per_function": col(4),
        "interp_inproc_ms": col(5),
    }


def deep_recursion(tmp):
    """sum_to 10^6 must complete; sum_to 10^8 must end with the stack-limit
    error and exit status 1."""
    rows = []
    for size, want in [(1000000, "completes"), (100000000, "stack-limit error, exit 1")]:
        program = sized_program("sum_to", size, tmp)
        seconds, status, out, err = run([str(SYNOEMA), "run", "--engine", "jit", str(program)])
        if want == "completes":
            ok = status == 0 and out.strip() == str(size * (size + 1) // 2)
            got = f"exit {status}, printed {out.strip() or first_line(err)}"
        else:
            ok = status == 1 and "stack limit" in err
            got = f"exit {status}, {first_line(err)}"
        rows.append({"size": size, "target": want, "got": got, "met": ok, "whole_ms": seconds * 1e3})
    return rows


def small_program(tmp, runs):
    """Whole-process time of a small program (fib 15: three Core functions,
    a few thousand calls), for the issue's target of under 5 ms."""
    program = sized_program("fib", 15, tmp)
    times = [run([str(SYNOEMA), "run", "--engine", "jit", str(program)])[0] * 1e3 for _ in range(runs)]
    return min(times)


def fmt(x, digits=1):
    return "-" if x is None else f"{x:.{digits}f}"


def ratio(a, b):
    return f"{a / b:.1f}x" if a is not None and b else "-"


def report(results, deep, small, args, info):
    print(f"\nMachine: {info['nproc']} x {info['cpu']}; python {info['python']}; {info['gcc']}; commit {info['commit']}")
    print(f"\nWhole process, ms (best of {args.runs} runs; start-up, parsing, checking and compiling included)")
    head = f"{'benchmark':<16}{'size':>10}{'gcc -O2':>10}{'python3':>10}{'jit':>10}"
    head += f"{'interp':>10}" if args.interp else ""
    print(head + f"{'jit/gcc':>9}{'py/jit':>9}")
    for name, r in results.items():
        w = r["whole_ms"]
        line = f"{name:<16}{r['size']:>10}{fmt(w.get('gcc')):>10}{fmt(w.get('python')):>10}{fmt(w.get('jit')):>10}"
        line += f"{fmt(w.get('interp')):>10}" if args.interp else ""
        if r["jit_status"] == "ok":
            line += f"{ratio(w.get('jit'), w.get('gcc')):>9}{ratio(w.get('python'), w.get('jit')):>9}"
        else:
            line += "  JIT " + r["jit_status"]
        print(line)

    print(f"\nIn process, ms (C and Python: timer inside the program, best of {args.runs}; "
          f"Synoema: jit_bench, best of {args.inproc_runs}; JIT compile time per Core function in us)")
    print(f"{'benchmark':<16}{'gcc -O2':>10}{'python3':>10}{'jit':>10}{'interp':>10}{'jit/gcc':>9}{'py/jit':>9}"
          f"{'fns':>5}{'us/fn':>8}")
    for name, r in results.items():
        i = r["inproc_ms"]
        line = f"{name:<16}{fmt(i.get('gcc'), 2):>10}{fmt(i.get('python')):>10}"
        if "jit_run_ms" in r:
            line += f"{fmt(r['jit_run_ms'], 2):>10}{fmt(r['interp_inproc_ms']):>10}"
            line += f"{ratio(r['jit_run_ms'], i.get('gcc')):>9}{ratio(i.get('python'), r['jit_run_ms']):>9}"
            line += f"{r['functions']:>5}{fmt(r['compile_us_per_function']):>8}"
        else:
            line += "  JIT " + (r["jit_status"] if r["jit_status"] != "ok" else r.get("jit_bench", "no jit_bench output"))
        print(line)

    if deep:
        print("\nDeep recursion (synoema run --engine jit)")
        for d in deep:
            print(f"  sum_to {d['size']:<10} target: {d['target']:<26} {'met' if d['met'] else 'NOT MET'}: "
                  f"{d['got']} ({d['whole_ms']:.0f} ms)")

    print("\nIssue 3 targets")
    for name in ("fib", "collatz", "collatz_longest"):
        r = results.get(name)
        if r and "jit_run_ms" in r and r["inproc_ms"].get("gcc"):
            vs_c = r["jit_run_ms"] / r["inproc_ms"]["gcc"]
            vs_py = r["inproc_ms"]["python"] / r["jit_run_ms"]
            print(f"  {name}: jit/gcc {vs_c:.2f}x in process (target <= 2x: {'met' if vs_c <= 2 else 'not met'}), "
                  f"python/jit {vs_py:.0f}x (target >= 20x: {'met' if vs_py >= 20 else 'not met'})")
    per_fn = [r["compile_us_per_function"] for r in results.values() if "compile_us_per_function" in r]
    if per_fn:
        worst = max(per_fn)
        print(f"  compile time per function: {min(per_fn):.0f}-{worst:.0f} us across benchmarks "
              f"(target < 100 us: {'met' if worst < 100 else 'not met'})")
    if small is not None:
        print(f"  whole process of a small program (fib 15, jit, best of {args.runs}): {small:.1f} ms "
              f"(target < 5 ms: {'met' if small < 5 else 'not met'})")

    bad = [(n, r) for n, r in results.items() if not r["agree"]]
    for name, r in bad:
        print(f"\nOUTPUTS DISAGREE for {name}: {r['outputs']}")


def rounded(value):
    """Times to three decimals in the baseline file."""
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


def compare(results, baseline):
    """Current vs baseline per benchmark: jit whole-process and in-process
    times, and the gcc/python times as a measure of machine drift."""
    base = baseline.get("results", {})
    m = baseline.get("machine", {})
    print(f"\nAgainst baseline ({BASELINE.relative_to(ROOT)}: {m.get('date')}, commit {m.get('commit')}, "
          f"{m.get('nproc')} x {m.get('cpu')}); ratio = now / baseline, below 1 is faster")
    print(f"{'benchmark':<16}{'jit whole':>22}{'jit in-process':>24}{'gcc whole':>12}{'py whole':>11}")
    for name, r in results.items():
        b = base.get(name)
        if not b:
            print(f"{name:<16}  (not in the baseline)")
            continue

        def pair(now, then, digits):
            if now is None and then is None:
                return "-"
            if now is None or then is None:
                return f"{fmt(then, digits)} -> {fmt(now, digits)}"
            return f"{then:.{digits}f} -> {now:.{digits}f} {now / then:.2f}"

        whole = pair(r["whole_ms"].get("jit"), b["whole_ms"].get("jit"), 1)
        inner = pair(r.get("jit_run_ms"), b.get("jit_run_ms"), 2)
        g = r["whole_ms"].get("gcc"), b["whole_ms"].get("gcc")
        p = r["whole_ms"].get("python"), b["whole_ms"].get("python")
        drift = lambda x: f"{x[0] / x[1]:.2f}" if x[0] and x[1] else "-"  # noqa: E731
        line = f"{name:<16}{whole:>22}{inner:>24}{drift(g):>12}{drift(p):>11}"
        if b.get("jit_status") != r["jit_status"]:
            line += f"  (JIT was {b.get('jit_status')!r}, now {r['jit_status']!r})"
        print(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="whole-process runs per engine (best is reported)")
    parser.add_argument("--inproc-runs", type=int, default=3, help="jit_bench runs (best is reported)")
    parser.add_argument("--interp", action="store_true", help="also time `synoema run --engine interp`")
    parser.add_argument("--only", help="comma-separated benchmark names")
    parser.add_argument("--check", action="store_true", help="only the correctness check at the check sizes")
    parser.add_argument("--write-baseline", action="store_true", help=f"record the results in {BASELINE.name}")
    args = parser.parse_args()

    if args.only and args.write_baseline:
        sys.exit("--write-baseline records the whole suite; drop --only")
    rows = suite()
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {r[0] for r in rows}
        if unknown:
            sys.exit(f"unknown benchmarks: {' '.join(sorted(unknown))}")
        rows = [r for r in rows if r[0] in wanted]
    with tempfile.TemporaryDirectory() as tmp:
        bins = compile_c([r[0] for r in rows], tmp)
        failures = check(rows, bins, tmp)
        print(f"check: {len(rows)} benchmarks at their check sizes, C / Python / interp / jit: "
              f"{'all agree with suite.tsv' if not failures else f'{len(failures)} failures'}")
        for f in failures:
            print("  FAIL " + f)
        if args.check:
            return 1 if failures else 0
        info = machine()
        results = {}
        for name, _, _ in rows:
            print(f"measuring {name} ...", file=sys.stderr, flush=True)
            results[name] = measure(name, bins, args, tmp)
        deep = None if args.only else deep_recursion(tmp)
        small = None if args.only else small_program(tmp, args.runs)
    report(results, deep, small, args, info)
    if BASELINE.exists() and not args.write_baseline:
        compare(results, json.loads(BASELINE.read_text()))
    if args.write_baseline:
        doc = {"machine": info, "runs": args.runs, "inproc_runs": args.inproc_runs, "results": results,
               "deep_recursion": deep, "small_program_ms": small}
        BASELINE.write_text(json.dumps(rounded(doc), indent=1, sort_keys=True) + "\n")
        print(f"\nwrote {BASELINE.relative_to(ROOT)}")
    disagree = [n for n, r in results.items() if not r["agree"]]
    missed_deep = [d for d in deep or [] if not d["met"]]
    return 1 if failures or disagree or missed_deep else 0


if __name__ == "__main__":
    sys.exit(main())

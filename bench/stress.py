#!/usr/bin/env python3
"""Stress benchmark: realistic shapes of data that make a stage super-linear, at three sizes.

    python bench/stress.py [--sizes 10000 50000 100000] [--shapes stems hub ...] [--jobs 2]

Each shape is a JSON Lines corpus made from the example papers' prose (as bench/scale.py
makes its corpora), built by `kg build --no-model --no-cache` in a child process; the
recognizer is left out because its cost is per paper and linear (bench/scale.py measures
it), while these shapes stress the other stages. Shapes:

- `stems`: titles sharing 50 stems with a number ("<title> (study 17)"): series, errata, parts;
- `hub`: one concept in every paper (every abstract says it uses a transformer);
- `long`: 50,000-character abstracts (at a tenth of each size: 100k of them are 5 GB of text);
- `authors`: 3,000 authors per paper (at a tenth of each size: 300 million names at 100k);
- `dup10`: every record ten times (same title and DOI): a tenth as many papers as records;
- `scripts`: titles and abstracts mixing Latin, Cyrillic, Greek, Arabic, Devanagari, CJK.

It prints each stage's seconds (the build's own stopwatch) per size, then for each stage
the growth from the smallest to the largest size against n log n: a stage whose time grows
more than 1.5 times faster than n log n, and takes a second or more, is marked SUPER-LINEAR.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale import make_corpus  # noqa: E402

SHAPES = ("stems", "hub", "long", "authors", "dup10", "scripts")
TENTH = {"long", "authors"}  # shapes built at a tenth of each size
SCRIPTS = ["Нейронные сети", "νευρωνικά δίκτυα", "الشبكات العصبية", "तंत्रिका नेटवर्क", "神经网络", "ニューラルネットワーク", "신경망"]


def write_shape(shape: str, n: int, dest: Path) -> int:
    """Write `n` records of `shape` to `dest`; returns the number of records."""
    base = make_corpus(n if shape != "dup10" else max(1, n // 10), dest.with_suffix(".base.jsonl"))
    stems = [t for t, _ in base[:50]]
    with open(dest, "w", encoding="utf-8") as f:
        for i, (title, abstract) in enumerate(base):
            record: dict = {"title": title, "abstract": abstract, "year": 2000 + i % 26}
            if shape == "stems":
                record["title"] = f"{stems[i % len(stems)]} (study {i // len(stems)})"
            elif shape == "hub":
                record["abstract"] = abstract + " We use a transformer."
            elif shape == "long":
                record["abstract"] = (abstract + " ") * (50_000 // (len(abstract) + 1) + 1)
                record["abstract"] = record["abstract"][:50_000]
            elif shape == "authors":
                record["authors"] = [f"Author{j} Surname{(i + j) % 997}" for j in range(3000)]
            elif shape == "scripts":
                word = SCRIPTS[i % len(SCRIPTS)]
                record["title"] = f"{word}: {title}"
                record["abstract"] = f"{abstract} {word} {SCRIPTS[(i + 3) % len(SCRIPTS)]}."
            if shape == "dup10":
                record["doi"] = f"10.5555/stress.{i}"
                f.write("".join(json.dumps(record, ensure_ascii=False) + "\n" for _ in range(10)))
            else:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
    dest.with_suffix(".base.jsonl").unlink()
    return len(base) * (10 if shape == "dup10" else 1)


def build(corpus: Path, out: Path, jobs: int) -> tuple[float, dict[str, float]]:
    """`kg build` in a child process: wall seconds and its stopwatch's stages."""
    cmd = [sys.executable, "-c", "from kg.cli import run; run()", "build", str(corpus), "-o", str(out),
           "--no-model", "--no-cache", "--jobs", str(jobs)]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"build failed ({corpus}):\n{done.stderr[-2000:]}")
    line = next(x for x in done.stdout.splitlines() if x.startswith("stages: "))
    stages = {m.group(1): float(m.group(2)) for m in re.finditer(r"([\w. ]+?) ([\d.]+) s(?:, |$)", line[8:])}
    return seconds, stages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    ap.add_argument("--shapes", nargs="+", choices=SHAPES, default=list(SHAPES))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", help="directory for corpora and builds [a temporary one]")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        for shape in args.shapes:
            sizes = [max(1, s // 10) if shape in TENTH else s for s in args.sizes]
            rows = []
            for n in sizes:
                corpus = Path(tmp) / f"{shape}-{n}.jsonl"
                records = write_shape(shape, n, corpus)
                seconds, stages = build(corpus, Path(tmp) / f"out-{shape}-{n}", args.jobs)
                rows.append((n, records, seconds, stages))
                corpus.unlink()
                print(f"{shape:<8} {n:>7} papers ({records} records): {seconds:.1f} s", flush=True)
            report(shape, rows)


def report(shape: str, rows: list[tuple[int, int, float, dict[str, float]]]) -> None:
    stages = list(dict.fromkeys(name for *_, st in rows for name in st))
    print(f"\n{shape}: seconds per stage")
    print(f"  {'stage':<16}" + "".join(f"{r[0]:>10}" for r in rows) + "   growth / n log n")
    n0, n1 = rows[0][0], rows[-1][0]
    expected = (n1 * math.log(n1)) / (n0 * math.log(max(n0, 2))) if n1 > n0 else 1.0
    for name in stages:
        times = [r[3].get(name, 0.0) for r in rows]
        growth = (times[-1] / times[0]) if times[0] > 0.05 else float("nan")
        verdict = ""
        if not math.isnan(growth):
            verdict = f"{growth / expected:5.2f}" + ("  SUPER-LINEAR" if growth > 1.5 * expected and times[-1] >= 1.0 else "")
        print(f"  {name:<16}" + "".join(f"{t:>10.1f}" for t in times) + f"   {verdict}")
    print(f"  {'whole build':<16}" + "".join(f"{r[2]:>10.1f}" for r in rows) + "\n", flush=True)


if __name__ == "__main__":
    main()

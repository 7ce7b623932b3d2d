#!/usr/bin/env python3
"""Scale benchmark: build corpora of 10k, 50k and 100k papers and print every figure the
scale targets name, with spaCy's bare tokenizer as the floor, all in one run.

    python bench/scale.py [--sizes 10000 50000 100000] [--jobs 2] [--work DIR] [--json FILE]

The corpora are made from the example papers: each paper takes the first half of one
example's title and abstract and the second half of another's (sentences kept whole), a
different pair for each paper, so the text is real prose with real mentions and no two
papers are the same (up to 505 x 504 papers).

Per size it prints:
- tokenizer, extraction (one process) and extraction (--jobs processes) in papers per
  second over the same texts, and extraction's ratio to the tokenizer: with the shipped
  recognizer (the default build) and with rules alone (`--no-model`);
- the whole `kg build` (graph.ttl, mentions.jsonl, a capped graph.html, report.html) in a
  child process, with the recognizer and with `--no-model`: seconds and peak memory of its
  process tree;
- a rebuild after adding 1% new papers: seconds, papers re-extracted, ratio to the build;
- output sizes; bulk load into an Oxigraph store and each example query's time on it.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402  (comes with dask[distributed], in the test extras)
import spacy  # noqa: E402

from kg.api import read_corpus  # noqa: E402
from kg.extraction.runner import ExtractorSpec, extract_batch, extract_corpus  # noqa: E402
from kg.query.store import load_store, open_store, run_store_query  # noqa: E402
from kg.resources import queries_dir  # noqa: E402

SAMPLE = 20_000  # papers timed for the extraction ratio (all of them for smaller corpora)
MODEL_SAMPLE = 5_000  # the same with the recognizer (four times slower: fewer papers give as steady a figure)
OUTPUTS = {"ttl_mb": "graph.ttl", "mentions_mb": "mentions.jsonl", "graph_html_mb": "graph.html",
           "report_html_mb": "report.html"}
TARGETS = {"ratio": 0.40, "build_s": 480, "rules_build_s": 180, "peak_mb": 3072, "rebuild": 0.20, "query_s": 1.0}


def make_corpus(n: int, dest: Path, start: int = 0) -> list[tuple[str, str]]:
    """Write `n` synthetic papers to `dest` (JSON Lines); returns their (title, abstract).

    Paper i pairs example papers a = i mod 505 and b (a different partner for each round
    through the examples): the first half of a's title and abstract, then the second half
    of b's, so every title is distinct and reads like one, and the text is real prose."""
    base = [p for _, p in read_corpus([ROOT / "examples" / "corpus"]).papers if p.abstract]
    sentences = [re.split(r"(?<=[.!?])\s+(?=[A-Z])", p.abstract) for p in base]
    words = [p.title.split() for p in base]
    out, seen = [], set()
    with open(dest, "w", encoding="utf-8") as f:
        for i in range(start, start + n):
            a = i % len(base)
            b = (a + 1 + i // len(base)) % len(base)
            title = " ".join(words[a][: max(1, len(words[a]) // 2)] + words[b][len(words[b]) // 2:])
            title = title if title not in seen else f"{title}, case {i}"  # two halves can repeat
            seen.add(title)
            first, second = sentences[a], sentences[b]
            abstract = " ".join(first[: max(1, len(first) // 2)] + second[len(second) // 2:])
            f.write(json.dumps({"title": title, "abstract": abstract, "year": 2000 + i % 26}) + "\n")
            out.append((title, abstract))
    return out


def papers_per_second(texts: list[tuple[str, str]], jobs: int, model: bool = True) -> dict[str, float]:
    """Tokenizer floor and extraction throughput over the same texts, in one run."""
    nlp = spacy.blank("en")
    docs = [f"{t}\n\n{a}" for t, a in texts]
    list(nlp.tokenizer.pipe(docs[:500]))  # warm the tokenizer's cache, as extraction's is
    start = time.perf_counter()
    for _ in nlp.tokenizer.pipe(docs, batch_size=256):
        pass
    tokenizer = len(docs) / (time.perf_counter() - start)
    spec = ExtractorSpec(use_model=model)
    extract_batch(texts[:500], spec)  # build the pipeline and warm it, outside the timing
    start = time.perf_counter()
    for i in range(0, len(texts), 256):
        extract_batch(texts[i:i + 256], spec)
    one = len(texts) / (time.perf_counter() - start)
    from kg.model import Paper
    papers = [Paper(title=t, abstract=a) for t, a in texts]
    start = time.perf_counter()
    for _ in extract_corpus(papers, spec, jobs=jobs):
        pass
    many = len(texts) / (time.perf_counter() - start)
    return {"tokenizer_pps": tokenizer, "extract_pps": one, "extract_jobs_pps": many}


def run_build(inputs: list[Path], out: Path, jobs: int, model: bool = True) -> tuple[float, float, str]:
    """`kg build` in a child process: (seconds, peak MB of its process tree, summary).

    Memory is the proportional set size (PSS) summed over the tree, sampled every 0.25 s."""
    cmd = [sys.executable, "-c", "from kg.cli import run; run()", "build", *map(str, inputs), "-o", str(out), "--jobs", str(jobs),
           *([] if model else ["--no-model"])]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0.0]
    sampler = threading.Thread(target=_sample_memory, args=(proc.pid, peak), daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"kg build failed:\n{stderr}")
    return seconds, peak[0], stdout


def _sample_memory(pid: int, peak: list[float]) -> None:
    try:
        root = psutil.Process(pid)
        while root.is_running() and root.status() != psutil.STATUS_ZOMBIE:
            procs = [root, *root.children(recursive=True)]
            total = 0
            for p in procs:
                try:
                    total += p.memory_full_info().pss  # forked workers share pages: RSS would count them twice
                except psutil.Error:
                    pass
            peak[0] = max(peak[0], total / 2**20)
            time.sleep(0.25)
    except psutil.Error:
        pass


def query_times(graph_file: Path, store_dir: Path) -> tuple[float, dict[str, float]]:
    """Bulk-load time, and each example query's seconds on the persistent store."""
    start = time.perf_counter()
    load_store(graph_file, store_dir)
    load = time.perf_counter() - start
    store = open_store(store_dir=store_dir)
    times = {}
    for rq in sorted(queries_dir().glob("*.rq")):
        start = time.perf_counter()
        run_store_query(store, rq.read_text(encoding="utf-8"))
        times[rq.stem] = time.perf_counter() - start
    return load, times


def bench_size(n: int, jobs: int, work: Path) -> dict:
    corpus_dir = work / f"corpus-{n}"
    corpus_dir.mkdir(parents=True, exist_ok=True)
    texts = make_corpus(n, corpus_dir / "papers.jsonl")
    row: dict = {"papers": n, "jobs": jobs}
    row.update(papers_per_second(texts[:MODEL_SAMPLE], jobs))
    row.update({f"rules_{k}": v for k, v in papers_per_second(texts[:SAMPLE], jobs, model=False).items()})
    row["rules_build_s"], row["rules_peak_rss_mb"], _ = run_build([corpus_dir], work / f"rules-{n}", jobs, model=False)
    out = work / f"build-{n}"
    row["build_s"], row["peak_rss_mb"], summary = run_build([corpus_dir], out, jobs)
    row["build_stages"] = stages_of(summary)
    row["build_pps"] = n / row["build_s"]
    make_corpus(max(1, n // 100), corpus_dir / "added.jsonl", start=n)
    row["rebuild_s"], _, summary = run_build([corpus_dir], out, jobs)
    row["rebuild_extracted"] = int(re.search(r"extracted: (\d+) papers", summary).group(1))
    row["rebuild_stages"] = stages_of(summary)
    for key, name in OUTPUTS.items():
        row[key] = (out / name).stat().st_size / 2**20
    row["triples"] = _count_triples(out / "graph.ttl")
    row["load_s"], row["queries"] = query_times(out / "graph.ttl", work / f"store-{n}")
    row["query_max_s"] = max(row["queries"].values())
    return row


def stages_of(summary: str) -> dict[str, float]:
    """The seconds per stage of a build's summary ("stages: read 1.2 s, extract 3.4 s, ...")."""
    line = re.search(r"^stages: (.*)$", summary, re.M).group(1)
    return {name: float(secs) for name, secs in re.findall(r"([^,]+?) ([\d.]+) s(?:, |$)", line)}


def _count_triples(path: Path) -> int:
    import pyoxigraph as ox
    return sum(1 for _ in ox.parse(path=path, format=ox.RdfFormat.TURTLE))


def report(row: dict) -> str:
    ratio, ratio_jobs = row["extract_pps"] / row["tokenizer_pps"], row["extract_jobs_pps"] / row["tokenizer_pps"]
    rules, rules_jobs = (row["rules_extract_pps"] / row["rules_tokenizer_pps"],
                         row["rules_extract_jobs_pps"] / row["rules_tokenizer_pps"])
    rebuild = row["rebuild_s"] / row["build_s"]
    ok = lambda good: "ok" if good else "MISSED"  # noqa: E731
    slowest = max(row["queries"], key=row["queries"].get)
    return "\n".join([
        f"== {row['papers']:,} papers ==",
        f"tokenizer floor        {row['tokenizer_pps']:9.0f} papers/s",
        f"extraction, 1 process  {row['extract_pps']:9.0f} papers/s  ratio {ratio:.2f}  (recognizer and rules)",
        f"extraction, {row['jobs']} procs   {row['extract_jobs_pps']:9.0f} papers/s  ratio {ratio_jobs:.2f}",
        f"  rules alone          {row['rules_extract_pps']:9.0f} papers/s  ratio {rules:.2f}; {row['jobs']} procs "
        f"{row['rules_extract_jobs_pps']:.0f} papers/s, ratio {rules_jobs:.2f}"
        f"  (target >= {TARGETS['ratio']:.2f}: {ok(rules_jobs >= TARGETS['ratio'])})",
        f"whole build            {row['build_s']:9.1f} s ({row['build_pps']:.0f} papers/s)"
        f"  (target < {TARGETS['build_s']} s at 100k: {ok(row['build_s'] < TARGETS['build_s'])})",
        f"peak memory            {row['peak_rss_mb']:9.0f} MB (PSS of the process tree)"
        f"  (target < {TARGETS['peak_mb']} MB: {ok(row['peak_rss_mb'] < TARGETS['peak_mb'])})",
        f"  --no-model build     {row['rules_build_s']:9.1f} s, peak {row['rules_peak_rss_mb']:.0f} MB"
        f"  (target < {TARGETS['rules_build_s']} s at 100k: {ok(row['rules_build_s'] < TARGETS['rules_build_s'])})",
        f"rebuild, +1% papers    {row['rebuild_s']:9.1f} s, {row['rebuild_extracted']} re-extracted, "
        f"{rebuild:.0%} of the build  (target < {TARGETS['rebuild']:.0%}: {ok(rebuild < TARGETS['rebuild'])})",
        f"  where it went         {_slowest(row['rebuild_stages'])}",
        f"outputs                graph.ttl {row['ttl_mb']:.0f} MB ({row['triples']:,} triples), "
        f"mentions.jsonl {row['mentions_mb']:.0f} MB, graph.html {row['graph_html_mb']:.1f} MB, "
        f"report.html {row['report_html_mb']:.1f} MB",
        f"SPARQL on Oxigraph     load {row['load_s']:.1f} s; slowest of {len(row['queries'])} example queries "
        f"{row['query_max_s']:.2f} s ({slowest})  (target < {TARGETS['query_s']:.0f} s: "
        f"{ok(row['query_max_s'] < TARGETS['query_s'])})",
    ])


def _slowest(stages: dict[str, float], n: int = 6) -> str:
    top = sorted(stages.items(), key=lambda kv: -kv[1])[:n]
    return ", ".join(f"{name} {secs:.1f} s" for name, secs in top) + f" (of {sum(stages.values()):.1f} s in stages)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, help="Where corpora and builds go (default: a temporary directory).")
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        work = args.work or Path(tmp)
        rows = []
        for n in args.sizes:
            rows.append(bench_size(n, args.jobs, work))
            print(report(rows[-1]), flush=True)
        if args.json:
            args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()

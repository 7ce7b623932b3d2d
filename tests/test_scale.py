"""Scale features: N processes, the mention cache, a Dask cluster, and the benchmark itself.
Each must give exactly the graph a plain build gives."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus" / "000_5c0671788d45ae74.txt"


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    out = tmp_path_factory.mktemp("plain")
    return kg.build([CORPUS], out, cache=False), out


def _same_outputs(a: Path, b: Path) -> None:
    for name in ("graph.ttl", "mentions.jsonl"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_jobs_give_the_same_graph(plain, tmp_path):
    result, out = plain
    parallel = kg.build([CORPUS], tmp_path, jobs=2, cache=False)
    assert parallel.extraction.extracted == result.extraction.extracted == result.counts()["papers"]
    _same_outputs(out, tmp_path)


def test_rebuild_extracts_only_new_papers(plain, tmp_path):
    result, out = plain
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / CORPUS.name).write_bytes(CORPUS.read_bytes())
    first = kg.build([corpus], tmp_path / "out")
    assert (first.extraction.extracted, first.extraction.cached) == (result.counts()["papers"], 0)
    _same_outputs(out, tmp_path / "out")
    (corpus / "new.jsonl").write_text(json.dumps({"title": "A new paper", "abstract": "We record EEG in V1."}) + "\n")
    second = kg.build([corpus], tmp_path / "out")
    assert (second.extraction.extracted, second.extraction.cached) == (1, result.counts()["papers"])
    assert second.counts()["papers"] == result.counts()["papers"] + 1


def test_build_says_where_its_time_went(plain):
    result, _ = plain
    stages = result.stopwatch.seconds
    assert list(stages)[:3] == ["read", "pipeline", "extract"]
    assert {"similarity", "graph.ttl", "mentions.jsonl", "graph.html"} <= stages.keys()
    assert all(s >= 0 for s in stages.values()) and sum(stages.values()) <= result.seconds
    assert "stages: read " in result.summary()


def test_cache_is_keyed_by_extractor(tmp_path, tiny_vocab):
    """Another vocabulary is another extractor: nothing cached by the first is reused, and
    each extractor's results stay cached side by side."""
    first = kg.build([CORPUS], tmp_path / "out")
    other = kg.build([CORPUS], tmp_path / "out", vocab=[tiny_vocab])
    assert other.extraction.cached == 0
    for vocab in ([], [tiny_vocab]):
        again = kg.build([CORPUS], tmp_path / "out", vocab=vocab)
        assert (again.extraction.extracted, again.extraction.cached) == (0, first.extraction.extracted)


def test_dask_cluster_gives_the_same_graph(plain, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    _, out = plain
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        result = kg.build([CORPUS], tmp_path, scheduler=cluster.scheduler_address, cache=False)
    assert result.extraction.extracted == result.counts()["papers"]
    _same_outputs(out, tmp_path)


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    with pytest.raises(kg.KgError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:1"):
        kg.build([CORPUS], tmp_path, scheduler="tcp://127.0.0.1:1", cache=False)


def test_benchmark_runs_at_a_small_size(tmp_path):
    """bench/scale.py must keep working: run it on 300 papers and check every figure."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "scale.py"), "--sizes", "300", "--jobs", "2",
                           "--work", str(tmp_path), "--json", str(tmp_path / "figures.json")],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    [row] = json.loads((tmp_path / "figures.json").read_text())
    assert row["papers"] == 300
    for key in ("tokenizer_pps", "extract_pps", "extract_jobs_pps", "build_s", "peak_rss_mb", "rebuild_s", "rules_build_s",
                "rules_extract_pps", "rules_extract_jobs_pps",
                "rebuild_extracted", "query_max_s", "ttl_mb"):
        assert row[key] > 0, key
    assert row["rebuild_extracted"] == 3  # 1% new papers, and only those
    assert {"extract", "similarity", "graph.ttl"} <= row["rebuild_stages"].keys()


def test_frozen_heap_is_undone_by_the_outermost_exit_and_frees_dropped_objects():
    import gc
    import weakref

    from kg.heap import frozen_heap, settle

    class Node:
        pass

    before = gc.get_threshold()
    with frozen_heap():
        assert gc.get_freeze_count() > 0 and gc.get_threshold() != before
        with frozen_heap():
            cycle = Node()
            cycle.me = cycle
            settle()
        assert gc.get_freeze_count() > 0  # the inner exit keeps the outer one's heap frozen
        dropped = Node()
        gone = weakref.ref(dropped)
        del dropped
        assert gone() is None  # reference counting still frees what a stage drops
        kept = weakref.ref(cycle)
        del cycle
        gc.collect()
        assert kept() is not None  # a frozen cycle is not collected inside
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before
    gc.collect()
    assert kept() is None  # after the exit it is

#!/usr/bin/env python3
"""Extraction quality benchmark: builds the example corpus and third-party corpora and
prints the scores of ../shared/tools against the issue's targets.

    python bench/extraction.py [--shared ../shared] [--skip-external]

Dev scores are paper-level (score_mentions.py); the external corpora (score_external.py)
are WhiteText brain regions and SciREX datasets and methods.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kg  # noqa: E402

TARGETS = {"method": (0.85, 0.70), "dataset": (0.90, 0.85), "modality": (0.85, 0.85), "brain_region": (0.90, 0.85)}
EXTERNAL = {
    "whitetext_dev.jsonl": ["BrainRegion=brain_region"],
    "scirex_abstract_train.jsonl": ["Material=dataset", "Method=method"],
}


def dev_scores(shared: Path, out: Path) -> dict:
    """Build examples/corpus and score its mentions against gold/dev.jsonl."""
    kg.build([ROOT / "examples" / "corpus"], out)
    sys.path.insert(0, str(shared / "tools"))
    from score_mentions import load, score
    return score(load(shared / "gold" / "dev.jsonl"), load(out / "mentions.jsonl"))


def external_scores(shared: Path, name: str, labels: list[str], work: Path) -> dict:
    """Prepare an external corpus as papers, build it, and score it."""
    tool = shared / "tools" / "score_external.py"
    corpus = shared / "external" / name
    papers = work / f"{corpus.stem}.jsonl"
    papers.write_text(subprocess.run([sys.executable, tool, "prepare", corpus], check=True,
                                     capture_output=True, text=True).stdout, encoding="utf-8")
    out = work / corpus.stem
    kg.build([papers], out)
    result = subprocess.run([sys.executable, tool, "score", corpus, out / "mentions.jsonl", *labels, "--json"],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def print_dev(result: dict) -> None:
    print(f"dev.jsonl: {result['papers']} papers")
    print(f"{'type':<13}{'precision':>10}{'recall':>8}{'f1':>7}   target P/R   met")
    for t, s in result["types"].items():
        p, r = TARGETS[t]
        met = s["precision"] >= p and s["recall"] >= r
        print(f"{t:<13}{s['precision']:>10.3f}{s['recall']:>8.3f}{s['f1']:>7.3f}   {p:.2f}/{r:.2f}    {'yes' if met else 'NO'}")


def print_external(name: str, result: dict) -> None:
    print(f"\n{name}: {result['docs']} docs")
    print(f"{'type':<13}{'mode':<9}{'precision':>10}{'recall':>8}{'f1':>7}")
    for t, r in result["types"].items():
        for mode in ("strict", "lenient"):
            m = r[mode]
            print(f"{t:<13}{mode:<9}{m['precision']:>10.3f}{m['recall']:>8.3f}{m['f1']:>7.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--skip-external", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with contextlib.redirect_stdout(io.StringIO()):
            dev = dev_scores(args.shared, work / "dev")
        print_dev(dev)
        if not args.skip_external:
            for name, labels in EXTERNAL.items():
                print_external(name, external_scores(args.shared, name, labels, work))
    return 0


if __name__ == "__main__":
    sys.exit(main())

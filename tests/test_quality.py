"""Extraction quality guards: the dev set (held out from all training) with the shipped
recognizer, and WhiteText with rules alone (the recognizer trained on WhiteText's dev half,
so a build of it with the model would score papers the model saw; bench/extraction.py
cross-validates it instead).

Scored with the shared tools (../shared/tools), as the benchmark does. Skipped only when
../shared is not beside the checkout.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import kg
from conftest import ROOT

SHARED = ROOT.parent / "shared"
# Floors, not the targets (README "Measured"). Method precision is .84: the general
# techniques added to methods.ttl (2026-12-07) raised recall on every annotated set and cost
# dev precision .881 -> .848 (F1 .791 -> .788), with SciREX's method precision unchanged.
TARGETS = {"method": (0.84, 0.70), "dataset": (0.90, 0.85), "modality": (0.85, 0.85), "brain_region": (0.90, 0.85)}

pytestmark = pytest.mark.skipif(not (SHARED / "gold" / "dev.jsonl").is_file(), reason="../shared is not beside the checkout")


@pytest.mark.parametrize("ctype", list(TARGETS))
def test_dev_scores_meet_targets(example_build, ctype):
    sys.path.insert(0, str(SHARED / "tools"))
    from score_mentions import load, score
    result = score(load(SHARED / "gold" / "dev.jsonl"), load(example_build.outputs["jsonl"]))
    assert result["papers_missing"] == 0
    got = result["types"][ctype]
    precision, recall = TARGETS[ctype]
    assert got["precision"] >= precision and got["recall"] >= recall, got


def test_whitetext_brain_regions_meet_target(tmp_path):
    tool, corpus = SHARED / "tools" / "score_external.py", SHARED / "external" / "whitetext_dev.jsonl"
    papers = tmp_path / "whitetext.jsonl"
    papers.write_text(subprocess.run([sys.executable, tool, "prepare", corpus], check=True, capture_output=True,
                                     text=True).stdout, encoding="utf-8")
    kg.build([papers], tmp_path / "out", model=False)
    out = subprocess.run([sys.executable, tool, "score", corpus, tmp_path / "out" / "mentions.jsonl",
                          "BrainRegion=brain_region", "--json"], check=True, capture_output=True, text=True)
    lenient = json.loads(out.stdout)["types"]["brain_region"]["lenient"]
    assert lenient["precision"] >= 0.85 and lenient["recall"] >= 0.80, lenient

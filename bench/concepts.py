"""Concept identity: merge precision and recall on labelled pairs of surface forms.

    python bench/concepts.py                       # score bench/concept_pairs.jsonl
    python bench/concepts.py --no-model            # the same with rules and vocabularies only
    python bench/concepts.py draw BUILD/mentions.jsonl > candidates.jsonl

Each line of `bench/concept_pairs.jsonl` is `{"a", "b", "same", "why", "a_context",
"b_context", "a_paper", "b_paper"}`: two surface forms from the example build (`kg build examples/corpus -o
/tmp/idb`, on the code before the identity rules), each with the sentence the build found it
in. `draw` lists the candidates the pairs were labelled from: for every concept type, forms
of one concept that differ by more than case (variants the build merged), and labels of two
concepts that look alike (the shorter inside the longer, or the same letters with other
numbers: splits the build made, or near misses such as versions). The labels `same` and
`why` were set by hand.

Scoring runs the build's extractor (the shipped recognizer unless --no-model) on the
paper each form came from (`a_paper`, read from examples/corpus; the form alone where none
is given) and takes the concept IRI of the mention whose text is the form, in the sentence
it was drawn from where it can. A pair is "merged" when both forms
resolve to one IRI; a form that resolves to nothing merges with nothing. Merge precision:
merged pairs that are the same concept / merged pairs; recall: merged same pairs / same
pairs.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAIRS = ROOT / "bench" / "concept_pairs.jsonl"


class Resolver:
    """What concept the build's extraction gives a surface form, in the paper it came from."""

    def __init__(self, model: bool):
        from kg.api import read_corpus
        from kg.extraction.runner import ExtractorSpec, extractor_for
        self.extractor = extractor_for(ExtractorSpec.from_files([], model=model))
        self.papers = dict(read_corpus([ROOT / "examples" / "corpus"]).papers)
        self.found: dict[str, list[tuple[str, str, str]]] = {}  # paper -> (text, sentence, IRI)

    def __call__(self, form: str, sentence: str | None, paper: str | None) -> str | None:
        """The IRI of the mention whose text is `form` (in `sentence` if it can; case aside
        if need be); the form alone is extracted when no paper is named. None: the
        extraction makes no mention of that form."""
        if paper not in self.found:
            text = self.papers[paper].text if paper else form
            self.found[paper] = [(m.text, m.sentence, cm.concept.iri)
                                 for cm in self.extractor.extract_text(text) for m in cm.mentions]
        mentions = self.found[paper] if paper else [m for m in self._alone(form)]
        for test in (lambda t, s: t == form and s == sentence, lambda t, s: t == form,
                     lambda t, s: t.lower() == form.lower()):
            hits = [iri for t, s, iri in mentions if test(t, s)]
            if hits:
                return hits[0]
        return None

    def _alone(self, form: str):
        return [(m.text, m.sentence, cm.concept.iri) for cm in self.extractor.extract_text(form) for m in cm.mentions]


def score(pairs: list[dict], model: bool) -> dict:
    resolve = Resolver(model)
    tp = fp = fn = tn = 0
    errors = []
    for p in pairs:
        a = resolve(p["a"], p.get("a_context"), p.get("a_paper"))
        b = resolve(p["b"], p.get("b_context"), p.get("b_paper"))
        merged = a is not None and a == b
        tp += merged and p["same"]
        fp += merged and not p["same"]
        fn += not merged and p["same"]
        tn += not merged and not p["same"]
        if merged != p["same"]:
            errors.append(("false merge" if merged else "split", p["a"], p["b"], a, b))
    return {"pairs": len(pairs), "same": tp + fn, "different": fp + tn, "tp": tp, "fp": fp, "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else 0.0, "recall": tp / (tp + fn) if tp + fn else 0.0,
            "errors": errors}


def draw(mentions: Path) -> None:
    """Candidate pairs from a build's mentions.jsonl (see the module docstring)."""
    forms: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)  # concept IRI -> form -> (sentence, paper)
    label: dict[str, tuple[str, str]] = {}
    for line in mentions.open(encoding="utf-8"):
        paper = json.loads(line)
        for c in paper["concepts"]:
            label[c["iri"]] = (c["type"], c["label"])
            for m in c.get("mentions", []):
                forms[c["iri"]].setdefault(m["text"], (m["sentence"], paper["id"]))
    out = []
    for iri, texts in sorted(forms.items()):  # variants one concept holds
        seen: dict[str, str] = {}
        for t in sorted(texts):
            seen.setdefault(_key(t), t)
        for x, y in combinations(sorted(seen.values()), 2):
            out.append({"kind": "one-concept", "a": x, "b": y, "a_context": texts[x][0], "b_context": texts[y][0],
                        "a_paper": texts[x][1], "b_paper": texts[y][1]})
    firsts = {iri: min(t.items(), key=lambda kv: (kv[0].lower() != label[iri][1].lower(), kv[0])) for iri, t in forms.items()}
    for x, y in combinations(sorted(forms), 2):  # concepts that look alike
        if label[x][0] != label[y][0]:
            continue
        (fx, sx), (fy, sy) = firsts[x], firsts[y]
        kx, ky = _key(label[x][1]), _key(label[y][1])
        letters = re.sub(r"[^a-z]", "", kx) == re.sub(r"[^a-z]", "", ky)
        inside = min(len(kx), len(ky)) >= 2 and (re.search(rf"\b{re.escape(kx)}\b", ky) or re.search(rf"\b{re.escape(ky)}\b", kx))
        if letters or inside:
            out.append({"kind": "two-concepts", "a": fx, "b": fy, "a_context": sx[0], "b_context": sy[0],
                        "a_paper": sx[1], "b_paper": sy[1]})
    for row in out:
        print(json.dumps(row, ensure_ascii=False))


def _key(text: str) -> str:
    return re.sub(r"[\s\-_]+", " ", text.lower()).strip().removesuffix("s")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "draw":
        draw(Path(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--no-model", action="store_true", help="rules and vocabularies only")
    parser.add_argument("--errors", action="store_true", help="list the pairs scored wrong")
    args = parser.parse_args()
    pairs = [json.loads(line) for line in args.pairs.open(encoding="utf-8") if line.strip()]
    result = score(pairs, model=not args.no_model)
    print(f"pairs {result['pairs']} (same {result['same']}, different {result['different']})")
    print(f"merge precision {result['precision']:.3f}  recall {result['recall']:.3f}  "
          f"(merged same {result['tp']}, merged different {result['fp']}, split same {result['fn']})")
    if args.errors:
        for kind, a, b, ia, ib in result["errors"]:
            print(f"  {kind}: {a!r} -> {ia}  |  {b!r} -> {ib}")


if __name__ == "__main__":
    main()

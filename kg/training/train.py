"""Training the recognizer: annotated papers in, a spaCy pipeline directory out.

The architecture and its settings are data (`recognizer.cfg`, spaCy's config format: a CNN
`tok2vec` under a transition-based `ner`); this module turns `GoldDoc`s into spaCy docs and
runs spaCy's trainer on them for a fixed number of epochs with a fixed seed, in one
thread, so the same papers give the same weights byte for byte. No held-out set picks
the epoch: a scorer must never see a paper the model trained on, so every paper given is
trained on and the last epoch's weights are kept.
"""
from __future__ import annotations

import contextlib
import io
import json
import logging
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from spacy.tokens import Doc, DocBin
from thinc.api import Config
from spacy.util import filter_spans

from ..errors import KgError
from ..extraction.tokens import blank_english
from .gold import GoldDoc

CONFIG = Path(__file__).with_name("recognizer.cfg")
KEPT = ("config.cfg", "meta.json", "tokenizer", "ner", "tok2vec", "vocab")


def to_doc(nlp, gold: GoldDoc) -> Doc:
    """The reference doc: gold spans as entities, unannotated places missing, the rest outside.
    A span that does not fall on token boundaries (a name inside a URL) is left out."""
    doc = nlp.make_doc(gold.text)
    ents = filter_spans([s for s in (doc.char_span(a, b, label=t) for a, b, t in gold.spans) if s is not None])
    missing = [s for s in (doc.char_span(a, b, alignment_mode="expand") for a, b in gold.missing)
               if s is not None and not any(s.start < e.end and e.start < s.end for e in ents)]
    doc.set_ents(ents, missing=filter_spans(missing), default="outside")
    return doc


def train_recognizer(docs: Iterable[GoldDoc], out: str | Path, *, seed: int = 0, epochs: int | None = None,
                     config: Path = CONFIG, quiet: bool = True) -> Path:
    """Train on every doc and write the pipeline to `out` (replaced if there)."""
    from spacy.cli.train import train

    docs = list(docs)
    if not docs:
        raise KgError("no annotated papers to train on")
    nlp = blank_english()
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="kg-train-") as tmp:
        work = Path(tmp)
        DocBin(docs=[to_doc(nlp, d) for d in docs]).to_disk(work / "train.spacy")
        DocBin(docs=[to_doc(nlp, d) for d in docs[:20]]).to_disk(work / "log.spacy")  # spaCy logs a score on it
        overrides = {"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "log.spacy"),
                     "system.seed": seed, "training.seed": seed}
        if epochs is not None:
            overrides["training.max_epochs"] = epochs
        with _quiet(quiet):
            train(config, work / "out", overrides=overrides)
        trained = work / "out" / "model-last"
        _drop_scores(trained / "meta.json")
        _drop_paths(trained / "config.cfg")
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        for name in KEPT:
            src = trained / name
            (shutil.copytree if src.is_dir() else shutil.copyfile)(src, out / name)
    return out


def _drop_scores(meta: Path) -> None:
    """The scores spaCy logs are on papers the model trained on: not kept, never shown."""
    data = json.loads(meta.read_text(encoding="utf-8"))
    data.pop("performance", None)
    data["name"], data["description"] = "kg_recognizer", "kg's concept recognizer (kg train)"
    meta.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _drop_paths(config: Path) -> None:
    """The training files were temporary: their paths would make each model differ."""
    cfg = Config().from_disk(config, interpolate=False)
    cfg["paths"]["train"] = cfg["paths"]["dev"] = None
    cfg.to_disk(config)


@contextlib.contextmanager
def _quiet(quiet: bool):
    if not quiet:
        yield
        return
    logger = logging.getLogger("spacy")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            yield
    finally:
        logger.setLevel(level)

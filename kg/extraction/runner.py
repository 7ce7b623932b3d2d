"""Running extraction over a corpus: from the cache, in batches, locally, in N processes,
or on an existing Dask cluster; the results are the same whichever way.

The pipeline is built once per process (`extractor_for`) and kept; in a local process
pool started by fork the workers inherit the parent's. Workers get (title, abstract)
pairs and return packed results (`packing.py`) in input order, so the main process holds
the corpus text once.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat
from pathlib import Path

from ..errors import KgError
from ..heap import frozen_heap
from ..model import Paper
from ..resources import model_dir, ontology_dir
from .cache import MentionCache, paper_key
from .packing import Packed, pack
from .pipeline import EXTRACTOR_VERSION, Extractor

BATCH = 256
Progress = Callable[[int, int], None]
_EXTRACTORS: dict[str, Extractor] = {}


@dataclass(frozen=True)
class ExtractorSpec:
    """What a worker anywhere needs to build the same extractor: the extra vocabularies'
    contents (a cluster's workers do not see the user's files) and whether to add the
    shipped ones."""

    vocab: tuple[tuple[str, bytes], ...] = ()  # (file name, Turtle bytes)
    builtin: bool = True
    use_model: bool = True  # run a trained recognizer: the shipped one, or `model`
    model: tuple[tuple[str, bytes], ...] = ()  # a user's model directory: (relative path, bytes)

    @classmethod
    def from_files(cls, files: Sequence[str | Path], builtin: bool = True,
                   model: str | Path | bool = True) -> "ExtractorSpec":
        """`model`: True for the shipped recognizer, a directory for another, False for rules only."""
        files_of_model = read_model(Path(model)) if isinstance(model, (str, Path)) else ()
        return cls(tuple((Path(f).name, Path(f).read_bytes()) for f in files), builtin, model is not False,
                   files_of_model)

    @cached_property
    def fingerprint(self) -> str:
        """Changes whenever extraction could give another answer for the same text. Kept:
        it reads every vocabulary file, and each batch a worker runs asks for it."""
        from .. import __version__

        h = hashlib.sha256(f"{__version__}/{EXTRACTOR_VERSION}/{self.builtin}/{self.use_model}".encode())
        shipped = sorted(ontology_dir().rglob("*.ttl")) if self.builtin else [ontology_dir() / "rules.ttl"]
        for path in shipped:
            h.update(path.name.encode() + path.read_bytes())
        for name, data in self.vocab:
            h.update(name.encode() + data)
        if self.use_model:
            for name, data in self.model or read_model(model_dir()):
                h.update(name.encode() + data)
        return h.hexdigest()


def extractor_for(spec: ExtractorSpec) -> Extractor:
    """This process's extractor for `spec`, built on first use."""
    key = spec.fingerprint
    if key not in _EXTRACTORS:
        with tempfile.TemporaryDirectory(prefix="kg-vocab-") as tmp:
            files = []
            for name, data in spec.vocab:
                files.append(Path(tmp) / name)
                files[-1].write_bytes(data)
            model = (write_model(spec.model, Path(tmp) / "model") if spec.model else model_dir()) if spec.use_model else None
            _EXTRACTORS[key] = Extractor(files, builtin=spec.builtin, model=model)
    return _EXTRACTORS[key]


def read_model(path: Path) -> tuple[tuple[str, bytes], ...]:
    """A trained model directory's files, so a worker anywhere can load the same model."""
    if not (path / "config.cfg").is_file():
        where = "the shipped recognizer" if path == model_dir() else str(path)
        raise KgError(f"{where}: not a trained model directory (no config.cfg); `kg train` makes one")
    return tuple((p.relative_to(path).as_posix(), p.read_bytes()) for p in sorted(path.rglob("*")) if p.is_file())


def write_model(files: tuple[tuple[str, bytes], ...], dest: Path) -> Path:
    for name, data in files:
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / name).write_bytes(data)
    return dest


def extract_batch(texts: list[tuple[str, str]], spec: ExtractorSpec) -> list[Packed]:
    """Packed results for (title, abstract) pairs: the unit of work sent to a worker."""
    extractor = extractor_for(spec)
    papers = (Paper(title=title, abstract=abstract) for title, abstract in texts)
    return [pack(found, extractor.vocabulary.concepts) for _, found in extractor.extract(papers)]


@dataclass
class Counts:
    """How many papers a build extracted and how many it took from the cache."""

    extracted: int = 0
    cached: int = 0


def extract_corpus(papers: Sequence[Paper], spec: ExtractorSpec, jobs: int = 1, scheduler: str | None = None,
                   cache: MentionCache | None = None, progress: Progress | None = None,
                   counts: Counts | None = None) -> Iterator[Packed]:
    """Packed results for every paper, in order: cached ones read, the rest extracted."""
    fingerprint = spec.fingerprint
    keys = [paper_key(fingerprint, p.text) for p in papers]
    cached = cache.get_many(keys) if cache else {}
    todo = [i for i, key in enumerate(keys) if key not in cached]
    if counts is not None:
        counts.extracted, counts.cached = len(todo), len(papers) - len(todo)
    batches = [todo[i:i + BATCH] for i in range(0, len(todo), BATCH)]
    texts = ([(papers[i].title, papers[i].abstract) for i in batch] for batch in batches)
    fresh: dict[int, Packed] = {}
    done = len(papers) - len(todo)
    for batch, results in zip(batches, run_batches(extract_batch, texts, spec, jobs, scheduler)):
        fresh.update(zip(batch, results))
        if cache:
            cache.put_many((keys[i], r) for i, r in zip(batch, results))
        done += len(batch)
        if progress:
            progress(done, len(papers))
    for i, key in enumerate(keys):
        yield cached.pop(key) if key in cached else fresh.pop(i)  # hand each over: no second copy kept


def run_batches(func: Callable[[list, ExtractorSpec], list], batches: Iterable[list], spec: ExtractorSpec,
                jobs: int = 1, scheduler: str | None = None) -> Iterator[list]:
    """`func(batch, spec)` per batch, results in order: here, in a process pool, or on a
    Dask cluster. `func` must be a module-level function (it is pickled by name)."""
    if scheduler:
        from .distributed import run_on_dask
        yield from run_on_dask(func, batches, spec, scheduler)
        return
    extractor_for(spec)  # forked workers inherit it instead of building their own
    with frozen_heap():  # the corpus and the pipeline are not walked by collections, here or in workers
        if jobs <= 1:
            for batch in batches:
                yield func(batch, spec)
        else:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            with ProcessPoolExecutor(jobs, mp_context=context) as pool:
                yield from pool.map(func, batches, repeat(spec), chunksize=1)


def check_jobs(jobs: int) -> int:
    if jobs < 1:
        raise KgError(f"--jobs must be at least 1 (got {jobs})")
    return jobs

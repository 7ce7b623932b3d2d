"""Annotated papers for training and scoring the recognizer.

Two shapes of annotation are read (`read_gold`):
- the guideline format (`GUIDELINES.md`): one paper per line, `{"title", "method": [...],
  "dataset": [...], "modality": [...], "brain_region": [...]}`, each concept a string of
  surface forms joined by "|". The text comes from the line (`abstract`, or `text`), from
  the papers given as texts (joined by `id`, else by title), or from a span-annotated file
  (joined by `id`).
- span-annotated corpora: `{"id", "text", "entities": [{"start", "end", "label"}]}`, labels
  mapped to our types (`BrainRegion` -> brain_region); WhiteText is of this shape.

Paper-level forms are projected onto the text: every whole-word occurrence of a form
becomes a span, the longest winning where two overlap. A type the source did not annotate
(WhiteText names brain regions only) is not taught as absent: the places where its known
forms occur are marked missing, so the model learns nothing either way there.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..model import CONCEPT_TYPES, Paper

LABELS = {"brainregion": "brain_region", "brain_region": "brain_region", "method": "method",
          "dataset": "dataset", "material": "dataset", "modality": "modality"}
Span = tuple[int, int, str]


@dataclass
class GoldDoc:
    """One annotated paper: its text, its spans, and the paper-level concepts to score."""

    key: str  # id or normalised title: what folds are drawn by
    source: str  # the file it came from (its stem): scores are reported per source
    title: str
    abstract: str
    spans: list[Span] = field(default_factory=list)  # offsets into `text`
    concepts: dict[str, list[str]] = field(default_factory=dict)  # type -> ["form|form", ...]
    types: frozenset[str] = frozenset(CONCEPT_TYPES)  # the types this source annotated
    missing: list[tuple[int, int]] = field(default_factory=list)  # ranges whose labels are unknown
    ours: bool = True  # annotated by our guidelines; a third-party corpus's spans follow its own
    annotated_in: dict[str, str] = field(default_factory=dict)  # type -> the file (stem) that annotated it

    def by_guidelines(self, ctype: str) -> bool:
        """Whether `ctype` was annotated by our guidelines here: WhiteText's regions follow its
        own ("left dorsal part of the X"), the modalities a guideline file adds to it ours."""
        return self.ours or ctype in self.annotated_in

    def annotated_by(self, ctype: str) -> str:
        """The file whose annotations of `ctype` this paper is scored against: WhiteText's
        regions and another file's modalities of the same abstract are reported apart."""
        return self.annotated_in.get(ctype, self.source)

    @property
    def text(self) -> str:
        return self.paper.text

    @property
    def paper(self) -> Paper:
        return Paper(title=self.title, abstract=self.abstract, id=self.key)


def title_key(title: str) -> str:
    """The scorer's title key (`score_mentions.key`): papers are joined on it."""
    return re.sub(r"\W+", " ", title.lower()).strip()


def read_gold(paths: Iterable[str | Path], texts: Iterable[Paper] = ()) -> list[GoldDoc]:
    """Every annotated paper of `paths`, in file order; guideline lines are joined to the
    span-annotated docs of the other files by `id`, or to `texts` by `id` or title."""
    paths = [Path(p) for p in paths]
    rows = {path: list(_lines(path)) for path in paths}
    texts = list(texts)
    by_title = {title_key(p.title): p for p in texts}
    papers_by_id = {str(p.id): p for p in texts if p.id}
    by_id: dict[str, GoldDoc] = {}
    docs: list[GoldDoc] = []
    for path, lines in rows.items():
        if lines and "entities" in lines[0][1]:
            for line, row in lines:
                doc = _span_doc(path, line, row)
                by_id[doc.key] = doc
                docs.append(doc)
    for path, lines in rows.items():
        if lines and "entities" not in lines[0][1]:
            for line, row in lines:
                doc = _concept_doc(path, line, row, by_id, by_title, papers_by_id)
                if doc is not None and doc.key not in by_id:
                    docs.append(doc)
    mark_unannotated(docs)
    return docs


def _lines(path: Path) -> Iterator[tuple[int, dict]]:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as e:
        raise InputError(path, f"cannot read ({e.strerror})") from e
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(path, line=number, message=f"malformed JSON ({e.msg} at column {e.colno})") from e
            if not isinstance(row, dict):
                raise InputError(path, line=number, message="expected a JSON object per line")
            yield number, row


def _span_doc(path: Path, line: int, row: dict) -> GoldDoc:
    text = row.get("text")
    if not isinstance(text, str):
        raise InputError(path, line=line, message='a span-annotated line needs "text"')
    spans = []
    for e in row.get("entities", []):
        label = LABELS.get(str(e.get("label", "")).lower())
        if label is not None:
            spans.append((int(e["start"]), int(e["end"]), label))
    types = frozenset(s[2] for s in spans) or frozenset({"brain_region"})
    concepts: dict[str, list[str]] = {t: [] for t in types}
    for start, end, label in spans:
        if text[start:end] not in concepts[label]:
            concepts[label].append(text[start:end])
    spans += _short_forms(text, spans)
    title, abstract, shift = split_title(text)
    spans = [(shift(a), shift(b), t) for a, b, t in spans]
    return GoldDoc(key=str(row.get("id", line)), source=path.stem, title=title, abstract=abstract,
                   spans=_longest_first(spans), concepts=concepts, types=types, ours=False)


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9(\"'])")


def split_title(text: str):
    """A text with no title of its own: the first sentence is the title (as
    `score_external.py prepare` makes papers of a corpus). Returns title, abstract and the
    map from offsets in `text` to offsets in `Paper.text`."""
    m = _SENTENCE_END.search(text)
    if m is None:
        return text, "", lambda i: i
    delta = 2 - (m.end() - m.start())  # Paper.text joins title and abstract with two newlines
    return text[:m.start()], text[m.end():], lambda i: i if i <= m.start() else i + delta


def _short_forms(text: str, spans: list[Span]) -> list[Span]:
    """Occurrences of a short form defined right after an annotated span, "subthalamic
    nucleus (STh)": WhiteText annotates only the long form, our guidelines both."""
    out = []
    for start, end, label in spans:
        m = _DEFINED.match(text, end)
        if m and any(c.isupper() for c in m.group(1)):
            out.extend((s, e, label) for s, e in _occurrences(text, m.group(1), 0))
    return out


_DEFINED = re.compile(r"\s?\(([^()\s]{1,10})\)")


def _concept_doc(path: Path, line: int, row: dict, by_id: dict[str, GoldDoc],
                 by_title: dict[str, Paper], papers_by_id: dict[str, Paper]) -> GoldDoc | None:
    concepts = {t: [c for c in row.get(t, []) if isinstance(c, str) and c.strip()] for t in CONCEPT_TYPES if t in row}
    if "id" in row and str(row["id"]) in by_id:  # more types for a span-annotated doc
        doc = by_id[str(row["id"])]
        for t, found in concepts.items():
            doc.concepts[t] = found
            doc.annotated_in[t] = path.stem
        doc.types = doc.types | frozenset(concepts)
        doc.spans = _longest_first(doc.spans + project(doc.text, {t: c for t, c in concepts.items()}))
        return doc
    paper = papers_by_id.get(str(row["id"])) if "id" in row else None
    if paper is not None:  # a paper of --texts, by id: the annotations need not copy its title
        key, title, abstract = str(row["id"]), paper.title, paper.abstract
    else:
        title, abstract = _titled_text(path, line, row, by_title)
        key = title_key(title)
    doc = GoldDoc(key=key, source=path.stem, title=title, abstract=abstract,
                  concepts=concepts, types=frozenset(concepts))
    doc.spans = project(doc.text, concepts)
    return doc


def _titled_text(path: Path, line: int, row: dict, by_title: dict[str, Paper]) -> tuple[str, str]:
    """The title and abstract of a guideline line: its own, or a paper of --texts by title."""
    title = row.get("title")
    if not isinstance(title, str) or not title.strip():
        raise InputError(path, line=line, message='a line needs "title" (or the "id" of a span-annotated doc '
                                                  'or of a paper of --texts)')
    abstract = row.get("abstract") or row.get("text")
    if isinstance(abstract, str):
        return title, abstract
    paper = by_title.get(title_key(title))
    if paper is None:
        raise InputError(path, line=line, message=f"no text for {title[:60]!r}: give the papers with --texts, "
                                          'or an "abstract" on the line')
    return paper.title, paper.abstract


def project(text: str, concepts: dict[str, list[str]]) -> list[Span]:
    """Spans of every whole-word occurrence of every surface form, longest first where
    two overlap. A form not found as written is looked for without regard to case."""
    found: list[Span] = []
    for ctype, entries in concepts.items():
        for entry in entries:
            for form in {f.strip() for f in entry.split("|") if f.strip()}:
                hits = _occurrences(text, form, 0) or _occurrences(text, form, re.I)
                found.extend((s, e, ctype) for s, e in hits)
    return _longest_first(found)


def _occurrences(text: str, form: str, flags: int) -> list[tuple[int, int]]:
    pattern = (r"(?<!\w)" if form[0].isalnum() else "") + re.escape(form) + (r"(?!\w)" if form[-1].isalnum() else "")
    return [m.span() for m in re.finditer(pattern, text, flags)]


def _longest_first(spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans, longer ones first; ties go to the earlier, then the type's order."""
    order = {t: i for i, t in enumerate(CONCEPT_TYPES)}
    taken: list[Span] = []
    for span in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0], order[s[2]])):
        if all(span[1] <= t[0] or t[1] <= span[0] for t in taken):
            taken.append(span)
    return sorted(taken)


def mark_unannotated(docs: list[GoldDoc]) -> None:
    """Where a doc's source did not annotate a type, mark the occurrences of that type's
    forms (as annotated anywhere in `docs`) missing rather than absent."""
    lexicon: dict[str, set[str]] = {t: set() for t in CONCEPT_TYPES}
    for doc in docs:
        for start, end, ctype in doc.spans:
            lexicon[ctype].add(doc.text[start:end].lower())
    patterns = {t: _lexicon_pattern(forms) for t, forms in lexicon.items() if forms}
    for doc in docs:
        lower = doc.text.lower()
        doc.missing = sorted({m.span() for t in CONCEPT_TYPES if t not in doc.types and t in patterns
                              for m in patterns[t].finditer(lower)})


def _lexicon_pattern(forms: set[str]) -> re.Pattern:
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f)))
    return re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)")

"""The records that flow between stages: papers in, mentions and concepts out.

Readers yield `Paper`; extraction gives each paper a list of `ConceptMentions`; linking and the
graph builder read those. Plain dataclasses so every stage can be tested alone.
"""
from __future__ import annotations

from dataclasses import dataclass, field

CONCEPT_TYPES: tuple[str, ...] = ("method", "dataset", "modality", "brain_region")


@dataclass
class Paper:
    """One paper as read from one source record."""

    title: str
    abstract: str = ""
    id: str | None = None
    other_ids: list[str] = field(default_factory=list)  # ids of the same paper in other sources (merged records)
    doi: str | None = None
    arxiv: str | None = None
    pmid: str | None = None
    url: str | None = None
    year: int | None = None
    venue: str | None = None
    authors: list[str] = field(default_factory=list)
    # Each author's identifiers ("orcid:...", "openalex:A...", "s2:..."), parallel to
    # `authors`; empty when the record gave none (graph.coauthors says who is one person).
    author_ids: list[list[str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # DOIs, arXiv ids, OpenAlex ids or titles

    @property
    def text(self) -> str:
        """Title and abstract as the extractor sees them (see `abstract_offset`)."""
        return f"{self.title}\n\n{self.abstract}" if self.abstract else self.title

    @property
    def abstract_offset(self) -> int:
        """Where the abstract starts in `text`."""
        return len(self.title) + 2


@dataclass(frozen=True)
class Mention:
    """One span of text that denotes a concept, with the evidence to trace it."""

    text: str
    field: str  # "title" | "abstract"
    start: int  # offset into that field
    end: int
    sentence: str
    rule: str  # e.g. "vocab:methods.ttl", "abbreviation", "new-name:title"
    sentence_start: int = 0  # offset of the sentence in the same field
    confidence: float | None = None  # measured precision of mentions of this kind (extraction/confidence.py)


@dataclass
class Concept:
    """A concept as known to the graph: vocabulary entry or a name found in a paper."""

    iri: str
    type: str
    label: str
    alt_labels: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    source: str = "vocabulary"  # or "paper" for names a paper introduces


@dataclass
class ConceptMentions:
    """All mentions of one concept in one paper."""

    concept: Concept
    mentions: list[Mention] = field(default_factory=list)
    proposed: bool = False  # the paper introduces this concept

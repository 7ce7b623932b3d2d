"""Reading SKOS vocabularies into the terms the matcher compiles.

A vocabulary is data (Turtle under `ontology/vocab/`, or a user's `--vocab FILE.ttl`);
this module turns it into `Concept` records and `Term`s: one surface form each, with
whether it is matched case-sensitively and which context words it needs.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.plugins.parsers.notation3 import BadSyntax

from ..errors import InputError
from ..linking.iris import concept_iri
from ..model import Concept
from ..namespaces import KG
from ..resources import ontology_dir
from .identity import split_versions

CLASS_TYPES: dict[URIRef, str] = {
    KG.Method: "method", KG.Dataset: "dataset", KG.Modality: "modality", KG.BrainRegion: "brain_region",
}
VERSIONED = frozenset({"method", "dataset"})  # types whose names carry versions ("GPT-4", "OC22")
_INNER_CAPS = re.compile(r"[A-Z].*[A-Z]|[A-Z]\d|\d[A-Z]")


@dataclass(frozen=True)
class Term:
    """One surface form of a concept, as the matcher sees it."""

    text: str
    iri: str
    case_sensitive: bool
    context: frozenset[str] = frozenset()  # empty: matched anywhere


@dataclass
class Vocabulary:
    """Concepts and their terms, from one or more SKOS files."""

    concepts: dict[str, Concept] = field(default_factory=dict)
    terms: list[Term] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # concept IRI -> file name
    # concept IRI -> lower-case phrases inside which its labels are no mention of it
    # ("significant attention", "part-of-speech"): kg:notWithin
    not_within: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def add(self, other: "Vocabulary") -> None:
        self.concepts.update(other.concepts)
        self.terms.extend(other.terms)
        self.not_within.update(other.not_within)
        self.files.extend(other.files)
        self.sources.update(other.sources)


def builtin_vocab_files() -> list[Path]:
    """The vocabularies shipped with the package, in a stable order."""
    return sorted((ontology_dir() / "vocab").glob("*.ttl"))


def is_case_sensitive(label: str) -> bool:
    """Acronyms and names with inner capitals ("IT", "V1", "ResNet") match exactly.

    Ambiguous labels written with a capital ("Whisper", "Replica") also match exactly
    (decided where context terms are known, in `_concept`): the lower-case word is the
    ordinary one.
    """
    return bool(_INNER_CAPS.search(label))


def own_forms(label: str) -> frozenset[str]:
    """The lower-case forms of a label that its context words must not include: the
    label itself, with a plural ending and without one."""
    low = label.lower()
    forms = {low, low + "s", low + "es"}
    if low.endswith("s"):
        forms.add(low[:-1])
    if low.endswith("es"):
        forms.add(low[:-2])
    return frozenset(forms)


def load_vocabulary(paths: Iterable[Path] | None = None, builtin: bool = True) -> Vocabulary:
    """Load the built-in vocabularies (unless `builtin` is false) plus any extra files."""
    vocab = Vocabulary()
    for path in [*(builtin_vocab_files() if builtin else []), *(paths or [])]:
        vocab.add(read_skos(Path(path)))
    return vocab


def read_skos(path: Path) -> Vocabulary:
    """Read one SKOS Turtle file; typed concepts (kg:Method, ...) become terms."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except (BadSyntax, UnicodeDecodeError, ValueError) as e:
        raise InputError(path, f"not a readable Turtle vocabulary ({str(e).splitlines()[0][:200]})") from None
    except FileNotFoundError:
        raise InputError(path, "no such vocabulary file") from None
    vocab = Vocabulary(files=[path.name])
    versions = []
    for cls, ctype in CLASS_TYPES.items():
        for node in sorted(set(graph.subjects(RDF.type, cls))):
            (concept, terms), *more = _versions(*_concept(graph, node, ctype, path))
            if phrases := sorted(str(o).lower() for o in graph.objects(node, KG.notWithin)):
                vocab.not_within[concept.iri] = tuple(phrases)
            vocab.concepts[concept.iri] = concept
            vocab.terms.extend(terms)
            versions += more
    for concept, terms in versions:  # after the file's own concepts, which win an IRI
        vocab.concepts.setdefault(concept.iri, concept)
        vocab.terms.extend(terms)
    vocab.sources.update((iri, path.name) for iri in vocab.concepts)
    return vocab


def _versions(concept: Concept, terms: list[Term]) -> list[tuple[Concept, list[Term]]]:
    """A model or dataset whose labels name several versions ("OC20", "OC22") becomes one
    concept per version, each under the concept (`identity.split_versions`); the concept
    keeps its preferred label's version and the labels that name none. A version whose IRI
    another concept of the file has joins that concept."""
    if concept.type not in VERSIONED or not terms:
        return [(concept, terms)]
    groups = split_versions(concept.label, [t.text for t in terms if t.text != concept.label], concept.type)
    if len(groups) == 1:
        return [(concept, terms)]
    by_text = {t.text: t for t in terms}
    home = set(groups[0])
    out = [(replace(concept, alt_labels=tuple(a for a in concept.alt_labels if a in home)),
            [t for t in terms if t.text in home])]
    for group in groups[1:]:
        label = max(group, key=lambda g: (len(g), g))
        iri = concept_iri(concept.type, label)
        version = Concept(iri=iri, type=concept.type, label=label, alt_labels=tuple(sorted(set(group) - {label})),
                          broader=(concept.iri,))
        out.append((version, [replace(by_text[g], iri=iri) for g in group]))
    return out


def _concept(graph: Graph, node: URIRef, ctype: str, path: Path) -> tuple[Concept, list[Term]]:
    prefs = sorted(str(o) for o in graph.objects(node, SKOS.prefLabel))
    if not prefs:
        raise InputError(path, f"concept {node} has no skos:prefLabel")
    alts = sorted(str(o) for o in graph.objects(node, SKOS.altLabel))
    hidden = sorted(str(o) for o in graph.objects(node, SKOS.hiddenLabel))
    context = frozenset(str(o).lower() for o in graph.objects(node, KG.contextTerm))
    gated = {str(o) for o in graph.objects(node, KG.ambiguousLabel)}
    concept = Concept(
        iri=str(node), type=ctype, label=prefs[0], alt_labels=tuple(alts),
        broader=tuple(sorted(str(o) for o in graph.objects(node, SKOS.broader))),
    )
    terms = []
    if (node, KG.generic, Literal(True)) in graph:  # a grouping concept: kept for the hierarchy only
        return concept, terms
    for label in dict.fromkeys([prefs[0], *alts, *hidden, *gated]):
        needs = context if (not gated or label in gated) else frozenset()
        if needs:  # a label repeated is not its own context ("programs ... programs")
            needs = needs - own_forms(label)
            if not needs:
                continue
        exact = is_case_sensitive(label) or bool(needs and label[:1].isupper())
        terms.append(Term(label, concept.iri, exact, needs))
    return concept, terms

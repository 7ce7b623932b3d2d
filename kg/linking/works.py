"""Works named in abstracts: links from a paper to the papers whose methods it names.

A paper that proposes a method or dataset ("LILO: ...", "we introduce CoreInfer") owns
that name in the corpus. Other papers that name it get a `mentionsWorkOf` edge to the
proposing paper, with their mentions as evidence. This is inferred from text and kept
apart from citations (`cites`), which come only from reference lists.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx
import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher

from ..model import Concept, ConceptMentions, Paper
from ..extraction.names import looks_like_name
from ..extraction.pipeline import mention_of
from ..extraction.rules import load_rules

MAX_PROPOSERS = 3  # a name "proposed" by more papers than this is no one paper's work
RULE = "corpus-name"
_WORD = re.compile(r"\w+")


def corpus_names(results: list[tuple[Paper, list[ConceptMentions]]]) -> dict[str, Concept]:
    """Concepts that papers of the corpus introduce, no vocabulary knows, and whose label
    reads as a name ("LILO", not "Brain"), so finding it elsewhere means that work."""
    rules = load_rules()
    return {cm.concept.iri: cm.concept for _, found in results for cm in found
            if cm.proposed and cm.concept.source == "paper" and looks_like_name(cm.concept.label, rules)}


def add_corpus_name_mentions(nlp: Language, results: list[tuple[Paper, list[ConceptMentions]]]) -> None:
    """Find the corpus's own names in every paper, not only where a cue introduced them."""
    names = corpus_names(results)
    if not names:
        return
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    rules = load_rules()
    tokenizer = spacy.blank("en", vocab=nlp.vocab).tokenizer  # see VocabMatcher.add_vocabulary
    for iri, concept in sorted(names.items()):
        matcher.add(iri, list(tokenizer.pipe(forms_of({iri: concept}, rules))))
    first_words = {m.group() for f in forms_of(names, rules) if (m := _WORD.search(f))}
    texts = ((paper.text, (paper, found)) for paper, found in results if _may_name(paper.text, first_words))
    with nlp.select_pipes(enable=["kg_sentences"]):
        for doc, (paper, found) in nlp.pipe(texts, as_tuples=True):
            have = {cm.concept.iri for cm in found}
            new: dict[str, ConceptMentions] = {}
            for key, start, end in matcher(doc):
                iri = nlp.vocab.strings[key]
                if iri in have:
                    continue
                cm = new.setdefault(iri, ConceptMentions(names[iri]))
                cm.mentions.append(mention_of(doc[start:end], paper, RULE))
            found.extend(new[iri] for iri in sorted(new))


def forms_of(names: dict[str, Concept], rules) -> list[str]:
    """The labels of these concepts that read as names."""
    return [f for c in names.values() for f in (c.label, *c.alt_labels) if looks_like_name(f, rules)]


def _may_name(text: str, first_words: set[str]) -> bool:
    """A cheap test before tokenizing: does the first word of any name occur in the text?
    (A name the matcher finds always starts with a whole \\w+ word of the text.)"""
    return not first_words.isdisjoint(_WORD.findall(text))


def link_work_mentions(graph: nx.MultiDiGraph) -> None:
    """Add `mentionsWorkOf` edges from papers naming a concept to the papers proposing it."""
    proposers: dict[str, list[str]] = defaultdict(list)
    for paper, concept, key, data in graph.edges(keys=True, data=True):
        if key == "mentions" and data["proposed"]:
            proposers[concept].append(paper)
    for concept, owners in sorted(proposers.items()):
        if len(owners) > MAX_PROPOSERS:
            continue
        for paper, _, key, data in list(graph.in_edges(concept, keys=True, data=True)):
            if key != "mentions" or paper in owners:
                continue
            for owner in owners:
                _add_work_edge(graph, paper, owner, concept, data["mentions"])


def _add_work_edge(graph: nx.MultiDiGraph, paper: str, owner: str, concept: str, mentions: Iterable) -> None:
    if graph.has_edge(paper, owner, key="mentionsWorkOf"):
        data = graph.edges[paper, owner, "mentionsWorkOf"]
    else:
        graph.add_edge(paper, owner, key="mentionsWorkOf", kind="mentionsWorkOf", concepts=[], mentions=[])
        data = graph.edges[paper, owner, "mentionsWorkOf"]
    data["concepts"].append(concept)
    data["mentions"].extend(mentions)

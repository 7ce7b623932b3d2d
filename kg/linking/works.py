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
from dataclasses import replace

import networkx as nx
from spacy.matcher import PhraseMatcher

from ..extraction.cache import MentionCache, paper_key
from ..extraction.confidence import context_of
from ..extraction.packing import mention_from, mention_tuple
from ..extraction.runner import BATCH, ExtractorSpec, extractor_for, run_batches
from ..model import Concept, ConceptMentions, Paper
from ..extraction.names import looks_like_name
from ..extraction.pipeline import mention_of
from ..extraction.rules import load_rules

MAX_PROPOSERS = 3  # a name "proposed" by more papers than this is no one paper's work
RULE = "corpus-name"
_WORD = re.compile(r"\w+")  # a name the matcher finds starts with a whole \w+ word of the text


def corpus_names(results: list[tuple[Paper, list[ConceptMentions]]]) -> dict[str, Concept]:
    """Concepts that papers of the corpus introduce, no vocabulary knows, and whose label
    reads as a name ("LILO", not "Brain"), so finding it elsewhere means that work."""
    rules = load_rules()
    return {cm.concept.iri: cm.concept for _, found in results for cm in found
            if cm.proposed and cm.concept.source == "paper" and looks_like_name(cm.concept.label, rules)}


def add_corpus_name_mentions(results: list[tuple[Paper, list[ConceptMentions]]], spec: ExtractorSpec,
                             jobs: int = 1, scheduler: str | None = None, cache: MentionCache | None = None) -> None:
    """Find the corpus's own names in every paper, not only where a cue introduced them.

    Only papers holding the first word of a name they do not mention yet are tokenized, in
    batches like extraction (`jobs`, `scheduler`); the answer for a paper depends on its
    text and those names alone, so it is cached under both and a rebuild redoes only
    papers that are new or gained a name to look for."""
    names = corpus_names(results)
    if not names:
        return
    rules = load_rules()
    forms = {iri: forms_of({iri: concept}, rules) for iri, concept in sorted(names.items())}
    by_word: dict[str, set[str]] = defaultdict(set)
    for iri, labels in forms.items():
        for label in labels:
            if m := _WORD.search(label):
                by_word[m.group()].add(iri)
    todo = []  # (result index, the names to look for in it)
    for k, (paper, found) in enumerate(results):
        have = {cm.concept.iri for cm in found}
        wanted = sorted({iri for w in by_word.keys() & set(_WORD.findall(paper.text)) for iri in by_word[w]} - have)
        if wanted:
            todo.append((k, [(iri, forms[iri]) for iri in wanted]))
    prefix = spec.fingerprint + "/corpus-names"
    keys = [paper_key(prefix, results[k][0].text + "\0" + repr(wanted)) for k, wanted in todo]
    cached = cache.get_many(keys) if cache else {}
    missing = [(key, k, wanted) for key, (k, wanted) in zip(keys, todo) if key not in cached]
    batches = [missing[i:i + BATCH] for i in range(0, len(missing), BATCH)]
    items = ([(results[k][0].title, results[k][0].abstract, wanted) for _, k, wanted in b] for b in batches)
    for batch, found in zip(batches, run_batches(name_mentions_batch, items, spec, jobs, scheduler)):
        cached.update((key, f) for (key, _, _), f in zip(batch, found))
        if cache:
            cache.put_many((key, f) for (key, _, _), f in zip(batch, found))
    confidence = extractor_for(spec).confidence
    for key, (k, _) in zip(keys, todo):
        context = context_of(results[k][0].text.lower())
        results[k][1].extend(ConceptMentions(names[iri], [replace(mention_from(m), confidence=confidence(names[iri].type, RULE, context))
                                                         for m in mentions]) for iri, mentions in cached[key])


def name_mentions_batch(items: list[tuple[str, str, list[tuple[str, list[str]]]]], spec: ExtractorSpec) -> list:
    """Per (title, abstract, [(name IRI, its forms)]): [(IRI, mention tuples)] in IRI order."""
    extractor = extractor_for(spec)
    nlp, tokenizer = extractor.nlp, extractor.form_tokenizer
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    for iri, labels in sorted({iri: labels for *_, wanted in items for iri, labels in wanted}.items()):
        matcher.add(iri, list(tokenizer.pipe(labels)))
    papers = [Paper(title=title, abstract=abstract) for title, abstract, _ in items]
    out = []
    with nlp.select_pipes(enable=["kg_sentences"]):
        for doc, paper, (*_, wanted) in zip(nlp.pipe(p.text for p in papers), papers, items):
            allowed = {iri for iri, _ in wanted}
            new: dict[str, list[tuple]] = {}
            for key, start, end in matcher(doc):
                iri = nlp.vocab.strings[key]
                if iri in allowed:
                    new.setdefault(iri, []).append(mention_tuple(mention_of(doc[start:end], paper, RULE)))
            doc.user_data.clear()  # see `Extractor.extract`
            out.append(sorted(new.items()))
    return out


def forms_of(names: dict[str, Concept], rules) -> list[str]:
    """The labels of these concepts that read as names."""
    return [f for c in names.values() for f in (c.label, *c.alt_labels) if looks_like_name(f, rules)]


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

"""Merging papers read from several sources into one record per paper.

Records join by evidence, strongest first: a shared DOI, arXiv id or PMID (an arXiv DOI
counts as its arXiv id), then an identical match title (`normalise_match_title`: LaTeX,
HTML, version markers and punctuation ignored), then a near-identical one (`fuzz.ratio` of
at least 95). Joining is transitive (union-find), so a record with a DOI, its arXiv copy and
a title-only citation of it become one paper.

Identifiers always join: two records with one DOI are one paper whatever their titles.
Titles are weaker evidence, so a title never joins groups that carry conflicting ids of one
kind (two DOIs, two arXiv ids or two PMIDs, none shared): "Attention" with DOI A and
"Attention" with DOI B stay two papers. Ids of different kinds never conflict, because a
preprint with an arXiv id and its journal version with a DOI are the same paper. A record
without ids whose title matches several such conflicting groups joins none of them: which
one it is would be a guess, and a wrong merge (one node, two papers' metadata) is worse than
a duplicate node.

Fuzzy matching is held back further: both titles need four words and 25 characters (so
"Introduction" never fuzzy-matches; identical titles join at any length, as they always
did, unless their ids conflict), and the words that differ must be spellings of one word
("modelling" / "modeling", a typo, "pre training" / "pretraining") or small words like "a"
and "the": never a number, roman numeral, negation or affix ("Part I" / "Part II", "1D" /
"2D", "supervised" / "unsupervised"), which a character ratio alone lets through.
Candidates come from blocks (titles sharing their first three words, last three words or
two rarest words), never from all pairs, so 100k records merge in seconds; a pair that
shares no block is never compared.

`merge_papers(records, report)` fills `report` with a `Merge` per paper made from several
records (its sources and the rule of each join); `merge_summary` makes it one line.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace


from ..model import Paper
from .titles import fuzzy_eligible, similar_titles
from .iris import (normalise_arxiv, normalise_arxiv_doi, normalise_doi, normalise_match_title, normalise_pmid, person_iri,
                   normalise_title, paper_iri)

ID_KINDS = ("doi", "arxiv", "pmid")
RULES = (*ID_KINDS, "title", "fuzzy-title")

_RANK = {"doi": 0, "arxiv": 1, "pmid": 2, "title": 3}
_KIND_BIT = {"doi": 1, "arxiv": 2, "pmid": 4}
_MARKUP = re.compile(r"[\\{}$<>]|&[a-z]+;|&#\d+;")
_VERSION_MARK = re.compile(r"[\s(\[,\-]*\b(?:v|version)\s?\d+[)\]]?\s*$", re.I)
_PREPRINT = re.compile(r"arxiv|biorxiv|medrxiv|preprint|ssrn|research square|\bcorr\b", re.I)
_HTML_TAG = re.compile(r"<[^<>]+>")


@dataclass(frozen=True)
class Merge:
    """One paper made from several records: where they came from and what joined them."""

    iri: str
    sources: tuple[str, ...]
    rules: tuple[str, ...]  # one per join: "doi", "arxiv", "pmid", "title" or "fuzzy-title:97.3"

    @property
    def records(self) -> int:
        return len(self.rules) + 1


def paper_keys(paper: Paper) -> list[str]:
    """Every key that identifies this record, best first; citations resolve by these too."""
    doi = normalise_doi(paper.doi) if paper.doi else ""
    keys = ["doi:" + doi] if doi else []
    arxiv = {normalise_arxiv_doi(doi) if doi else None, normalise_arxiv(paper.arxiv) if paper.arxiv else None}
    keys += ["arxiv:" + a for a in sorted(a for a in arxiv if a)]
    if paper.pmid and (pmid := normalise_pmid(paper.pmid)):
        keys.append("pmid:" + pmid)
    if title := normalise_title(paper.title):
        keys.append("title:" + title)
    return keys


def id_keys(keys: list[str]) -> list[str]:
    """The strong ids among a record's keys; an arXiv DOI names the preprint, so its arXiv key stands in."""
    return [k for k in keys
            if k.partition(":")[0] in _KIND_BIT and not (k.startswith("doi:") and normalise_arxiv_doi(k[4:]))]


def merge_papers(papers: Iterable[Paper], report: list[Merge] | None = None) -> list[tuple[str, Paper]]:
    """(IRI, merged paper) per distinct paper, in order of first appearance.

    Pass a list as `report` to get a `Merge` for every paper made from more than one record.
    """
    records = list(papers)
    keys = [paper_keys(p) for p in records]
    groups = group_records([id_keys(k) for k in keys], [normalise_match_title(p.title) for p in records])
    members: dict[int, list[int]] = {}
    for i in range(len(records)):
        members.setdefault(groups.find(i), []).append(i)
    merged = []
    for root, indices in members.items():
        iri, paper = merge_group([records[i] for i in indices], [k for i in indices for k in keys[i]])
        merged.append((iri, paper))
        if report is not None and len(indices) > 1:
            sources = dict.fromkeys(s for i in indices for s in records[i].sources)
            report.append(Merge(iri, tuple(sources), tuple(groups.joins[root])))
    return merged


def merge_summary(report: Iterable[Merge]) -> str:
    """One line for the build summary; the counts are joins, one fewer than a paper's records."""
    report = list(report)
    if not report:
        return "no papers merged"
    counts = Counter(rule.split(":")[0] for merge in report for rule in merge.rules)
    rules = ", ".join(f"{rule.replace('-', ' ')} {counts[rule]}" for rule in RULES if counts[rule])
    return f"{len(report)} papers merged from {sum(m.records for m in report)} records ({rules})"


class Groups:
    """Union-find over record indices; a root knows the kinds of id its group has and its joins.

    No two groups share an id (ids join first), so two groups that both have an id of one
    kind have different ones: they conflict. Kinds are bits (doi 1, arxiv 2, pmid 4), so
    100k records cost no sets. A group's root is its first record, so groups come out in order
    of first appearance.
    """

    def __init__(self, kinds: list[int]) -> None:
        self.parent = list(range(len(kinds)))
        self.kinds = kinds
        self.joins: dict[int, list[str]] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def has_ids(self, i: int) -> bool:
        return self.kinds[self.find(i)] != 0

    def conflict(self, a: int, b: int) -> bool:
        """Both groups have an id of one kind (a DOI, an arXiv id or a PMID): two papers."""
        return self.kinds[self.find(a)] & self.kinds[self.find(b)] != 0

    def union(self, a: int, b: int, rule: str) -> int:
        """Join two groups, noting the rule; the root of the joined group."""
        a, b = sorted((self.find(a), self.find(b)))
        if a != b:
            self.parent[b] = a
            self.kinds[a] |= self.kinds[b]
            self.joins[a] = self.joins.get(a, []) + self.joins.pop(b, []) + [rule]
        return a


def group_records(ids: list[list[str]], titles: list[str]) -> Groups:
    """Join records (their id keys and match titles) by ids, then by exact, then by near-identical titles.

    Ids join DOIs first, then arXiv ids, then PMIDs, so a join is reported under the best id
    that the two records share.
    """
    groups = Groups([sum({_KIND_BIT[k.partition(":")[0]] for k in record}) for record in ids])
    for kind in ID_KINDS:
        first: dict[str, int] = {}
        for i, record in enumerate(ids):
            for key in record:
                if key.startswith(kind + ":"):
                    groups.union(first.setdefault(key, i), i, kind)
    by_title: dict[str, list[int]] = {}
    for i, title in enumerate(titles):
        if title:
            by_title.setdefault(title, []).append(i)
    for members in by_title.values():
        if len(members) > 1:
            join_by_title(groups, members, "title")
    distinct = [t for t in by_title if fuzzy_eligible(t)]
    for score, a, b in similar_titles(distinct):
        join_by_title(groups, by_title[distinct[a]] + by_title[distinct[b]], f"fuzzy-title:{score:.1f}")
    return groups


def join_by_title(groups: Groups, members: list[int], rule: str) -> None:
    """Join records whose titles say they are one paper, unless their ids say otherwise.

    Groups with ids join each other where they do not conflict (first come, first joined);
    groups without ids join the one group with ids left, or only each other when several
    conflicting ones are left (see the module docstring).
    """
    roots = list(dict.fromkeys(groups.find(i) for i in members))
    anchors: list[int] = []
    for root in (r for r in roots if groups.has_ids(r)):
        at = next((n for n, a in enumerate(anchors) if not groups.conflict(a, root)), None)
        if at is None:
            anchors.append(root)
        else:
            anchors[at] = groups.union(anchors[at], root, rule)
    target = anchors[0] if len(anchors) == 1 else None
    for root in (r for r in roots if not groups.has_ids(r)):
        target = root if target is None else groups.union(target, root, rule)


def merge_group(papers: list[Paper], keys: list[str]) -> tuple[str, Paper]:
    """(IRI, merged paper) of the records of one paper and their keys: the richest of each field.

    Title: the cleanest (no markup, version marker or full stop), then the longest. Abstract:
    the longest; authors: the longest list. DOI, venue, URL and year come from the published
    version first (a record with a journal DOI or a non-preprint venue), so they describe one
    version; without one the year is the earliest, when the paper first appeared. The IRI comes
    from the best key of any record (a journal DOI, an arXiv id, a PMID, then a title), so it
    does not depend on the order records were read in.
    """
    if len(papers) == 1:
        return _copy(papers[0], keys)
    flags = [is_published(p) for p in papers]
    # Versions of record first; among them an arXiv listing (with a journal reference) last.
    published = sorted((p for p, flag in zip(papers, flags) if flag), key=lambda p: bool(p.arxiv))
    by_version = published + [p for p, flag in zip(papers, flags) if not flag]
    ids = list(dict.fromkeys(p.id for p in papers if p.id))
    merged = Paper(
        title=min((p.title for p in papers), key=_title_noise),
        abstract=max((p.abstract for p in papers), key=lambda a: len(_HTML_TAG.sub("", a))),
        id=ids[0] if ids else None,
        other_ids=ids[1:],
        doi=_first(p.doi for p in by_version),
        arxiv=_first(p.arxiv for p in papers),
        pmid=_first(p.pmid for p in papers),
        url=_first(p.url for p in by_version),
        year=_vote(p.year for p in published) or min((p.year for p in papers if p.year), default=None),
        venue=_vote(p.venue for p in by_version),
        **_byline(papers),
        sources=sorted({s for p in papers for s in p.sources}),
        references=list(dict.fromkeys(r for p in papers for r in p.references)),
    )
    return paper_iri(min(keys, key=_key_rank) if keys else "title:" + merged.title.strip()), merged


def _byline(papers: list[Paper]) -> dict[str, list]:
    """The longest author list, each author with the identifiers any record gave an author
    of the same name (an OpenAlex record's ORCIDs onto a BibTeX record's names)."""
    richest = max(papers, key=lambda p: (len(p.authors), sum(map(len, p.authors))))
    known: dict[str, set[str]] = {}
    for p in papers:
        for name, ids in zip(p.authors, p.author_ids):
            known.setdefault(person_iri(name), set()).update(ids)
    ids = [sorted(known.get(person_iri(name), ())) for name in richest.authors]
    return {"authors": list(richest.authors), "author_ids": ids if any(ids) else []}


def _vote(values: Iterable) -> object:
    """The value most records give (sources agree on the year of the version of record;
    a stray preprint date or a journal reference with pages loses); ties go to the first."""
    counts = Counter(v for v in values if v)
    return max(counts, key=counts.__getitem__) if counts else None


def _copy(paper: Paper, keys: list[str]) -> tuple[str, Paper]:
    """A paper read once: (IRI, copy), as `merge_group` would make it, only faster."""
    copy = replace(paper, authors=list(paper.authors), author_ids=[list(ids) for ids in paper.author_ids], sources=sorted(set(paper.sources)),
                   references=list(dict.fromkeys(paper.references)))
    return paper_iri(keys[0] if keys else "title:" + paper.title.strip()), copy


def is_published(paper: Paper) -> bool:
    """The record describes a version of record: a DOI that is not arXiv's, or a journal venue."""
    doi = normalise_doi(paper.doi) if paper.doi else ""
    return bool(doi and not normalise_arxiv_doi(doi)) or bool(paper.venue and not _PREPRINT.search(paper.venue))


def _title_noise(title: str) -> tuple[int, int]:
    noise = 2 * bool(_MARKUP.search(title)) + bool(_VERSION_MARK.search(title))
    noise += title.rstrip().endswith(".") + (title.isupper() or title.islower())
    return noise, -len(title)


def _key_rank(key: str) -> tuple[int, bool, str]:
    """doi > arxiv > pmid > title; among DOIs a journal's before arXiv's, then by spelling."""
    kind, _, value = key.partition(":")
    return _RANK[kind], kind == "doi" and normalise_arxiv_doi(value) is not None, key


def _first(values):
    return next((v for v in values if v), None)

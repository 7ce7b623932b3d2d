"""Near-identical titles: which pairs of titles, among many, are one paper written twice.

Used by the paper merger (papers.py) after identifiers and exact titles have had their say.
Candidates come from blocks (titles sharing their first three words, last three words or two
rarest words), never from all pairs, so 100k titles compare in seconds; a candidate pair
must score at least FUZZY_SCORE (rapidfuzz's `fuzz.ratio`) and differ only in spelling.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from rapidfuzz import fuzz, process

FUZZY_SCORE = 95.0
FUZZY_MIN_WORDS = 4
FUZZY_MIN_CHARS = 25
MAX_BLOCK = 2000  # a block this big says little about identity; the other blocks still apply

_MARKER = re.compile(r"\w*\d\w*|not|no|non|without|(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})")
_SMALL = frozenset("a an the of for on in to and with by from at via using into".split())


def fuzzy_eligible(title: str) -> bool:
    """Long enough that a near-identical title is the same paper, not a generic heading."""
    return len(title) >= FUZZY_MIN_CHARS and len(title.split()) >= FUZZY_MIN_WORDS


def similar_titles(titles: list[str]) -> list[tuple[float, int, int]]:
    """(score, i, j) per pair of near-identical titles, best first; compared within blocks
    only, and within a block only titles with the same digits (`digits`)."""
    scores: dict[tuple[int, int], float] = {}
    for whole in title_blocks(titles):
        by_digits: dict[str, list[int]] = {}
        for i in whole:
            by_digits.setdefault(digits(titles[i]), []).append(i)
        for block in by_digits.values():
            choices = [titles[j] for j in block]
            for pos, i in enumerate(block[:-1]):
                for _, score, k in process.extract(titles[i], choices[pos + 1:], scorer=fuzz.ratio,
                                                   score_cutoff=FUZZY_SCORE, limit=None):
                    scores[min(i, block[pos + 1 + k]), max(i, block[pos + 1 + k])] = score
    pairs = [(score, i, j) for (i, j), score in scores.items() if same_words(titles[i], titles[j])]
    return sorted(pairs, key=lambda t: (-t[0], t[1], t[2]))


def digits(title: str) -> str:
    """The title's digits, sorted. Two titles `same_words` accepts have the same: a word with
    a digit is a marker, which it never lets differ, and joining words keeps characters. So
    a series ("Report (study 17)", "... (study 18)"), whose titles share every block, is not
    compared pair by pair (20,000 such records took 239 s to merge)."""
    return "".join(sorted(_DIGIT.findall(title)))


_DIGIT = re.compile(r"\d")


def title_blocks(titles: list[str]) -> Iterator[list[int]]:
    """Indices of titles that share their first three words, last three words or two rarest words.

    Rarest means fewest titles among words found in at least two: a word in one title only
    can block nothing, and the words two copies of one paper alone share are the rarest.
    """
    words = [t.split() for t in titles]
    seen = Counter(w for ws in words for w in set(ws))
    blocks: dict[tuple[str, ...], list[int]] = {}
    for i, ws in enumerate(words):
        rare = sorted([w for _, w in sorted((seen[w], w) for w in set(ws) if seen[w] > 1)[:2]])
        for key in (("^", *ws[:3]), ("$", *ws[-3:]), ("~", *rare)):
            blocks.setdefault(key, []).append(i)
    return (b for key, b in blocks.items() if 1 < len(b) <= MAX_BLOCK and len(key) > 1)


def same_words(a: str, b: str) -> bool:
    """The titles differ only in spelling (typos, -ise/-ize, word breaks) and in small words.

    Near-identical strings can still name two papers: "supervised" / "unsupervised",
    "Part I" / "Part II", "1D" / "2D". So each word that only one title has must be a small
    word, or pair with a word of the other title that is a spelling variant of it.
    """
    words_a, words_b = _rejoin(a.split(), set(b.split())), _rejoin(b.split(), set(a.split()))
    only_a, only_b = list((words_a - words_b).elements()), list((words_b - words_a).elements())
    if len(only_a) != len(only_b):
        return False
    for word in only_a:
        partner = max(only_b, key=lambda w: fuzz.ratio(word, w))
        if not spelling_variants(word, partner):
            return False
        only_b.remove(partner)
    return True


def _rejoin(words: list[str], other: set[str]) -> Counter[str]:
    """The words that are not small, joined where the other title writes them as one ("pre training")."""
    out: list[str] = []
    for word in words:
        if out and out[-1] + word in other and out[-1] not in _SMALL:
            out[-1] += word
        else:
            out.append(word)
    return Counter(w for w in out if w not in _SMALL)


def spelling_variants(a: str, b: str) -> bool:
    """Alike words, neither a number, roman numeral or negation, nor the other plus an affix."""
    if _MARKER.fullmatch(a) or _MARKER.fullmatch(b) or fuzz.ratio(a, b) < 80:
        return False
    short, long = sorted((a, b), key=len)
    extra = len(long) - len(short)
    return not (long.endswith(short) and extra >= 2 or long.startswith(short) and extra >= 3)

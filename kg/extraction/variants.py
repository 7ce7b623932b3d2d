"""Surface variants of a label: plurals and hyphen/space spellings.

The vocabularies list one spelling per form; texts write "mixture-of-experts" and
"mixtures of experts", "LLM" and "LLMs". Generating the regular variants here keeps the
vocabularies short and the matching forgiving in a predictable way.
"""
from __future__ import annotations

import re

_ES = re.compile(r"(s|x|z|ch|sh)$")
_IES = re.compile(r"[^aeiou]y$")


def plural(word: str, case_sensitive: bool) -> str | None:
    """Regular plural of a label's last word; None when it already looks plural."""
    if not word or (word[-1] in "sS" and not case_sensitive):
        return None
    if case_sensitive:
        return word + "s" if word[-1].isalnum() else None
    if _IES.search(word):
        return word[:-1] + "ies"
    if _ES.search(word):
        return word + "es"
    return word + "s" if word[-1].isalpha() else None


def label_variants(label: str, case_sensitive: bool) -> set[str]:
    """The label, its hyphen/space spellings, and their plurals."""
    forms = _separator_variants(label)
    for form in list(forms):
        extra = plural(form, case_sensitive) if form[-1:].isalnum() else None
        if extra:
            forms.add(extra)
        forms |= _inner_plurals(form, case_sensitive)
    return forms


def _separator_variants(label: str) -> set[str]:
    """Every hyphen/space spelling of a label with up to three separators."""
    parts = re.split(r"([ -])", label)
    seps = parts[1::2]
    if not seps or len(seps) > 3:
        return {label, label.replace("-", " ")} if "-" in label else {label}
    out = set()
    for mask in range(2 ** len(seps)):
        chosen = [("-" if mask >> i & 1 else " ") for i in range(len(seps))]
        words = parts[0::2]
        out.add(words[0] + "".join(sep + w for sep, w in zip(chosen, words[1:])))
    return out


def _inner_plurals(form: str, case_sensitive: bool) -> set[str]:
    """'mixture of experts' -> 'mixtures of experts': the head noun comes before 'of'."""
    out = set()
    for sep in (" of ", "-of-"):
        head, found, rest = form.partition(sep)
        if found and head and " " not in head.split()[-1]:
            words = head.split(" ")
            extra = plural(words[-1], case_sensitive)
            if extra:
                out.add(" ".join(words[:-1] + [extra]) + sep + rest)
    return out

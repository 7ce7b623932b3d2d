"""Concept identity: when two names are one concept, and when a version makes another.

The rules, in one place so every component that names a concept applies them alike:
- Variants are one concept: case, hyphens and spaces, a regular plural of the last word
  (an acronym's too: "PLMs" is "PLM"), and a leading "pre-trained"/"pretrained" (the
  training state is no part of identity: pre-trained language models are language models).
  `identity_key` is that comparison; `ConceptIndex` finds the vocabulary concept a phrase
  found by a rule (abbreviation long form, region phrase, recognizer entity) already names,
  so no component mints a second IRI for it.
- A version is identity: a number or named suffix glued to a model or dataset name ("OC20"
  and "OC22", "GPT-3" and "GPT-4", "THINGS-EEG2" after "THINGS", "MobileNetV2") names
  another work, and so does a named suffix in the vocabulary ("LLaVA-NeXT" after "LLaVA").
  Years and their two-digit forms ("2014", "'14"), and "2" and "2.0", are one
  version. A parameter count ("7B", "350M", "8x7B") or a size word ("Base", "Large") names a
  checkpoint of one model, not another model, so it is not identity for methods.
  `version_key` reads the version from a label; vocabulary concepts whose labels carry more
  than one version are split by `split_versions`, each version its own concept under the
  family (`skos:broader`).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

NEW_CONCEPTS = "kg_new_concepts"  # doc.user_data key: iri -> (label, type, alt labels, broader)
_SEPARATORS = re.compile(r"[\s\-_]+")
_PRETRAINED = re.compile(r"^pre ?trained ")
_ACRONYM_PLURAL = re.compile(r"^[A-Z][A-Z0-9]*[A-Z]s$")
_SIZE = re.compile(r"(?<![A-Za-z0-9.])(?:\d+x)?\d+(?:\.\d+)?[BMK](?![A-Za-z0-9])", re.I)
_NUMBER = re.compile(r"\d+(?:\.\d+)*")
_YEAR = re.compile(r"^(?:19|20)(\d\d)$")


def identity_key(text: str) -> str:
    """What two names of one concept share: case, separators, a final plural and a leading
    "pre-trained" aside ("Pre-trained Language Models" -> "language model")."""
    words = _SEPARATORS.sub(" ", text).strip().split(" ")
    last = words[-1]
    if _ACRONYM_PLURAL.match(last):
        last = last[:-1]
    elif len(last) > 3 and last.lower().endswith("ies"):
        last = last[:-3] + "y"
    elif len(last) > 3 and last[-1] in "sS" and not last.lower().endswith(("ss", "us", "is")):
        last = last[:-1]
    key = " ".join([*words[:-1], last]).lower()
    return _PRETRAINED.sub("", key) or key


def version_key(label: str, ctype: str) -> tuple[str, str] | None:
    """The version a label names, as (digits, digits with years shortened), or None.

    "VOC2012" and "VOC 2012" -> ("2012", "12"); "WMT'14" -> ("14", "14"); "SQuAD 2.0"
    and "SQuAD2" -> ("2", "2"); a method's size is no version: "Llama-2-7B" -> ("2", "2").
    """
    text = _SIZE.sub(" ", label) if ctype == "method" else label
    numbers = [re.sub(r"(?:\.0+)+$", "", n) for n in _NUMBER.findall(text)]
    if not numbers:
        return None
    short = [m.group(1) if (m := _YEAR.match(n)) else n for n in numbers]
    return "".join(numbers).replace(".", ""), "".join(short).replace(".", "")


_SIZE_WORDS = frozenset({"base", "large", "small", "tiny", "huge", "medium"})
_SIZE_PART = re.compile(r"^(?:\d+x)?\d+(?:\.\d+)?[BMK]$", re.I)  # "8B", "350M", "8x7B"
_NAMED = re.compile(r"^(?:[A-Z]|[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*)$")  # "R", "NeXT", "OV", "XL"


def suffix_kind(text: str, ctype: str) -> str | None:
    """What a part glued to a name by '-' says: "size" (a checkpoint of the same model:
    "8B", "Large"; a dataset's size names a subset, a version), "version" (a number or a
    name: "2", "v3", "EEG2", "NeXT", "R"), or None (a word that is no part of the name:
    "based", "style")."""
    if ctype == "method" and (_SIZE_PART.match(text) or (text.lower() in _SIZE_WORDS and text[:1].isupper())):
        return "size"
    if any(c.isdigit() for c in text) or _NAMED.match(text):
        return "version"
    return None


def suffix_kinds(text: str, ctype: str) -> list[str] | None:
    """`suffix_kind` of each part of a glued suffix ("NeXT-8B"); None if one is no part of a name."""
    kinds = [suffix_kind(part, ctype) for part in text.split("-")]
    return kinds if kinds and all(kinds) else None


def named_version(label: str, base: str, ctype: str) -> tuple[str, str] | None:
    """"LLaVA-NeXT" after "LLaVA": a version named by a glued suffix, as a version key."""
    rest = label[len(base) + 1:] if label.lower().startswith(base.lower() + "-") else ""
    kinds = suffix_kinds(rest, ctype) if rest else None
    if not kinds or "version" not in kinds:
        return None
    return rest.lower(), rest.lower()


def same_version(a: tuple[str, str] | None, b: tuple[str, str] | None) -> bool:
    return a == b or (a is not None and b is not None and (a[0] == b[0] or a[1] == b[1]))


def split_versions(pref: str, labels: Iterable[str], ctype: str) -> list[list[str]]:
    """Group a concept's labels by the version they name: the first group holds the
    preferred label, the labels of its version and those that name none; each other group
    is one more version. One group where the labels name at most the preferred one's."""
    home, others = [pref], []
    pref_version = version_key(pref, ctype)
    for label in labels:
        version = version_key(label, ctype) or named_version(label, pref, ctype)
        if version is None or same_version(version, pref_version):
            home.append(label)
            continue
        for group in others:
            if same_version(version, version_key(group[0], ctype) or named_version(group[0], pref, ctype)):
                group.append(label)
                break
        else:
            others.append([label])
    return [home, *others]


class ConceptIndex:
    """Vocabulary concepts by (type, identity key) of their labels."""

    def __init__(self, terms: Iterable, types: dict[str, str]):
        self.iris: dict[tuple[str, str], str] = {}
        self.types: dict[str, set[str]] = {}  # key -> types that have it
        for term in sorted(terms, key=lambda t: (t.iri, t.text)):
            key = identity_key(term.text)
            if term.context:
                continue  # an ambiguous label names its concept only where context says so
            self.iris.setdefault((types[term.iri], key), term.iri)
            self.types.setdefault(key, set()).add(types[term.iri])

    @classmethod
    def of(cls, vocabulary) -> "ConceptIndex":
        return cls(vocabulary.terms, {iri: c.type for iri, c in vocabulary.concepts.items()})

    def get(self, ctype: str, text: str) -> str | None:
        """The vocabulary concept of this type that `text` names, if any."""
        return self.iris.get((ctype, identity_key(text)))


def new_concept(doc, iri: str, label: str, ctype: str, alt: str | None = None, broader: str | None = None) -> None:
    """Record a concept found in this doc (not in any vocabulary); `broader`: the concept
    it is a version of."""
    known = doc.user_data.setdefault(NEW_CONCEPTS, {})
    old = known.get(iri)
    alts = set(old[2]) if old else set()
    if alt:
        alts.add(alt)
    parents = tuple(sorted({*(old[3] if old else ()), *([broader] if broader else [])}))
    known[iri] = (old[0] if old else label, ctype, tuple(sorted(alts)), parents)

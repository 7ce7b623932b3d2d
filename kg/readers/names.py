"""Author names as the graph shows them: "Given Family", whatever order the source used.

Bibliography formats write "Family, Given" (BibTeX, RIS), split the parts (CSL-JSON,
PubMed) or give a display name (arXiv, OpenAlex, Semantic Scholar); one helper per shape
keeps every reader's authors comparable.
"""
from __future__ import annotations

import re


def display_name(name: str) -> str:
    """'Family, Given' -> 'Given Family' ('Family, Jr., Given' -> 'Given Family Jr.');
    a name without a comma is kept, whitespace collapsed."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(parts):
        return join_name(parts[1], parts[0])
    if len(parts) == 3 and parts[0] and parts[2]:
        return join_name(parts[2], f"{parts[0]} {parts[1]}")
    return _squash(name)


def join_name(given: str | None, family: str | None) -> str:
    """'Given Family' from the two parts, either of which may be missing."""
    return _squash(f"{given or ''} {family or ''}")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# Author identifiers, each as "kind:value" so one list can hold every kind a record gives.
_ORCID = re.compile(r"(?<![\dXx-])(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dXx])(?![\dXx])")
_OPENALEX_AUTHOR = re.compile(r"(?:^|/)(A\d+)$", re.IGNORECASE)


def author_ids(orcid: object = None, openalex: object = None, s2: object = None) -> list[str]:
    """An author's identifiers as the graph keeps them: `orcid:0000-0002-1825-0097`
    (from a bare id or an orcid.org URL, checked by its ISO 7064 check digit),
    `openalex:A5023888391` (bare or URL) and `s2:1741101` (Semantic Scholar's authorId,
    digits). A value that is none of these is left out: a wrong id would merge two people."""
    found = []
    if isinstance(orcid, str) and (match := _ORCID.search(orcid)) and _orcid_checks("".join(match.groups())):
        found.append("orcid:" + "-".join(match.groups()).upper())
    if isinstance(openalex, str) and (match := _OPENALEX_AUTHOR.search(openalex.strip())):
        found.append("openalex:" + match.group(1).upper())
    if isinstance(s2, (str, int)) and not isinstance(s2, bool) and str(s2).strip().isdigit():
        found.append("s2:" + str(s2).strip())
    return found


def _orcid_checks(digits: str) -> bool:
    """ORCID's check character (ISO 7064 MOD 11-2) over the first 15 digits."""
    total = 0
    for d in digits[:15]:
        total = (total + int(d)) * 2
    check = (12 - total % 11) % 11
    return digits[15].upper() == ("X" if check == 10 else str(check))

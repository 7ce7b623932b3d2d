"""IRIs of the project: the ontology namespace and the bases that concept and paper IRIs
are minted under. Kept in one module so no other code spells an IRI by hand."""
from __future__ import annotations

from rdflib import Namespace

BASE = "https://w3id.org/kg/"
KG = Namespace(BASE + "ontology#")
CONCEPT = Namespace(BASE + "concept/")
PAPER = Namespace(BASE + "paper/")
VOCAB = Namespace(BASE + "vocab/")

"""SHACL shapes compiled to SPARQL, so Oxigraph validates a graph the way pySHACL does, faster.

pySHACL walks every focus node in Python over an rdflib graph: 10 s for the example graph
and out of reach for a 100k-paper one. The shapes in ontology/shapes.ttl use a small part
of SHACL Core, and each of its constraints is one SPARQL query that selects the focus
nodes (and values) breaking it, which Oxigraph answers in milliseconds:

- targets: sh:targetClass (instances of the class or of its rdfs:subClassOf* subclasses),
  sh:targetSubjectsOf, sh:targetObjectsOf, sh:targetNode;
- paths: a predicate, or sh:inversePath of one;
- counts: sh:minCount, sh:maxCount (distinct values, as SHACL counts them);
- values: sh:datatype, sh:class, sh:nodeKind, sh:in, sh:hasValue, sh:minInclusive,
  sh:maxInclusive, sh:minExclusive, sh:maxExclusive, sh:minLength, sh:maxLength,
  sh:pattern (with sh:flags), and sh:or of shapes made of these (as value or node shapes,
  with sh:property shapes whose count constraints are sh:minCount and sh:hasValue).

`compile_shapes` raises `Unsupported` for anything else (sh:node, sh:closed, SPARQL
constraints, a severity other than sh:Violation, ...), and `validate` then hands the graph
to pySHACL, so a shape someone adds is checked either way. tests/test_shapes.py runs both
engines over deliberately broken graphs and requires the same violations.

Two differences from the letter of SHACL, neither reachable from a graph `kg build`
writes: a literal whose lexical form is ill-typed ("abc"^^xsd:integer) passes sh:datatype,
and values are compared by SPARQL's operators (so "1"^^xsd:integer and "1.0"^^xsd:double
are equal for sh:minInclusive).
"""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node


class Unsupported(Exception):
    """A shape uses a part of SHACL this compiler does not translate."""


@dataclass(frozen=True)
class Check:
    """One constraint as a query: it selects ?f (the focus node) where the constraint fails."""

    query: str
    path: str  # the property path's IRI ("" for a node-level constraint; "^IRI" for an inverse)
    message: str  # "{value}" in it stands for the value that breaks the constraint


# Predicates of a shape that say nothing to check.
_ANNOTATIONS = {SH.message, SH.name, SH.description, SH.order, SH.group, SH.severity, RDF.type, SH.path}
_VALUE = {SH.datatype, SH["class"], SH.nodeKind, SH["in"], SH.minInclusive, SH.maxInclusive, SH.minExclusive,
          SH.maxExclusive, SH.minLength, SH.maxLength, SH.pattern, SH["or"]}
_COUNT = {SH.minCount, SH.maxCount, SH.hasValue}
_TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode}
_KINDS = {SH.IRI: "isIRI({v})", SH.Literal: "isLiteral({v})", SH.BlankNode: "isBlank({v})",
          SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))", SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
          SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))"}
_COMPARE = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_TYPE_OF = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every constraint of every node shape with a target, as a `Check`."""
    checks: list[Check] = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        target = _target(shapes, shape)
        if target is None:
            continue
        _annotations_only(shapes, shape, allowed=_TARGETS | {SH.property, SH["or"], SH.deactivated})
        for prop in sorted(shapes.objects(shape, SH.property), key=str):
            checks.extend(_property_checks(shapes, prop, target))
        for alternatives in shapes.objects(shape, SH["or"]):
            cond = " || ".join(_conforms(shapes, alt, "?f") for alt in Collection(shapes, alternatives))
            checks.append(Check(f"SELECT ?f WHERE {{ {target} FILTER(!({cond})) }}", "",
                                _message(shapes, shape, "the node conforms to none of the sh:or shapes")))
    return checks


def _target(shapes: Graph, shape: Node) -> str | None:
    """A graph pattern binding ?f to each focus node of the shape, or None without targets."""
    parts = [f"{{ ?f {_TYPE_OF} {_term(c)} }}" for c in shapes.objects(shape, SH.targetClass)]
    parts += [f"{{ ?f {_term(p)} ?_t }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    parts += [f"{{ ?_t {_term(p)} ?f }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    parts += [f"{{ BIND({_term(n)} AS ?f) }}" for n in shapes.objects(shape, SH.targetNode)]
    if not parts:
        return None
    return "{ SELECT DISTINCT ?f WHERE { " + " UNION ".join(sorted(parts)) + " } }"


def _property_checks(shapes: Graph, prop: Node, target: str) -> list[Check]:
    _annotations_only(shapes, prop, allowed=_VALUE | _COUNT)
    path, shown = _path(shapes, prop)
    message = lambda default: _message(shapes, prop, default)  # noqa: E731
    checks = []
    for n in shapes.objects(prop, SH.minCount):
        checks.append(Check(f"SELECT ?f WHERE {{ {target} OPTIONAL {{ ?f {path} ?v }} }} GROUP BY ?f "
                            f"HAVING (COUNT(DISTINCT ?v) < {int(n)})", shown, message(f"fewer than {int(n)} values")))
    for n in shapes.objects(prop, SH.maxCount):
        checks.append(Check(f"SELECT ?f WHERE {{ {target} ?f {path} ?v }} GROUP BY ?f "
                            f"HAVING (COUNT(DISTINCT ?v) > {int(n)})", shown, message(f"more than {int(n)} values")))
    for value in shapes.objects(prop, SH.hasValue):
        checks.append(Check(f"SELECT ?f WHERE {{ {target} FILTER NOT EXISTS {{ ?f {path} {_term(value)} }} }}",
                            shown, message(f"no value {value}")))
    for predicate, value in sorted(shapes.predicate_objects(prop), key=lambda pv: (str(pv[0]), str(pv[1]))):
        if predicate in _VALUE:
            cond = _value_condition(shapes, prop, predicate, value, "?v")
            checks.append(Check(f"SELECT ?f ?v WHERE {{ {target} ?f {path} ?v FILTER(!({cond})) }}", shown,
                                message(_explain(shapes, predicate, value))))
    return checks


def _value_condition(shapes: Graph, shape: Node, predicate: URIRef, value: Node, v: str) -> str:
    """A SPARQL expression, true when the value node `v` meets one constraint."""
    if predicate == SH.datatype:
        return f"(isLiteral({v}) && datatype({v}) = {_term(value)})"
    if predicate == SH["class"]:
        return f"EXISTS {{ {v} {_TYPE_OF} {_term(value)} }}"
    if predicate == SH.nodeKind:
        if value not in _KINDS:
            raise Unsupported(f"sh:nodeKind {value}")
        return _KINDS[value].format(v=v)
    if predicate == SH["in"]:
        members = [f"sameTerm({v}, {_term(m)})" for m in Collection(shapes, value)]
        return "(" + (" || ".join(members) or "false") + ")"
    if predicate in _COMPARE:
        return f"COALESCE({v} {_COMPARE[predicate]} {_term(value)}, false)"
    if predicate in (SH.minLength, SH.maxLength):
        op = ">=" if predicate == SH.minLength else "<="
        return f"(!isBlank({v}) && STRLEN(STR({v})) {op} {int(value)})"
    if predicate == SH.pattern:
        flags = shapes.value(shape, SH.flags)
        args = f"{_term(Literal(str(value)))}" + (f", {_term(Literal(str(flags)))}" if flags is not None else "")
        return f"(!isBlank({v}) && REGEX(STR({v}), {args}))"
    if predicate == SH["or"]:
        return "(" + " || ".join(_conforms(shapes, alt, v) for alt in Collection(shapes, value)) + ")"
    raise Unsupported(str(predicate))


def _explain(shapes: Graph, predicate: URIRef, value: Node) -> str:
    """The default message of a value constraint; "{value}" stands for the value found."""
    if predicate in _COMPARE:
        return f"value {{value}} is not {_COMPARE[predicate]} {value}"
    if predicate == SH["in"]:
        return f"value {{value}} is not one of {', '.join(str(m) for m in Collection(shapes, value))}"
    if predicate in (SH.minLength, SH.maxLength):
        return f"value {{value}} is {'shorter' if predicate == SH.minLength else 'longer'} than {value} characters"
    name = predicate.n3(shapes.namespace_manager)
    return f"value {{value}} does not meet {name} {value.n3(shapes.namespace_manager) if predicate != SH['or'] else ''}".rstrip()


def _conforms(shapes: Graph, shape: Node, v: str) -> str:
    """A SPARQL expression, true when the node `v` conforms to `shape` (an sh:or member):
    value constraints on the node itself, and sh:property shapes of sh:minCount/sh:hasValue."""
    _annotations_only(shapes, shape, allowed=_VALUE | {SH.property})
    conds = []
    for predicate, value in sorted(shapes.predicate_objects(shape), key=lambda pv: (str(pv[0]), str(pv[1]))):
        if predicate in _VALUE:
            conds.append(_value_condition(shapes, shape, predicate, value, v))
    for prop in sorted(shapes.objects(shape, SH.property), key=str):
        _annotations_only(shapes, prop, allowed={SH.minCount, SH.hasValue})
        path, _ = _path(shapes, prop)
        for n in shapes.objects(prop, SH.minCount):
            if int(n) > 1:
                raise Unsupported("sh:minCount above 1 inside sh:or")
            conds.append(f"EXISTS {{ {v} {path} ?_any }}" if int(n) == 1 else "true")
        for value in shapes.objects(prop, SH.hasValue):
            conds.append(f"EXISTS {{ {v} {path} {_term(value)} }}")
    return "(" + (" && ".join(conds) or "true") + ")"


def _path(shapes: Graph, prop: Node) -> tuple[str, str]:
    """(the path in SPARQL, the path as a violation shows it)."""
    path = shapes.value(prop, SH.path)
    if isinstance(path, URIRef):
        return _term(path), str(path)
    if isinstance(path, BNode) and isinstance(inverse := shapes.value(path, SH.inversePath), URIRef) \
            and len(list(shapes.predicate_objects(path))) == 1:
        return f"^{_term(inverse)}", f"^{inverse}"
    raise Unsupported(f"sh:path {path!r}")


def _annotations_only(shapes: Graph, shape: Node, allowed: set[URIRef]) -> None:
    """Raise Unsupported when the shape uses a SHACL term outside `allowed` and annotations."""
    for predicate in set(shapes.predicates(shape)):
        if predicate in allowed or predicate in _ANNOTATIONS or predicate == SH.flags:
            continue
        if str(predicate).startswith(str(SH)):
            raise Unsupported(str(predicate))
    severity = shapes.value(shape, SH.severity)
    if severity is not None and severity != SH.Violation:
        raise Unsupported(f"sh:severity {severity}")


def _message(shapes: Graph, shape: Node, default: str) -> str:
    found = shapes.value(shape, SH.message)
    return str(found) if found is not None else default


def _term(node: Node) -> str:
    if isinstance(node, BNode):
        raise Unsupported("a blank node as a constant")
    return node.n3()

"""Check a graph against ``kg/data/shapes.ttl`` with pySHACL and explain what is wrong in words."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
import rdflib.collection
from rdflib.namespace import RDF, SH

from kg import vocab
from kg.store import Store


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node, which property, what is wrong, the offending value."""

    focus: str
    path: str
    message: str
    value: str = ""
    severity: str = "Violation"

    def text(self) -> str:
        """One line: ``agreement:JPN-NZL-logistics: kg:status: <message> (value: ...)``."""
        line = f"{self.focus}: {self.path + ': ' if self.path else ''}{self.message}"
        return line + (f" (value: {self.value})" if self.value else "")


@dataclass
class ValidationReport:
    """Whether the graph conforms, and every violation found."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def text(self) -> str:
        """A readable report for the terminal."""
        if self.conforms:
            return "the graph conforms to the kg shapes"
        lines = [f"the graph does not conform: {len(self.violations)} problem(s)"]
        lines += [f"  - {v.text()}" for v in self.violations]
        return "\n".join(lines)


def _short(term: rdflib.term.Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, rdflib.Literal):
        return repr(str(term)) if term.datatype is None or term.datatype.endswith("#string") else str(term)
    text = str(term)
    best = ""
    for prefix, iri in vocab.PREFIXES.items():
        if text.startswith(iri) and len(iri) > len(best):
            best, name = iri, prefix
    return f"{name}:{text[len(best):]}" if best else f"<{text}>"


def _describe(node: rdflib.term.Node | None, data: rdflib.Graph) -> str:
    """A focus node in words: ``agreement JPN-NZL logistics``, ``claim JPN-UKR ... in FILE``."""
    from kg.vocab import KG

    if not isinstance(node, rdflib.URIRef):
        return _short(node)
    kinds = set(data.objects(node, RDF.type))

    def pair() -> str:
        codes = sorted(vocab.party_code(str(p)) or _short(p) for p in data.objects(node, KG.party))
        kind = data.value(node, KG.agreementType)
        return " ".join(x for x in ("-".join(codes), vocab.type_name(str(kind)) if kind else "") if x)

    if KG.Agreement in kinds:
        return f"agreement {pair()}".strip()
    if KG.Claim in kinds or KG.PartnerCount in kinds:
        article = data.value(node, rdflib.URIRef(str(vocab.PROV.wasDerivedFrom)))
        file = data.value(article, KG.file) if article is not None else None
        what = "claim" if KG.Claim in kinds else "partner count"
        return f"{what} {pair()}" + (f" in {file}" if file else "") + f" ({_short(node)})"
    if KG.Evidence in kinds:
        owner = data.value(predicate=KG.evidence, object=node)
        return f"evidence of {_describe(owner, data)}" if owner is not None else _short(node)
    if KG.Article in kinds:
        file = data.value(node, KG.file)
        return f"article {file}" if file else _short(node)
    return _short(node)


def _in_words(component: rdflib.term.Node | None, shape: rdflib.term.Node | None, shapes: rdflib.Graph) -> str:
    """What a constraint asks, in words, for a shape that gives no sh:message of its own."""
    name = str(component or "").rsplit("#", 1)[-1].removesuffix("ConstraintComponent")

    def arg(term: rdflib.URIRef) -> str:
        return _short(shapes.value(shape, term)) if shape is not None else ""

    if name == "In" and shape is not None:
        head = shapes.value(shape, SH["in"])
        allowed = sorted(_short(v).split(":", 1)[-1] for v in rdflib.collection.Collection(shapes, head)) if head else []
        return "the value is not one of " + ", ".join(allowed)
    words = {
        "MinCount": f"needs at least {arg(SH.minCount)} value(s)",
        "MaxCount": f"takes at most {arg(SH.maxCount)} value(s)",
        "Datatype": f"the value must be a {arg(SH.datatype)}",
        "Class": f"the value must be a {arg(SH['class'])}",
        "MinInclusive": f"the value must be at least {arg(SH.minInclusive)}",
        "MinLength": f"the value must be at least {arg(SH.minLength)} character(s) long",
        "Node": "the value does not have the shape it needs",
    }
    return words.get(name, f"does not meet its {name or 'shape'} constraint")


def shapes_graph() -> rdflib.Graph:
    """The packaged SHACL shapes."""
    return rdflib.Graph().parse(vocab.SHAPES_FILE, format="turtle")


def validate_graph(data: rdflib.Graph, shapes: rdflib.Graph | None = None) -> ValidationReport:
    """Validate an rdflib graph (the union of a store's graphs) against the shapes."""
    import pyshacl

    shapes = shapes if shapes is not None else shapes_graph()
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    violations = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if results.value(predicate=SH.detail, object=result) is not None:
            continue  # the inner result of an sh:node: its outer result says it in the shape's words
        severity = results.value(result, SH.resultSeverity)
        shape = results.value(result, SH.sourceShape)
        # pySHACL's own message ("Value <...> not in list [...]") only when the shape has none
        said = shapes.value(shape, SH.message) if shape is not None else None
        component = results.value(result, SH.sourceConstraintComponent)
        violations.add(
            Violation(
                focus=_describe(results.value(result, SH.focusNode), data),
                path=_short(results.value(result, SH.resultPath)),
                message=str(said) if said is not None else _in_words(component, shape, shapes),
                value=_short(results.value(result, SH.value)),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            )
        )
    ordered = sorted(violations, key=lambda v: (v.focus, v.path, v.message, v.value))
    return ValidationReport(conforms=bool(conforms), violations=ordered)


def store_graph(store: Store) -> rdflib.Graph:
    """The union of a store's graphs as one rdflib graph (what SHACL validates)."""
    data = store.dump(ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data, format="nt")


def validate(store: Store) -> ValidationReport:
    """Validate everything a store holds (all named graphs together) against the shapes."""
    return validate_graph(store_graph(store))

"""The resograph OWL 2 ontology, shipped as package data (Turtle files beside this module)."""

from importlib.resources import files
from pathlib import Path

#: Stable namespace of the ontology's terms.
NAMESPACE = "https://w3id.org/resograph/ontology#"
#: IRI of the ontology itself (what ``owl:Ontology`` names).
ONTOLOGY_IRI = "https://w3id.org/resograph/ontology"


def path(name: str = "resograph.ttl") -> Path:
    """Path of one ontology file, found in the installed package, not the working directory."""
    return Path(str(files(__name__).joinpath(name)))


def all_paths() -> list[Path]:
    """Every Turtle file of the ontology package (terms, concept schemes, shared individuals)."""
    return sorted(Path(str(files(__name__))).glob("*.ttl"))

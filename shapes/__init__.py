"""The resograph SHACL shapes, shipped as package data (Turtle files beside this module)."""

from importlib.resources import files
from pathlib import Path


def path(name: str = "resograph-shapes.ttl") -> Path:
    """Path of one shapes file, found in the installed package, not the working directory."""
    return Path(str(files(__name__).joinpath(name)))


def all_paths() -> list[Path]:
    """Every Turtle file of the shapes package."""
    return sorted(Path(str(files(__name__))).glob("*.ttl"))

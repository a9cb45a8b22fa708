"""Pieces the evaluation and benchmark scripts of ``bench/`` share.

The scripts are run as files (``.venv/bin/python bench/eval_languages.py``) and loaded by path
from the tests, so they import one another by path, not as a package; this module holds that
loader, the micro-averaged rates every evaluation reports, and the machine line each one
prints, so that the scripts do not each carry a copy.

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _corpus import Rates, machine, machine_line, sibling
"""

from __future__ import annotations

import importlib.util
import os
import platform
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: The shared corpus (../shared/corpus beside the checkout), or $RESOGRAPH_CORPUS.
DEFAULT_CORPUS = Path(os.environ.get("RESOGRAPH_CORPUS", ROOT.parent / "shared" / "corpus"))


def sibling(name: str) -> ModuleType:
    """Import the bench script ``name`` beside this file once, whether the caller runs as a
    script or was itself loaded by path (the tests load bench scripts that way)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"{HERE / (name + '.py')}: not a bench module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class Rates:
    """Precision, recall and F1 of micro-averaged counts (``tp``, ``fp``, ``fn`` attributes
    of the dataclass that mixes this in). Nothing predicted or nothing to find counts 1.0."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def machine() -> dict[str, Any]:
    """Where the figures were measured."""
    try:
        from importlib.metadata import version

        resograph_version = version("resograph")
    except Exception:  # not installed: running from a checkout
        resograph_version = "unknown"
    return {"cpu_count": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "resograph": resograph_version}


def machine_line(m: dict[str, Any] | None = None) -> str:
    """``machine()`` as the one line the scripts print under their tables."""
    m = m or machine()
    return (f"machine: {m['cpu_count']} CPUs, Python {m['python']}, {m['platform']}, "
            f"resograph {m['resograph']}")

"""The code base stays ruff-clean (the configuration lives in pyproject.toml)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    proc = subprocess.run([ruff, "check", "--no-cache", "."], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_service_never_imported_by_graph() -> None:
    """Data flows one way: resograph.graph never imports resograph.service."""
    pattern = re.compile(r"^\s*(?:from|import)\s+resograph\.service", re.MULTILINE)
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "graph").rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []

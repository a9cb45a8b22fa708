"""Shared fixtures.

Tests that need ../shared/corpus (real UN texts, never copied into the repository), Debian's
chromium or an external SPARQL engine *skip* with a reason on a user's fresh clone. CI sets
``RESOGRAPH_REQUIRE_ALL=1`` (see ``.ci/run``), which turns each of those skips into a failure
so that CI always runs them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("RESOGRAPH_CORPUS", ROOT.parent / "shared" / "corpus"))
REQUIRE_ALL = os.environ.get("RESOGRAPH_REQUIRE_ALL") == "1"


def require(condition: bool, reason: str) -> None:
    """Skip (fresh clone) or fail (CI) when a test's outside requirement is missing."""
    if condition:
        return
    if REQUIRE_ALL:
        pytest.fail(f"RESOGRAPH_REQUIRE_ALL=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus folder (../shared/corpus beside the project)."""
    require(CORPUS.is_dir(), f"corpus not found at {CORPUS} (set RESOGRAPH_CORPUS or place "
                             "the shared corpus beside the project)")
    return CORPUS


@pytest.fixture(scope="session")
def seed_text(corpus: Path) -> Path:
    """The French text of HRC resolution 56/15."""
    return corpus / "hrc-fr" / "A_HRC_RES_56_15.fr.txt"


@pytest.fixture(scope="module")
def app():
    """The service over the small hand-built test store (tests/service_data.py), default
    configuration. Test modules needing another configuration define their own ``app``."""
    from service_data import build_store

    from resograph.service import create_app
    from resograph.service.config import Config

    yield create_app(build_store(), Config.from_env(environ={}))


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def server():
    """The service over the test store on a real HTTP server (tests/service_data.py
    ``LiveServer``), default configuration. Test modules needing another configuration
    define their own ``server``."""
    from service_data import LiveServer, build_store

    srv = LiveServer(build_store())
    yield srv
    srv.close()

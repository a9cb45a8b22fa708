"""Allow ``python -m resograph``."""

from resograph.cli import main

raise SystemExit(main())

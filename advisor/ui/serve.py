"""Start the app with its modules imported and its data loaded before the first reader arrives.

    python -m advisor.ui.serve [streamlit run options]

`streamlit run app.py` imports the app and loads its data only when the first session opens,
so the first reader after a start waits for all of it (tests/perf/cold_start.py measured 1.9x
a hello-world app). This does that work first, in the server's own process, then hands over to
`streamlit run app.py` with the same options: the first reader pays only its own run. The data
is validated exactly as on a first session (a broken data file is reported on the page as
before, and printed here).
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"
"""The app's entry script."""


def preload() -> str | None:
    """Import the page's first-run modules and load (validate, cache) the catalog, rules and
    policy into the caches every session shares. Returns the data error's text, if any."""
    from advisor.errors import DataError
    from advisor.ui import app, loaders  # noqa: F401  (imported for their side: sys.modules)

    try:
        loaders.knowledge()
    except DataError as error:
        return str(error)
    return None


def main(argv: list[str] | None = None) -> None:
    """Preload, then run `streamlit run app.py` with `argv` (default: this command's)."""
    args = sys.argv[1:] if argv is None else argv
    problem = preload()
    if problem:
        print(f"warning: a data file is broken; the page will say so: {problem}", file=sys.stderr)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *args]
    cli.main()


if __name__ == "__main__":
    main()

"""`python -m advisor.bench`: the `bench` command on its own (same as `python -m advisor bench`)."""

from __future__ import annotations

import argparse
import sys

from advisor.bench import cli


def main() -> int:
    """Parse the `bench` options and run."""
    parser = argparse.ArgumentParser(
        prog="python -m advisor.bench",
        description="Benchmark asyncio, uvloop, Trio and AnyIO on this machine and store "
        "the results for the app.",
    )
    cli.add_arguments(parser)
    return cli.run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())

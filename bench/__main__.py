"""Run every benchmark: `make bench` (or `python -m bench [name …]`)."""

from __future__ import annotations

import sys

from bench import import_regulations

BENCHMARKS = {"import-regulations": import_regulations.main}


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    failed = [name for name in names if BENCHMARKS[name]() != 0]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Run every benchmark: `make bench` (or `python -m bench [name …]`)."""

from __future__ import annotations

import sys

from bench import (
    clearing_small,
    import_regulations,
    lesson_phone,
    matching,
    matching_first_run,
    monitoring_pages,
    offers_search,
    place_resolve,
    records_load,
    records_pdf,
    retention_nightly,
    speed_dating,
)

BENCHMARKS = {
    "import-regulations": import_regulations.main,
    "records-pdf": records_pdf.main,
    "records-load": records_load.main,
    "matching": matching.main,
    "matching-first-run": matching_first_run.main,
    "clearing-small": clearing_small.main,
    "offers-search": offers_search.main,
    "place-resolve": place_resolve.main,
    "lesson-phone": lesson_phone.main,
    "monitoring": monitoring_pages.main,
    "retention": retention_nightly.main,
    "speed-dating": speed_dating.main,
}


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    failed = []
    for name in names:
        try:
            result = BENCHMARKS[name]()
        except Exception as error:  # one readable line, then the next benchmark
            print(f"{name}: could not run: {' '.join(str(error).split())}", file=sys.stderr)
            result = 2
        if result != 0:
            failed.append(name)
    if failed:
        print(f"benchmarks missing their target or not run: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The CLI run (`ausbildung match …`) without Django: parse, load, solve (and improve), verify, write atomically."""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path
from typing import Any

from .io import InputError, Loaded, atomic_paths, commit, discard, load, write_assignment

EXIT_BAD_INPUT = 2
EXIT_NOT_STABLE = 1
LARGE = 100_000  # pairs from which a progress display is shown


class _WarmUp(argparse.Action):
    """`--warm-up`: compile every kernel version a run can use into numba's cache, then exit (like --version,
    the other arguments are not needed). `make install` runs it, so the first real run is as fast as later ones."""

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        from .kernel import cache_location
        from .warmup import warm_up

        seconds = warm_up()
        print(f"matching kernels compiled and cached in {seconds:.1f} s ({cache_location()})")
        parser.exit(0)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--warm-up",
        action=_WarmUp,
        nargs=0,
        help="compile the matching kernels into numba's cache and exit (make install does this once)",
    )
    parser.add_argument("--applicant-prefs", type=Path, required=True, help="applicant_id,offer_id,rank")
    parser.add_argument("--offer-prefs", type=Path, required=True, help="offer_id,applicant_id,rank")
    parser.add_argument(
        "--offers", type=Path, required=True, help="offer_id,capacity[,group_id,group_capacity]"
    )
    parser.add_argument("--out", type=Path, required=True, help="applicant_id,offer_id (CSV or Parquet)")
    parser.add_argument("--seed", type=int, default=0, help="lottery seed for ties (default 0)")
    parser.add_argument("--mode", choices=["applicant", "offer"], default="applicant")
    parser.add_argument("--multiple-tie-breaking", action="store_true", help="one lottery per offer")
    parser.add_argument(
        "--improve",
        action="store_true",
        help="after deferred acceptance, trade seats along stable improvement cycles (Erdil-Ergin); either mode",
    )
    parser.add_argument("--no-verify", action="store_true", help="skip the stability check")
    parser.add_argument("--report", type=Path, help="JSON report")
    parser.add_argument("--kernel", choices=["numba", "numpy"], default="numba", help=argparse.SUPPRESS)


class _Progress:
    def __init__(self, enabled: bool) -> None:
        self.bar: Any = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=6, file=sys.stderr, desc="match", leave=False)

    def __call__(self, step: str) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(step)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run(options: dict[str, Any], stdout: Any = sys.stdout) -> tuple[int, str | None]:
    """Returns (exit code, one-line error or None)."""
    # The run makes few objects that could form cycles, but numba's first call builds its typing tables
    # (many objects): the cyclic garbage collector is paused for the run, as for the engine's imports.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(options, stdout)
    finally:
        if collecting:
            gc.enable()


def _run(options: dict[str, Any], stdout: Any) -> tuple[int, str | None]:
    from . import solve, verify
    from .report import write_report

    paths = [Path(options["out"])] + ([Path(options["report"])] if options.get("report") else [])
    for path in paths:
        if path.suffix.lower() not in {".csv", ".parquet", ".json"} or (
            path == paths[0] and path.suffix.lower() == ".json"
        ):
            return EXIT_BAD_INPUT, f"{path}: unknown file type {path.suffix!r}"
        if not path.parent.is_dir() and str(path.parent):
            return EXIT_BAD_INPUT, f"{path}: folder does not exist"
    inputs = [Path(options[name]) for name in ("applicant_prefs", "offer_prefs", "offers")]
    size = sum(p.stat().st_size for p in inputs if p.exists())
    progress = _Progress(size > 20 * LARGE)
    timings: dict[str, float] = {}
    try:
        started = time.perf_counter()
        try:
            loaded: Loaded = load(
                applicant_prefs=inputs[0], offer_prefs=inputs[1], offers=inputs[2], progress=progress
            )
        except InputError as error:
            return EXIT_BAD_INPUT, str(error)
        timings["load"] = time.perf_counter() - started
        progress("solve")
        started = time.perf_counter()
        solution = solve(
            loaded.instance,
            seed=options.get("seed") or 0,
            mode=options.get("mode") or "applicant",
            multiple_tie_breaking=bool(options.get("multiple_tie_breaking")),
            improve=bool(options.get("improve")),
            kernel=options.get("kernel") or "numba",
        )
        timings["solve"] = time.perf_counter() - started
        if solution.improvement is not None:  # the part of "solve" spent on improvement cycles
            timings["improve"] = solution.improvement.seconds
        verification: dict[str, Any] | None = None
        if not options.get("no_verify"):
            progress("verify")
            started = time.perf_counter()
            checked = verify(loaded.instance, solution.assignment)
            timings["verify"] = time.perf_counter() - started
            verification = {
                "ok": checked.ok,
                "problems": checked.problems,
                "blocking_pairs": checked.blocking_pairs,
                "first_blocking": [
                    [str(loaded.applicant_ids[a].as_py()), str(loaded.offer_ids[o].as_py())]
                    for a, o in checked.first_blocking
                ],
            }
            if not checked.ok:
                listed = "; ".join(f"({a}, {o})" for a, o in verification["first_blocking"])
                return EXIT_NOT_STABLE, f"verification failed: {'; '.join(checked.problems)} {listed}".strip()
        progress("write")
        temps = atomic_paths(paths)
        try:
            write_assignment(temps[0], paths[0], loaded, solution.assignment)
            if options.get("report"):
                with temps[1].open("w", encoding="utf-8") as handle:
                    write_report(
                        handle,
                        loaded.instance,
                        solution.pairs,
                        solution.lottery,
                        loaded.applicant_names(),
                        loaded.offer_names(),
                        mode=solution.mode,
                        verification=verification,
                        extra={"timings_seconds": {k: round(v, 4) for k, v in timings.items()}},
                        improvement=solution.improvement,
                    )
            commit(temps, paths)
        except BaseException:
            discard(temps)
            raise
        matched = int((solution.assignment >= 0).sum())
        improved = ""
        if solution.improvement is not None:
            improved = (
                f"; {solution.improvement.improved} improved by "
                f"{solution.improvement.cycles} stable improvement cycle(s)"
            )
        stdout.write(
            f"{matched} of {loaded.instance.n_applicants} applicants matched "
            f"({solution.mode}-proposing, seed {solution.lottery.seed}{improved}); written to {paths[0]}\n"
        )
        return 0, None
    finally:
        progress.close()


def main(argv: list[str] | None = None) -> int:
    """Standalone entry (`python -m ausbildung.matching.engine.run`); the product interface is `ausbildung match`."""
    parser = argparse.ArgumentParser(prog="ausbildung match")
    add_arguments(parser)
    options = vars(parser.parse_args(argv))
    code, message = run(options)
    if message:
        print(f"ausbildung: error: {' '.join(message.split())}", file=sys.stderr)
    # The process ends after this. Frozen objects (numba's typing tables among them, some hundred thousand)
    # are left out of the garbage collections at interpreter exit, which would otherwise cost ~0.2 s.
    gc.freeze()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""Benchmarks (`make bench`); never part of `make test`. Each prints its figures and the target."""

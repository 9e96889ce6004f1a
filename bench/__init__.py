"""Benchmarks of the mock, run by ``python -m bench`` (``make bench``): every ``*_bench`` module in turn."""

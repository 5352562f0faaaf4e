"""Benchmarks of what users run: ``python -m geostance.benchmark [ray] ...``."""

"""Spike benchmark driver; run with ``python -m bench.spike`` from the repository root."""

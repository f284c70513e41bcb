"""The registry-scale benchmark: run it with scripts/benchmark."""

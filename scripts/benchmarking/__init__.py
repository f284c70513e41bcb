"""The registry-scale benchmark (issue 13): run it with scripts/benchmark."""

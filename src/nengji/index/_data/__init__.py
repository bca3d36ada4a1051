"""Package data: copies of the plan-package files the examples need (see examples.py)."""

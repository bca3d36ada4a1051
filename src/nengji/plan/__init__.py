"""The plan: its package format, reader and validator (and, on main, its models)."""

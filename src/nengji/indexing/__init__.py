"""Index runs: the composite index computed from official values (or flagged demo values),
stored with its pipeline spec, data snapshot and results."""

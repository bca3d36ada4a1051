"""长三角双创示范基地双创指数: a plan's multi-unit benchmark index (docs/benchmark.md).

``package`` reads and checks the package part (``benchmark/``), ``loader`` loads it with the
plan (regions, their reporting bodies and assignments), ``inputs`` snapshots the published
values of every base, ``compute`` runs the engine, ``services`` stores and publishes runs,
``selectors`` is the one read model the cockpit, the portal and the API show.
"""

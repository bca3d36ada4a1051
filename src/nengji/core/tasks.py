"""Background jobs: enqueue after the change that asks for them is committed.

Jobs run on django-tasks (the backport of Django's tasks framework): by default its database
backend, whose rows a separate `nengji worker` process picks up, so a job outlives the web
worker that queued it. Apps declare their jobs with ``@task()`` in their own ``tasks.py``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueue `task` once the current transaction commits (never for a rolled-back change).

    Arguments must be JSON (ids and codes, never rows)."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))

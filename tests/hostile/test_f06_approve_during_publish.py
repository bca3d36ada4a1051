"""Finding 6: an approval committed while `publish` ran was never published (PostgreSQL).

Approve takes the round's row lock, as publish does: an approval that arrives during a publish
waits for it, then sees the round published and publishes its value at once."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from nengji.core import events
from nengji.monitoring import services
from nengji.monitoring.events import RoundPublished
from nengji.monitoring.models import Observation, Submission
from tests.monitoring import factories as f
from tests.monitoring.test_concurrency import outcome

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and real concurrent connections need PostgreSQL",
    ),
]


def test_approval_during_publish_is_published(monkeypatch):
    office = f.user("office")
    stc = f.user("reporter", "STC")
    p = f.plan()
    ind = f.indicator(p, "HT", baseline="100")
    a = services.assignment_set(plan=p, indicator=ind, lead=f.department("STC"), by=office)
    rnd = services.round_open(plan=p, year=2021, deadline=f.deadline(), by=office)
    sub = Submission.objects.get(round=rnd, assignment=a)
    sub = services.submission_save(submission=sub, value=Decimal(110), by=stc)
    sub = services.submission_submit(submission=sub, by=stc)

    publishing = threading.Event()

    def slow_handler(event: RoundPublished) -> None:  # runs inside publish's transaction
        publishing.set()
        time.sleep(1.5)

    monkeypatch.setitem(events._handlers, RoundPublished, [slow_handler])
    results: list[object] = [None, None]

    def publish() -> None:
        try:
            results[0] = services.round_publish(round=rnd, by=office)
        except Exception as exc:
            results[0] = exc
        finally:
            connection.close()

    def approve() -> None:
        try:
            publishing.wait(timeout=30)
            results[1] = services.submission_approve(submission=sub, by=office)
        except Exception as exc:
            results[1] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=publish), threading.Thread(target=approve)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    wins, _errors = outcome(results)
    assert wins == 2
    obs = Observation.objects.get(indicator=ind)
    assert obs.published_at is not None, "the approval made during publish was never published"

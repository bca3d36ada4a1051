"""Findings 15 and 16 (the parts closed here): one round-status rule for every write of a
report, evidence included; the comment rate limit keys on the client behind a trusted proxy."""

from __future__ import annotations

import pytest

from nengji.core.errors import DomainError
from nengji.monitoring import services
from nengji.monitoring.models import Evidence, Submission
from nengji.portal.models import Comment
from tests.portal.captcha import solved

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_no_evidence_on_drafts_of_a_closed_round(yp, stc, office):
    sub = Submission.objects.get(round=yp["round"], assignment=yp["a_ht"], sequence=1)
    services.round_close(round=yp["round"], by=office)
    with pytest.raises(DomainError) as exc:
        services.evidence_add(submission=sub, name="a.pdf", data=PDF, by=stc)
    assert exc.value.by_field().keys() == {"round"}
    assert not Evidence.objects.exists()


URL = "/open/comments/plan/"


def _post(client, text, forwarded):  # type: ignore[no-untyped-def]
    data = {"text": text, **solved(client, URL)}
    return client.post(URL, data, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)


def test_rate_limit_keys_on_the_client_behind_a_trusted_proxy(client, plan, settings):
    settings.TRUST_PROXY = True
    for i in range(3):
        assert _post(client, f"意见{i}", "203.0.113.5").status_code == 302
    assert _post(client, "第四条", "203.0.113.5").status_code == 429
    # another member of the public behind the same proxy is not blocked
    assert _post(client, "另一位", "198.51.100.7").status_code == 302
    # a forged first hop does not escape the limit: the proxy's own (last) entry counts
    assert _post(client, "伪造", "1.2.3.4, 203.0.113.5").status_code == 429
    assert Comment.objects.count() == 4


def test_forwarded_header_ignored_without_a_trusted_proxy(client, plan, settings):
    settings.TRUST_PROXY = False
    for i in range(3):
        _post(client, f"意见{i}", f"203.0.113.{i}")
    assert _post(client, "第四条", "203.0.113.9").status_code == 429

"""The public comment form's CAPTCHA, attacked: a missing, wrong, replayed, expired or forged
answer is refused and nothing is stored; the image is drawn here (a PNG from our own server, no
outside service); the rate limit still applies to answers that are right."""

from __future__ import annotations

import datetime as dt

import pytest
from captcha.models import CaptchaStore
from django.utils import timezone

from nengji.portal.models import Comment
from tests.portal.captcha import challenge_key, solved

pytestmark = pytest.mark.django_db

URL = "/open/comments/plan/"


def _post(client, data, ip="10.0.0.9"):  # type: ignore[no-untyped-def]
    return client.post(URL, {"text": "建议公开各街道的数据", **data}, REMOTE_ADDR=ip)


def test_the_form_shows_a_locally_drawn_picture(client, plan):
    html = client.get(URL).content.decode()
    key = challenge_key(html)
    assert f'src="/captcha/image/{key}/"' in html
    assert 'name="captcha_1"' in html
    image = client.get(f"/captcha/image/{key}/")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content if image.streaming else [image.content])[:8] == (
        b"\x89PNG\r\n\x1a\n"
    )


def test_a_right_answer_is_accepted(client, plan):
    assert _post(client, solved(client, URL)).status_code == 302
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {},  # missing altogether
        {"captcha_1": "abcde"},  # an answer without a challenge
        {"captcha_0": "0" * 40, "captcha_1": "abcde"},  # a challenge that was never drawn
        {"captcha_0": "", "captcha_1": ""},
    ],
)
def test_missing_or_forged_answer_is_refused(client, plan, data):
    response = _post(client, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="captcha_0"' in html  # a new challenge to try again
    assert "建议公开各街道的数据" in html  # the text the citizen wrote is kept
    assert Comment.objects.count() == 0


def test_wrong_answer_is_refused_and_burns_the_challenge(client, plan):
    right = solved(client, URL)
    wrong = "x" if right["captcha_1"][0] != "x" else "y"
    response = _post(client, {**right, "captcha_1": wrong + right["captcha_1"][1:]})
    assert response.status_code == 200
    assert "do not match" in response.content.decode() or "不符" in response.content.decode()
    # the right letters are no use any more: one attempt per picture
    assert _post(client, right).status_code == 200
    assert Comment.objects.count() == 0


def test_a_replayed_answer_is_refused(client, plan):
    answer = solved(client, URL)
    assert _post(client, answer).status_code == 302
    assert _post(client, answer).status_code == 200
    assert _post(client, answer, ip="10.0.0.77").status_code == 200
    assert Comment.objects.count() == 1


def test_an_expired_challenge_is_refused(client, plan):
    answer = solved(client, URL)
    CaptchaStore.objects.filter(hashkey=answer["captcha_0"]).update(
        expiration=timezone.now() - dt.timedelta(seconds=1)
    )
    assert _post(client, answer).status_code == 200
    assert Comment.objects.count() == 0


def test_answer_is_not_case_sensitive(client, plan):
    answer = solved(client, URL)
    assert _post(client, {**answer, "captcha_1": answer["captcha_1"].upper()}).status_code == 302


def test_rate_limit_still_applies_with_right_answers(client, plan):
    for i in range(3):
        assert _post(client, solved(client, URL)).status_code == 302, i
    response = _post(client, solved(client, URL))
    assert response.status_code == 429
    assert Comment.objects.count() == 3


def test_no_test_mode_backdoor(client, plan):
    # the package's test mode accepts "passed"; it is off, so "passed" is just a wrong answer
    key = challenge_key(client.get(URL).content.decode())
    assert _post(client, {"captcha_0": key, "captcha_1": "passed"}).status_code == 200
    assert Comment.objects.count() == 0

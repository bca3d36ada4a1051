"""Plan pages through Django's test client, in both languages and for each role."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_is_public_and_chinese_by_default(client, plan):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "杨浦区提升科技创新能级" in body
    assert "主要任务" in body
    assert 'lang="zh-CN"' in body


def test_browser_shows_five_areas_twelve_tasks_with_measures(client, plan):
    body = client.get(reverse("plan-browser")).content.decode()
    assert body.count('class="card area"') == 5
    assert body.count('class="task"') == 12
    assert "打造区校融合升级版" in body
    # page breaks of the printed plan are joined in the displayed text
    assert "基础学科和医工交叉" in body


def test_english_switch(client, plan):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("plan-browser")}, follow=True
    )
    body = response.content.decode()
    assert "Tasks and measures" in body
    assert 'lang="en"' in body


def test_source_view_highlights_the_span(client, plan):
    measure = plan.sections.get(code="T01.M1")
    url = reverse("plan-source") + f"?start={measure.text_start}&end={measure.text_end}"
    body = client.get(url).content.decode()
    assert '<mark id="hl">打造区校融合升级版' in body


def test_source_view_ignores_bad_offsets(client, plan):
    assert client.get(reverse("plan-source") + "?start=x&end=99999999").status_code == 200


def test_section_page_lists_its_figures(client, plan):
    section = plan.indicators.exclude(section=None).first().section
    body = client.get(reverse("plan-section", args=[section.code])).content.decode()
    assert "Figures stated here" in body or "本节数据" in body


def test_unknown_section_is_404(client, plan):
    assert client.get(reverse("plan-section", args=["NOPE"])).status_code == 404


def test_indicator_list_shows_qualified_baselines(client, plan):
    body = client.get(reverse("indicators")).content.decode()
    assert "99.04" in body
    assert "≥ 8000" in body


def test_departments_need_login(client, plan, reporter_user):
    url = reverse("departments")
    assert client.get(url).status_code == 302
    client.force_login(reporter_user)
    body = client.get(url).content.decode()
    assert "STC" in body


def test_login_and_logout(client, plan, office_user):
    response = client.post(
        reverse("login"), {"username": "t_office", "password": "pw-t_office"}, follow=True
    )
    assert response.context["user"].is_authenticated
    response = client.post(reverse("logout"), follow=True)
    assert not response.context["user"].is_authenticated


def test_bad_login_keeps_the_username(client, plan, office_user):
    response = client.post(reverse("login"), {"username": "t_office", "password": "wrong"})
    assert response.status_code == 200
    assert 'value="t_office"' in response.content.decode()


def test_plan_pages_do_a_bounded_number_of_queries(client, plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get(reverse("plan-browser"))
    with django_assert_max_num_queries(8):
        client.get(reverse("indicators"))


def test_chinese_first_even_for_an_english_browser(client, plan):
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-CN"' in body
    client.cookies["django_language"] = "en"
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'lang="en"' in body

"""The core every app builds on (issue 9): one domain error mapped the same way by the API,
the pages and the CLI; roles scoped by organisation; events subscribed in AppConfig.ready();
failing writes leave no trace."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nengji.core.errors import DomainError, ErrorDetail
from nengji.core.events import handlers
from nengji.core.models import AuditEntry, Organisation
from nengji.core.numbers import bounded_decimal
from nengji.core.roles import OrgKind, Role, require_member, require_office

pytestmark = pytest.mark.django_db


class TestDomainError:
    def test_status_by_code_and_fields(self):
        exc = DomainError([ErrorDetail("value", "too large"), ErrorDetail("year", "bad")])
        assert exc.status == 400 and exc.by_field() == {"value": ["too large"], "year": ["bad"]}
        assert DomainError.one("x", "y", code="conflict").status == 409
        assert DomainError.one("x", "y", code="rate_limited").status == 429
        with pytest.raises(ValueError):
            DomainError("x", code="teapot")

    def test_an_apps_error_reaches_the_api_as_4xx_json_naming_the_field(self, client, office_user):
        """A plan error (not monitoring's) used to become a 500 in the API."""
        from nengji.api.auth import token_issue

        r = client.post(
            "/api/monitoring/key-projects",
            {"parent": "NOPE", "code": "bad code!", "title_zh": ""},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token_issue(office_user)}",
        )
        assert r.status_code in (400, 404), r.content
        assert all("field" in d for d in r.json()["detail"])

    def test_a_refusal_on_a_page_is_a_403_page_with_the_sites_layout(self, client, leader_user):
        from nengji.plan.selectors import plan_get
        from nengji.portal.models import Comment

        comment = Comment.objects.create(
            plan=plan_get(code="yangpu-2021"),
            text="hello",
            client="x",
            created_at="2026-01-01T00:00Z",
        )
        client.force_login(leader_user)
        r = client.post(f"/open/moderation/{comment.pk}/", {"action": "approve"})
        assert r.status_code == 403
        page = r.content.decode()
        assert 'class="topbar"' in page and "只有规划办可以进行此操作" in page
        comment.refresh_from_db()
        assert comment.status == Comment.Status.PENDING
        assert not AuditEntry.objects.filter(object_type="comment").exists()


class TestRoles:
    def test_a_role_needs_an_organisation_of_its_kind(self, django_user_model):
        region = Organisation.objects.create(kind=OrgKind.REGION, code="r", name_zh="区")
        user = django_user_model(username="e", role=Role.ENTERPRISE, organisation=region)
        with pytest.raises(ValidationError):
            user.full_clean(exclude=["password"])
        company = Organisation.objects.create(kind=OrgKind.ENTERPRISE, code="c", name_zh="企业")
        user.organisation = company
        user.full_clean(exclude=["password"])

    def test_members_act_on_their_own_organisation_only(self, django_user_model):
        a = Organisation.objects.create(kind=OrgKind.ENTERPRISE, code="a", name_zh="甲")
        b = Organisation.objects.create(kind=OrgKind.ENTERPRISE, code="b", name_zh="乙")
        user = django_user_model.objects.create(username="u", role=Role.ENTERPRISE, organisation=a)
        require_member(user, a.pk, Role.ENTERPRISE)
        with pytest.raises(DomainError) as exc:
            require_member(user, b.pk, Role.ENTERPRISE)
        assert exc.value.code == "permission"
        with pytest.raises(DomainError):
            require_office(user)

    def test_a_reporters_department_is_its_organisations(self, reporter_user):
        assert reporter_user.department.code == "STC"
        assert reporter_user.organisation.kind == OrgKind.DEPARTMENT
        assert reporter_user.department_id == reporter_user.organisation.department.pk


def test_publication_is_handled_by_indexing_through_an_event():
    from nengji.indexing.handlers import index_on_round_published
    from nengji.monitoring.events import RoundPublished

    assert index_on_round_published in handlers(RoundPublished)


class TestBoundedDecimal:
    @pytest.mark.parametrize(
        "raw", ["1e30", "-1e14", "NaN", "inf", "1.0000001", True, None, "12a", float("nan")]
    )
    def test_refused(self, raw):
        with pytest.raises(DomainError) as exc:
            bounded_decimal(raw, field="value")
        assert exc.value.detail[0].field == "value"

    def test_accepted_exactly(self):
        assert bounded_decimal(0.1, field="v") == Decimal("0.1")
        assert bounded_decimal("99999999999999.5", field="v") == Decimal("99999999999999.5")
        with pytest.raises(DomainError):
            bounded_decimal("-1", field="v", minimum=Decimal(0))


def test_navigation_comes_from_the_apps(client, office_user, leader_user):
    public = client.get("/").content.decode()
    assert "/open/" in public and "/cockpit/" not in public.split("</nav>")[0]
    client.force_login(leader_user)
    nav = client.get("/").content.decode().split('class="mainnav"')[1].split("</nav>")[0]
    assert "/cockpit/" in nav and "/open/moderation/" not in nav
    client.force_login(office_user)
    nav = client.get("/").content.decode().split('class="mainnav"')[1].split("</nav>")[0]
    assert "/open/moderation/" in nav and "/reports/" in nav

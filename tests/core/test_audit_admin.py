from __future__ import annotations

from nengji.core.models import AuditEntry


def test_audit_log_cannot_be_changed_in_the_admin(client, yp, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "r@example.org", "pw-root-123")
    client.force_login(admin)
    entry = AuditEntry.objects.first()
    base = "/admin/core/auditentry/"
    assert client.get(base).status_code == 200
    page = client.get(f"{base}{entry.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    r = client.post(f"{base}{entry.pk}/change/", {"action": "tampered"})
    assert r.status_code == 403
    assert client.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    r = client.post(
        base, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert AuditEntry.objects.filter(pk=entry.pk, action=entry.action).exists()
    assert client.get("/admin/core/auditentry/add/").status_code == 403

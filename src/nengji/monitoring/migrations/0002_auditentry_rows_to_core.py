# The audit log moves to nengji.core: copy every entry, with its id, before the old table goes.

from django.core.management.color import no_style
from django.db import migrations

# object types of the entries written before the move, by the app that owns them
APP_OF = {
    "plan": "plan",
    "section": "plan",
    "indicator": "plan",
    "department": "plan",
    "user": "accounts",
    "comment": "portal",
    "indexrun": "indexing",
}


def copy_entries(apps, schema_editor):
    Old = apps.get_model("monitoring", "AuditEntry")
    New = apps.get_model("core", "AuditEntry")
    batch = []
    for e in Old.objects.order_by("id").iterator(chunk_size=2000):
        batch.append(
            New(
                id=e.id,
                actor_id=e.actor_id,
                actor_label=e.actor_label,
                action=e.action,
                app=APP_OF.get(e.object_type, "monitoring"),
                object_type=e.object_type,
                object_id=e.object_id,
                object_label=e.object_label,
                before=e.before,
                after=e.after,
                at=e.at,
            )
        )
        if len(batch) >= 2000:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)
    # Rows were inserted with their ids: move the id sequence past them (PostgreSQL).
    connection = schema_editor.connection
    for sql in connection.ops.sequence_reset_sql(no_style(), [New]):
        schema_editor.execute(sql)


def copy_back(apps, schema_editor):
    Old = apps.get_model("monitoring", "AuditEntry")
    New = apps.get_model("core", "AuditEntry")
    Old.objects.bulk_create(
        Old(
            id=e.id,
            actor_id=e.actor_id,
            actor_label=e.actor_label,
            action=e.action[:20],
            object_type=e.object_type,
            object_id=e.object_id[:40],
            object_label=e.object_label,
            before=e.before,
            after=e.after,
            at=e.at,
        )
        for e in New.objects.order_by("id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_monitoring_initial"),
        ("core", "0001_core_initial"),
    ]

    operations = [migrations.RunPython(copy_entries, copy_back)]

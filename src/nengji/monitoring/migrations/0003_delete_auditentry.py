# The audit log now lives in nengji.core (rows copied by 0002).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0002_auditentry_rows_to_core"),
    ]

    operations = [
        migrations.DeleteModel(name="AuditEntry"),
    ]

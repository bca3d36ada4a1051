# Demo values (the flagged demo index panel) are observations of their own source.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0003_delete_auditentry"),
    ]

    operations = [
        migrations.AlterField(
            model_name="observation",
            name="source",
            field=models.CharField(
                choices=[
                    ("submission", "approved submission"),
                    ("external", "external publication"),
                    ("demo", "demo value (演示数据)"),
                ],
                max_length=12,
            ),
        ),
    ]

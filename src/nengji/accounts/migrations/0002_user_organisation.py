# A user belongs to an organisation (a reporter: its department's); more roles.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("core", "0001_core_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="users",
                to="core.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("office", "plan office"),
                    ("leader", "leader"),
                    ("reporter", "department reporter"),
                    ("enterprise", "enterprise"),
                    ("carrier", "carrier (park, incubator)"),
                    ("provider", "service institution"),
                    ("region", "partner region"),
                    ("university", "technology-transfer office"),
                    ("exchange", "technology exchange"),
                    ("bank", "bank"),
                ],
                default="reporter",
                max_length=12,
                verbose_name="role",
            ),
        ),
    ]

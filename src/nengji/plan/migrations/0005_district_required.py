# The district and organisation links (filled by 0004) become required; department codes are
# unique per district.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plan", "0004_districts_and_department_organisations"),
    ]

    operations = [
        migrations.AlterField(
            model_name="department",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="departments",
                to="core.organisation",
                verbose_name="district",
            ),
        ),
        migrations.AlterField(
            model_name="department",
            name="organisation",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="department",
                to="core.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AlterField(
            model_name="plan",
            name="district",
            field=models.ForeignKey(
                help_text="The district (an organisation of kind region) whose plan this is.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="plans",
                to="core.organisation",
                verbose_name="district",
            ),
        ),
        migrations.AddConstraint(
            model_name="department",
            constraint=models.UniqueConstraint(
                fields=("district", "code"), name="department_unique_code_per_district"
            ),
        ),
    ]

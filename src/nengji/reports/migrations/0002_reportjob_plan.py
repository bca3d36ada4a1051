# A report job belongs to a plan (several plans can be loaded side by side). Jobs made before
# belong to the then only plan; without any plan there can be no job, and any left are removed.

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    Plan = apps.get_model("plan", "Plan")
    ReportJob = apps.get_model("reports", "ReportJob")
    first = Plan.objects.order_by("id").first()
    if first is None:
        ReportJob.objects.all().delete()
    else:
        ReportJob.objects.filter(plan__isnull=True).update(plan=first)


class Migration(migrations.Migration):
    dependencies = [
        ("plan", "0005_district_required"),
        ("reports", "0001_report_job"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportjob",
            name="plan",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="report_jobs",
                to="plan.plan",
                verbose_name="plan",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reportjob",
            name="plan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="report_jobs",
                to="plan.plan",
                verbose_name="plan",
            ),
        ),
    ]

# Plans and departments belong to a district (an organisation of kind region); each department is
# an organisation; a plan carries its index definition; indicators carry their progress method.
# The new links are added nullable here, filled by 0004 and made required by 0005.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_core_initial"),
        ("plan", "0002_section_origin_key_projects"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndexDefinition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("root", models.CharField(max_length=64, verbose_name="index code")),
                (
                    "unit",
                    models.CharField(
                        help_text="The code of the district in the index panel.",
                        max_length=64,
                        verbose_name="unit code",
                    ),
                ),
                ("framework", models.JSONField(verbose_name="framework")),
                ("spec", models.JSONField(verbose_name="pipeline spec")),
                (
                    "official_indicator",
                    models.ForeignKey(
                        blank=True,
                        help_text="The plan indicator that records officially published values of the index.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="plan.indicator",
                    ),
                ),
                (
                    "plan",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="index_definition",
                        to="plan.plan",
                    ),
                ),
            ],
            options={
                "verbose_name": "index definition",
                "verbose_name_plural": "index definitions",
            },
        ),
        migrations.AddField(
            model_name="department",
            name="district",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="departments",
                to="core.organisation",
                verbose_name="district",
            ),
        ),
        migrations.AddField(
            model_name="department",
            name="organisation",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="department",
                to="core.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AddField(
            model_name="plan",
            name="district",
            field=models.ForeignKey(
                null=True,
                help_text="The district (an organisation of kind region) whose plan this is.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="plans",
                to="core.organisation",
                verbose_name="district",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="progress_method",
            field=models.CharField(
                choices=[
                    ("cagr", "compound annual growth (levels and counts)"),
                    ("linear", "change per year (rates, shares and ratios)"),
                    ("none", "not judged by a trend (one-off events, counts of years)"),
                ],
                default="cagr",
                max_length=8,
                verbose_name="progress method",
            ),
        ),
        migrations.AlterField(
            model_name="department",
            name="code",
            field=models.CharField(max_length=32, verbose_name="code"),
        ),
        migrations.AlterField(
            model_name="section",
            name="kind",
            field=models.CharField(
                choices=[
                    ("notice", "notice"),
                    ("preamble", "preamble"),
                    ("chapter", "chapter"),
                    ("part", "part"),
                    ("paragraph", "paragraph"),
                    ("problem", "problem"),
                    ("guiding_thought", "guiding thought"),
                    ("principle", "principle"),
                    ("goal", "goal"),
                    ("area", "area"),
                    ("task", "task"),
                    ("measure", "measure"),
                    ("safeguard", "safeguard"),
                    ("annex", "annex"),
                    ("term", "term"),
                    ("project", "key project"),
                    ("guideline", "guideline"),
                    ("goal_item", "goal item"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
    ]

# Organisations and the audit log (its rows are moved here from monitoring by monitoring 0002).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Organisation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("department", "department"),
                            ("enterprise", "enterprise"),
                            ("carrier", "carrier (park, incubator)"),
                            ("provider", "service institution"),
                            ("region", "partner region"),
                            ("university", "university or institute"),
                            ("exchange", "technology exchange"),
                            ("bank", "bank"),
                            ("other", "other"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        help_text="Unique within its kind (and parent), e.g. a department code or a 统一社会信用代码.",
                        max_length=64,
                        verbose_name="code",
                    ),
                ),
                ("name_zh", models.CharField(max_length=200, verbose_name="name (Chinese)")),
                (
                    "name_en",
                    models.CharField(blank=True, max_length=300, verbose_name="name (English)"),
                ),
                ("active", models.BooleanField(default=True, verbose_name="active")),
                ("is_demo", models.BooleanField(default=False, verbose_name="demo data")),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        help_text="E.g. the district a department belongs to.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="core.organisation",
                        verbose_name="part of",
                    ),
                ),
            ],
            options={
                "verbose_name": "organisation",
                "verbose_name_plural": "organisations",
                "ordering": ("kind", "code"),
            },
        ),
        migrations.CreateModel(
            name="AuditEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("actor_label", models.CharField(blank=True, max_length=150)),
                ("action", models.CharField(max_length=40, verbose_name="action")),
                (
                    "app",
                    models.CharField(
                        blank=True, db_index=True, max_length=20, verbose_name="domain"
                    ),
                ),
                ("object_type", models.CharField(max_length=40, verbose_name="object type")),
                ("object_id", models.CharField(max_length=64, verbose_name="object id")),
                ("object_label", models.CharField(max_length=300, verbose_name="object")),
                ("before", models.JSONField(blank=True, null=True)),
                ("after", models.JSONField(blank=True, null=True)),
                ("at", models.DateTimeField(db_index=True, verbose_name="at")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        help_text="The organisation whose data changed, where there is one.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "audit entry",
                "verbose_name_plural": "audit log",
                "ordering": ("-at", "-id"),
            },
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("parent__isnull", True)),
                fields=("kind", "code"),
                name="organisation_unique_code",
            ),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("parent__isnull", False)),
                fields=("kind", "parent", "code"),
                name="organisation_unique_code_in_parent",
            ),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(
                fields=["object_type", "object_id"], name="core_audite_object__83eb8a_idx"
            ),
        ),
    ]

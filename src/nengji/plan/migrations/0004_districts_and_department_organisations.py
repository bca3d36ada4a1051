# Data: each existing plan gets a district (an organisation of kind region, named after the plan's
# issuer; the next `plan load` gives it the package's district code and names); every existing
# department joins the district of the (then only) plan and becomes an organisation.

from django.db import migrations


def _district_name(issuer: str) -> str:
    return issuer.removesuffix("人民政府") or issuer


def forwards(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    Plan = apps.get_model("plan", "Plan")
    Department = apps.get_model("plan", "Department")
    first = None
    for plan in Plan.objects.order_by("id"):
        district = Organisation.objects.create(
            kind="region",
            code=f"plan-{plan.code}",
            name_zh=_district_name(plan.issuer_zh),
            name_en=plan.issuer_en,
        )
        plan.district_id = district.pk
        plan.save(update_fields=["district"])
        first = first or district
    if first is None and Department.objects.exists():
        first = Organisation.objects.create(kind="region", code="district", name_zh="（未指定）")
    for dept in Department.objects.order_by("id"):
        org = Organisation.objects.create(
            kind="department",
            parent_id=first.pk,
            code=dept.code,
            name_zh=dept.name_zh,
            name_en=dept.name_en,
            active=dept.active,
        )
        dept.district_id = first.pk
        dept.organisation_id = org.pk
        dept.save(update_fields=["district", "organisation"])


def backwards(apps, schema_editor):
    Plan = apps.get_model("plan", "Plan")
    Department = apps.get_model("plan", "Department")
    Plan.objects.update(district=None)
    Department.objects.update(district=None, organisation=None)


class Migration(migrations.Migration):
    dependencies = [
        ("plan", "0003_district_organisations_index_definition"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

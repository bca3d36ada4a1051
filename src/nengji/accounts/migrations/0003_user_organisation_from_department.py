# Data: a user's department becomes its organisation (the department's organisation row).

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Department = apps.get_model("plan", "Department")
    orgs = dict(Department.objects.values_list("id", "organisation_id"))
    for user in User.objects.exclude(department=None):
        user.organisation_id = orgs[user.department_id]
        user.save(update_fields=["organisation"])


def backwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Department = apps.get_model("plan", "Department")
    depts = dict(Department.objects.values_list("organisation_id", "id"))
    for user in User.objects.exclude(organisation=None):
        if user.organisation_id in depts:
            user.department_id = depts[user.organisation_id]
            user.save(update_fields=["department"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_organisation"),
        ("plan", "0004_districts_and_department_organisations"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

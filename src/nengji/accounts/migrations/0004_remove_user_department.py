# The department is now reached through the user's organisation (filled by 0003).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_organisation_from_department"),
    ]

    operations = [
        migrations.RemoveField(model_name="user", name="department"),
    ]

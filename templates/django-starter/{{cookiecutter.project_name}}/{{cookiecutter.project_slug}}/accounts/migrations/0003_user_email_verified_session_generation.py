from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def trust_existing_addresses(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Accounts made before email verification existed keep logging in."""
    User = apps.get_model("accounts", "User")
    User.objects.using(schema_editor.connection.alias).update(email_verified=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_email_ci_unique"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_verified",
            field=models.BooleanField(
                default=False,
                help_text="Whether the user followed the link sent to the address.",
                verbose_name="email address verified",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="session_generation",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(trust_existing_addresses, migrations.RunPython.noop),
    ]

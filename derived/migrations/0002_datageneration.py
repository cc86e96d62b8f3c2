import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    # The data generations move here from compliance (compliance 0008 copies the rows and
    # drops its table): they are infrastructure every app uses.
    dependencies = [
        ("derived", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=40, unique=True)),
                ("token", models.UUIDField(default=uuid.uuid4)),
            ],
        ),
    ]

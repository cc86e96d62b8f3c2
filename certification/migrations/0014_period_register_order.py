"""Each headline period carries its provider's name and whether it is archived, so the
register's pages in its order by status or valid-until are read from an index of the periods
(providers.register_order) instead of sorting every provider.

The copies are filled here from the providers, with the models as they are at this
migration; afterwards the periods' one writer (certification.headline_periods) writes them.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_provider_fields(apps, schema_editor):
    HeadlinePeriod = apps.get_model("certification", "HeadlinePeriod")
    TrainingProvider = apps.get_model("providers", "TrainingProvider")
    provider = TrainingProvider.objects.filter(pk=OuterRef("provider_id"))
    HeadlinePeriod.objects.update(
        provider_name=Subquery(provider.values("name")[:1]),
        provider_archived=Subquery(provider.values("is_archived")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0013_register_change"),
        ("providers", "0004_curriculum_description"),
    ]

    operations = [
        migrations.AddField(
            model_name="headlineperiod",
            name="provider_archived",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="headlineperiod",
            name="provider_name",
            field=models.CharField(default="", max_length=200),
        ),
        migrations.RunPython(copy_provider_fields, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="headlineperiod",
            index=models.Index(
                condition=models.Q(("provider_archived", False)),
                fields=["headline", "provider_name", "provider", "starts_on", "ends_on"],
                name="period_register_name_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="headlineperiod",
            index=models.Index(
                condition=models.Q(("provider_archived", False)),
                fields=[
                    "headline",
                    "valid_until",
                    "provider_name",
                    "provider",
                    "starts_on",
                    "ends_on",
                ],
                name="period_register_valid_idx",
            ),
        ),
    ]

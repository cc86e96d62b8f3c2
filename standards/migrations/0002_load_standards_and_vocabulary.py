"""Load the RRN Training Standards (first edition, v1.2) and the scope vocabulary."""

from django.db import migrations


def load(apps, schema_editor):
    from standards.loading import load_standards, load_vocabulary

    load_vocabulary(apps)
    load_standards(apps)


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

from django.db import migrations


def copy_tokens(source_app, target_app):
    """Copy the generations' tokens across, through the historical models only."""

    def copy(apps, schema_editor):
        source = apps.get_model(source_app, "DataGeneration")
        target = apps.get_model(target_app, "DataGeneration")
        db = schema_editor.connection.alias
        for name, token in source.objects.using(db).values_list("name", "token"):
            target.objects.using(db).update_or_create(name=name, defaults={"token": token})

    return copy


class Migration(migrations.Migration):
    # The data generations now live in derived (derived 0002), below every app: the tokens
    # kept content was stored under are carried over, so nothing kept is lost or reused wrongly.
    dependencies = [
        ("compliance", "0008_follower_link_secret"),
        ("derived", "0002_datageneration"),
    ]

    operations = [
        migrations.RunPython(
            copy_tokens("compliance", "derived"), copy_tokens("derived", "compliance")
        ),
        migrations.DeleteModel(name="DataGeneration"),
    ]

"""Followers' links sign a random per-follower secret instead of the address, and an address
follows a provider once whatever its case.

Existing followers each get their own secret (AddField would give them all one). Any two
followers of one provider whose addresses differ only in case become one (the confirmed
one, else the first), and addresses are stored lower-case, before the case-insensitive
constraint replaces the case-sensitive one. Uses only the historical models.
"""

import secrets

import django.db.models.functions.text
from django.db import migrations, models


def give_secrets_and_merge_cases(apps, schema_editor):
    # PostgreSQL checks the (deferred) foreign keys of the rows changed here at once, not at
    # the commit: otherwise adding the constraint after, in this transaction, is refused
    # ("pending trigger events").
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    ProviderFollower = apps.get_model("compliance", "ProviderFollower")
    kept = {}
    for follower in ProviderFollower.objects.order_by("pk"):
        key = (follower.provider_id, follower.email.lower())
        first = kept.get(key)
        if first is None:
            kept[key] = follower
        elif first.confirmed_at is None and follower.confirmed_at is not None:
            first.delete()
            kept[key] = follower
        else:
            follower.delete()
    for follower in kept.values():
        follower.email = follower.email.lower()
        follower.link_secret = secrets.token_urlsafe()
        follower.save(update_fields=["email", "link_secret"])
    if postgresql:
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0007_provider_followers"),
    ]

    operations = [
        migrations.AddField(
            model_name="providerfollower",
            name="link_secret",
            field=models.CharField(default=secrets.token_urlsafe, editable=False, max_length=43),
        ),
        migrations.RemoveConstraint(
            model_name="providerfollower",
            name="provider_follower_once_per_address",
        ),
        migrations.RunPython(give_secrets_and_merge_cases, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="providerfollower",
            constraint=models.UniqueConstraint(
                models.F("provider"),
                django.db.models.functions.text.Lower("email"),
                name="provider_follower_once_per_address_any_case",
                violation_error_message="This address already follows this provider.",
            ),
        ),
    ]

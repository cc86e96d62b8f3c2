"""The "Certification body staff" group and the model permissions it carries.

Membership of a body decides *which* records staff see (the admin's querysets); this group
decides *what kinds* of record they may view, add or change. Events and accreditation changes
are view-only for everyone; certifications are never deleted.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Certification body staff"

PERMISSIONS = {
    "certification": [
        "view_certification",
        "add_certification",
        "change_certification",
        "view_certificationevent",
        "view_certificationbody",
        "change_certificationbody",
        "view_accreditationchange",
        "view_certificationimport",
        "add_certificationimport",
    ],
    "providers": [
        "view_trainingprovider",
        "add_trainingprovider",
        "change_trainingprovider",
        "view_curriculum",
        "add_curriculum",
        "change_curriculum",
    ],
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, codenames in PERMISSIONS.items():
        permissions = Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        assert permissions.count() == len(codenames), (app_label, codenames)
        group.permissions.add(*permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("providers", "0001_initial"),
        ("certification", "0003_certification_import"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]

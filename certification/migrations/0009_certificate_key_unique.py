"""One certification per certificate number however it is written: the certificate key
(the number's letters and digits, in capitals; migration 0007) is unique among certifications.

Before, only the exact number was unique, so RRN-2024-0061 and RRN/2024/0061 could belong to
two certifications and the certificate check could answer for the wrong one. A register that
already holds such a pair stops here with the pairs named: which certification keeps the number
is the bodies' decision, not a migration's.
"""

from django.db import migrations, models
from django.db.models import Count


def refuse_duplicate_keys(apps, schema_editor):
    Certification = apps.get_model("certification", "Certification")
    clashes = (
        Certification.objects.exclude(certificate_key=None)
        .values("certificate_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("certificate_key", flat=True)
    )
    clashing = list(
        Certification.objects.filter(certificate_key__in=list(clashes))
        .order_by("certificate_key", "pk")
        .values_list("pk", "certificate_number")
    )
    if clashing:
        listed = ", ".join(f"#{pk} {number}" for pk, number in clashing)
        raise RuntimeError(
            "Certifications hold the same certificate number written differently: "
            f"{listed}. Correct all but one (a status move to working towards clears a "
            "number), then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0008_certification_corrections"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicate_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="certification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("certificate_key__isnull", False)),
                fields=("certificate_key",),
                name="certification_certificate_key_unique",
                violation_error_message=(
                    "Another certification already has this certificate number"
                ),
            ),
        ),
    ]

"""Certificate numbers as people type them, and the key the register looks them up by.

A number is stored as the body gave it, tidied (`normalise_certificate_number`: capitals, no
spaces), e.g. RRN-2024-0061. People type it as "rrn 2024 0061", "RRN/2024/0061" or
"rrn.2024.0061": case and separators do not matter. `certificate_key` is the number with only
its letters and digits, in capitals (RRN20240061); it is stored beside the number
(`CertificateKeyField`, indexed), so a lookup by key stays one indexed lookup.
"""

from django.db import models

# The register's real format, shown as the hint on the certificate check.
EXAMPLE_CERTIFICATE_NUMBER = "RRN-2024-0061"


def normalise_certificate_number(number):
    """The number as stored: without case or spaces (' rrn-0001 ' is 'RRN-0001')."""
    if number is None:
        return None
    return "".join(str(number).split()).upper() or None


def certificate_key(number):
    """The number without case or separators: letters and digits only ('RRN20240061').

    Migration 0007 holds a copy of this rule (migrations never import live code): change both
    together, with a migration that recomputes the stored keys."""
    if number is None:
        return None
    return "".join(ch for ch in str(number).upper() if ch.isalnum()) or None


class CertificateKeyField(models.CharField):
    """`certificate_key(<source field>)`, worked out on every save and bulk_create (both call
    pre_save), so no write path can leave it out of step with the number."""

    def __init__(self, *args, source="certificate_number", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        # Migrations see a plain CharField: they must not depend on this module.
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs

    def pre_save(self, model_instance, add):
        value = certificate_key(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value

import uuid

from django.db import models


class DerivedVersion(models.Model):
    """The version of the code that computed one kind of stored derived data, as a whole
    (e.g. every provider's headline periods). One row per kind: a kind whose recorded version
    differs from the code's is rebuilt, all of it, after `migrate` (derived.versions)."""

    name = models.CharField(max_length=40, unique=True)
    version = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.name} computed by {self.version}"


class DataGeneration(models.Model):
    """A token that changes whenever a watched record is written, so that work derived from
    those records (rendered pages, counts) can be reused until then
    (derived.generation). One row per name, `register` and `compliance`; the token is
    random, so a rolled-back write never brings back a token another state of the data had."""

    name = models.CharField(max_length=40, unique=True)
    token = models.UUIDField(default=uuid.uuid4)

    def __str__(self):
        return f"{self.name}: {self.token}"

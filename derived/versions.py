"""Which version of the rules computed the stored derived data, and rebuilding what is stale.

Each kind of stored derived data registers a `Kind`: a name, the version of the code that
computes it (`source_version` of its rule modules: any edit to them is a new version, so
nobody has to remember to bump a number) and the function that rebuilds all of it. After
`migrate` (post_migrate, connected in certification.apps for the headline periods) every kind
whose recorded version differs from the code's is rebuilt and recorded, in one transaction,
so a deploy never serves data computed by older rules, and nobody has to remember a command.
"""

import hashlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class Kind:
    name: str
    version: str
    rebuild: Callable[[], None]


_kinds = {}  # name -> Kind, each registered by the app that stores it


def register(kind):
    """`kind` is stored derived data that `rebuild_every_stale` keeps up to date."""
    _kinds[kind.name] = kind


def rebuild_every_stale(using="default"):
    """Rebuild every registered kind not computed by today's code (after a restore brought
    back what an older release stored). The names of those rebuilt."""
    return [kind.name for kind in list(_kinds.values()) if rebuild_if_stale(kind, using)]


def source_version(*module_names):
    """A hash of these modules' source files."""
    digest = hashlib.sha256()
    for name in module_names:
        origin = importlib.util.find_spec(name).origin
        with open(origin, "rb") as f:
            digest.update(name.encode() + b"\0" + f.read() + b"\0")
    return digest.hexdigest()[:32]


def recorded(name, using="default"):
    from .models import DerivedVersion

    return (
        DerivedVersion.objects.using(using)
        .filter(name=name)
        .values_list("version", flat=True)
        .first()
    )


def record(name, version, using="default"):
    from .models import DerivedVersion

    DerivedVersion.objects.using(using).update_or_create(name=name, defaults={"version": version})


def rebuild_and_record(kind, using="default"):
    """Rebuild all of `kind` and record that today's code computed it, atomically."""
    with transaction.atomic(using=using):
        kind.rebuild()
        record(kind.name, kind.version, using)


def rebuild_if_stale(kind, using="default"):
    """Rebuild `kind` when the stored data was computed by another version. True if it did."""
    if recorded(kind.name, using) == kind.version:
        return False
    rebuild_and_record(kind, using)
    return True


def fully_migrated(connection):
    """Whether every migration is applied (a `migrate` to an earlier target leaves tables
    the rebuild needs missing)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())

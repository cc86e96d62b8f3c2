"""How long the writes that could grow with the register take inside their request (issue 15
item 4): recording an accreditation change of a body with over 10,000 certifications, and
confirming a CSV import at its cap (IMPORT_MAX_ROWS new certifications). bench/README.md
§ Writes inside a request records the figures; gunicorn's request timeout is 30 s
(config/gunicorn.conf.py).

    createdb -h 127.0.0.1 -U postgres request_work
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/request_work \\
        .venv/bin/python bench/request_work.py [--providers 15000]

It migrates and fills the database it is given (compliance.load_data, with two of its three
bodies' shares given to one body), so give it one of its own.
"""

import argparse
import csv
import datetime as dt
import io
import os
import sys
import time
from pathlib import Path
from unittest import mock

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from certification import importing  # noqa: E402
from certification.models import Certification, CertificationBody, HeadlinePeriod  # noqa: E402
from certification.services import record_accreditation_change  # noqa: E402
from certification.statuses import AccreditationStatus  # noqa: E402
from compliance import load_data  # noqa: E402
from derived import writer  # noqa: E402


def timed(what, work):
    rebuilt = set()
    rebuild = writer._writers[writer.PERIODS]

    def counting(keys):
        rebuilt.update(keys)
        rebuild(keys)

    with (
        mock.patch.dict(writer._writers, {writer.PERIODS: counting}),
        CaptureQueriesContext(connection) as queries,
    ):
        started = time.perf_counter()
        work()
        seconds = time.perf_counter() - started
    print(
        f"{what}: {seconds:.2f} s, {len(queries)} queries, "
        f"{len(rebuilt)} providers' periods rebuilt"
    )


def import_file(rows):
    out = io.StringIO()
    sheet = csv.writer(out)
    sheet.writerow(importing.COLUMNS)
    for n in range(rows):
        sheet.writerow(
            [
                f"Imported Provider {n}",
                "",
                "commercial",
                "north-west",
                f"IMP-{n:06d}",
                "certified",
                "2025-01-01",
                "2028-01-01",
                "",
                "",
                "learning-disability; autism",
                "health",
                "north-west",
                "",
            ]
        )
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--providers", type=int, default=15_000)
    args = parser.parse_args()
    print(f"database: {connection.vendor}, {args.providers:,} generated providers")
    call_command("migrate", verbosity=0)
    bodies = load_data._bodies()
    big = bodies[0]
    started = time.perf_counter()
    with mock.patch.object(load_data, "_bodies", lambda: [big, big, bodies[1]]):
        load_data.generate(args.providers)
    print(f"generated in {time.perf_counter() - started:.0f} s")
    print(
        f"body {big.name}: {Certification.objects.filter(body=big).count():,} certifications; "
        f"{HeadlinePeriod.objects.filter(embeds_accreditation=True).count():,} of "
        f"{HeadlinePeriod.objects.count():,} periods have the accreditation worked in"
    )
    today = dt.date.today()
    timed(
        "accreditation change of that body, from today",
        lambda: record_accreditation_change(
            big, AccreditationStatus.SUSPENDED, effective_date=today
        ),
    )
    timed(
        "accreditation change of that body, from a year ago",
        lambda: record_accreditation_change(
            big, AccreditationStatus.ACCREDITED, effective_date=today - dt.timedelta(days=365)
        ),
    )
    user, _ = User.objects.get_or_create(email="request-work@example.org")
    text = import_file(settings.IMPORT_MAX_ROWS)
    body = CertificationBody.objects.get(pk=bodies[1].pk)

    def confirm():  # what the confirming request does: plan the stored file again, apply it
        importer = importing.Importer(body, user)
        plan = importer.plan(text)
        assert plan.is_valid, plan.errors[:3]
        importer.apply(plan)

    timed(f"import confirmed at the cap ({settings.IMPORT_MAX_ROWS:,} new rows)", confirm)


if __name__ == "__main__":
    main()

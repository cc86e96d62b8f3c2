"""Proof that derived data cannot be stale (issue 15 item 6): a Hypothesis state machine makes
random sequences of writes through every write path, each committed on its own (a
transactional test, real commits), and after every one checks that

- the stored headline periods are what today's rules work out from the base records, afresh;
- each public page (the register and its filters, every provider's page, the certificate
  check) served with everything kept is the same HTML as a fresh render with every cache off
  (CSRF tokens and CSP nonces, different on every response, left out);
- the exports (CSV and JSON) hold the same rows, each with the status the verdict works out
  from the base records today, and as many as the register counts.

The write paths: the service functions (register, status moves with new certificates and
dates, ordinary edits), the admin (a body's staff: status moves, the change form's scope and
dates; a site administrator: UKAS accreditation changes, correcting a certification's
provider), the admin's CSV import (upload, preview, confirm), and a training provider's staff
editing its public details. Contracts and arrangements are not among them: the public pages and
exports read none of their records (derived.generation keeps them apart, under COMPLIANCE).
"""

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Max
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from certification import importing
from certification.headline_periods import headline_periods
from certification.models import Certification, HeadlinePeriod
from certification.services import (
    Certificate,
    move_certification,
    save_certification_edit,
)
from certification.staff import add_body_staff
from certification.statuses import ALLOWED_MOVES, AccreditationStatus, Status
from providers.models import TrainingProvider
from providers.querysets import HEADLINE_SLUGS
from standards.loading import load_standards, load_vocabulary
from standards.models import Region
from tests.caches_off import nothing_kept
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    MembershipFactory,
    TrainingProviderFactory,
    UserFactory,
)
from tests.form_dates import date_fields

# Served with content kept: DEBUG off (pages.content_cache keeps nothing in development).
pytestmark = [pytest.mark.django_db(transaction=True)]

REGISTER_ADDRESSES = [
    "/providers/",
    "/providers/?status=suspended&status=certified",
    "/providers/?ukas_valid=on&sort=-name",
    "/providers/?region=london",
    # Read from the periods' index (providers.register_order).
    "/providers/?sort=status",
    "/providers/?status=certified&sort=valid_until",
]
# Different in every response, whatever the data: not part of what is compared.
PER_RESPONSE = re.compile(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"')
COUNT = re.compile(r'id="result-count"[^>]*>\s*([\d,]+) training provider')
REASON = "Stateful test"


def _text(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _last_effective(certification):
    return certification.events.aggregate(last=Max("effective_date"))["last"]


def _date_post(name, value):
    """A date as the admin's form takes it, a single input or GOV.UK's three."""
    return {name: value.isoformat(), **date_fields(name, value)}


def _admin_form_data(response):
    """What the browser posts back from an admin change form: its current values."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, dt.date):
            data |= _date_post(name, value)
        else:
            data[name] = str(value)
    for formset in response.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


class EveryWritePath(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each example starts from empty tables, as a deploy's first day would.
        call_command("flush", interactive=False, verbosity=0)
        cache.clear()
        load_vocabulary(apps)
        load_standards(apps)
        self.today = timezone.localdate()
        self.bodies = CertificationBodyFactory.create_batch(2)
        self.certifier = add_body_staff(UserFactory(), self.bodies[0])
        self.superuser = UserFactory(is_staff=True, is_superuser=True)
        self.provider_staff_of = None
        CertificationFactory(body=self.bodies[0], provider__name="First Provider")
        CertificationFactory(body=self.bodies[1], status=Status.WORKING_TOWARDS)
        self.visitor = Client()
        self.clients = {}
        self.imports = 0
        # The providers the last write was about: their pages are compared (with the first
        # provider's, kept across every write, and the register's pages, which show them all).
        self.touched = set()

    def client_for(self, user):
        if user.pk not in self.clients:
            self.clients[user.pk] = Client()
            self.clients[user.pk].force_login(user)
        return self.clients[user.pk]

    def certification(self, index, body=None):
        certifications = Certification.objects.order_by("pk")
        if body is not None:
            certifications = certifications.filter(body=body)
        certifications = list(certifications)
        if not certifications:
            return None
        chosen = certifications[index % len(certifications)]
        self.touched.add(chosen.provider_id)
        return chosen

    def touch_newest(self):
        self.touched.add(Certification.objects.latest("pk").provider_id)

    def new_certificate(self, certification, days):
        return Certificate(
            f"SM-{certification.pk}-{days}",
            self.today - dt.timedelta(days=days),
            self.today + dt.timedelta(days=400 - days),
        )

    # -- the service functions --------------------------------------------------------

    @rule(body=st.integers(0, 1), certified=st.booleans())
    def register_a_certification(self, body, certified):
        CertificationFactory(
            body=self.bodies[body],
            status=Status.CERTIFIED if certified else Status.WORKING_TOWARDS,
            certified_on=self.today - dt.timedelta(days=30),
            valid_until=self.today + dt.timedelta(days=60),
        )
        self.touch_newest()

    @rule(index=st.integers(0, 20), to_status=st.sampled_from(list(Status)), days=st.integers(0, 5))
    def move_through_the_service(self, index, to_status, days):
        certification = self.certification(index)
        if to_status not in ALLOWED_MOVES[certification.status]:
            return
        certificate = None
        if to_status == Status.CERTIFIED:
            certificate = self.new_certificate(certification, days)
        effective = max(self.today - dt.timedelta(days=days), _last_effective(certification))
        move_certification(
            certification,
            to_status,
            effective_date=effective,
            reason=REASON,
            certificate=certificate,
            expected_version=certification.version,
        )

    @rule(index=st.integers(0, 20), days=st.integers(1, 900))
    def edit_through_the_service(self, index, days):
        certification = self.certification(index)
        save_certification_edit(
            certification,
            expected_version=certification.version,
            registered_on=self.today - dt.timedelta(days=days),
        )
        certification.regions.set(Region.objects.order_by("?")[: days % 3])

    # -- the admin --------------------------------------------------------------------

    @rule(index=st.integers(0, 20), to_status=st.sampled_from(list(Status)))
    def move_in_the_admin(self, index, to_status):
        certification = self.certification(index, body=self.bodies[0])
        if certification is None or to_status not in ALLOWED_MOVES[certification.status]:
            return
        data = {
            "to_status": to_status,
            "reason": REASON,
            "version": certification.version,
            **_date_post("effective_date", max(self.today, _last_effective(certification))),
        }
        if to_status == Status.CERTIFIED:
            certificate = self.new_certificate(certification, 1)
            data |= {"certificate_number": certificate.number}
            data |= _date_post("certified_on", certificate.certified_on)
            data |= _date_post("valid_until", certificate.valid_until)
        url = reverse("admin:certification_certification_change_status", args=[certification.pk])
        response = self.client_for(self.certifier).post(url, data)
        assert response.status_code == 302, response.context and response.context["form"].errors

    @rule(index=st.integers(0, 20), regions=st.integers(0, 3), archived=st.booleans())
    def edit_in_the_admin(self, index, regions, archived):
        certification = self.certification(index, body=self.bodies[0])
        if certification is None:
            return
        client = self.client_for(self.certifier)
        url = reverse("admin:certification_certification_change", args=[certification.pk])
        data = _admin_form_data(client.get(url))
        data["regions"] = [
            str(pk) for pk in Region.objects.order_by("pk")[:regions].values_list("pk", flat=True)
        ]
        data.pop("is_archived", None)
        if archived:
            data["is_archived"] = "on"
        data |= _date_post("registered_on", self.today - dt.timedelta(days=regions + 1))
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors

    @rule(body=st.integers(0, 1), status=st.sampled_from(list(AccreditationStatus)))
    def change_accreditation_in_the_admin(self, body, status):
        data = {"body": self.bodies[body].pk, "status": status, "note": REASON}
        data |= _date_post("effective_date", self.today)
        url = reverse("admin:certification_accreditationchange_add")
        response = self.client_for(self.superuser).post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        body_providers = Certification.objects.filter(body=self.bodies[body])
        self.touched.update(body_providers.values_list("provider_id", flat=True)[:3])

    @rule(index=st.integers(0, 20))
    def correct_the_provider_as_site_administrator(self, index):
        certification = self.certification(index)
        target = TrainingProviderFactory(name="Corrected Provider")
        self.touched.add(target.pk)
        url = reverse("admin:certification_certification_correct", args=[certification.pk])
        data = {
            "provider": target.pk,
            "body": certification.body_id,
            "reason": REASON,
            "version": certification.version,
        }
        response = self.client_for(self.superuser).post(url, data)
        assert response.status_code in (200, 302)  # 200: refused with a reason (its curricula)

    @rule(
        index=st.integers(0, 20),
        name=st.sampled_from(["Aardvark", "Zebra"]),
        archived=st.booleans(),
    )
    def rename_or_archive_the_provider_in_the_admin(self, index, name, archived):
        provider = self.certification(index).provider
        url = reverse("admin:providers_trainingprovider_change", args=[provider.pk])
        client = self.client_for(self.superuser)
        data = _admin_form_data(client.get(url))
        data["name"] = f"{name} Training {provider.pk}"
        data.pop("is_archived", None)
        if archived:
            data["is_archived"] = "on"
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors

    @rule(status=st.sampled_from([Status.CERTIFIED, Status.WORKING_TOWARDS]))
    def import_a_csv_in_the_admin(self, status):
        self.imports += 1
        n = self.imports
        row = {
            "provider_name": f"Imported Provider {n}",
            "provider_registration_number": f"SMI{n:05d}",
            "provider_kind": "commercial",
            "provider_region": "london",
            "status": status,
            "regions": "london; south-east",
        }
        if status == Status.CERTIFIED:
            row |= {
                "certificate_number": f"SMI-{n:05d}",
                "certified_on": (self.today - dt.timedelta(days=10)).isoformat(),
                "valid_until": (self.today + dt.timedelta(days=300)).isoformat(),
            }
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(importing.COLUMNS)
        writer.writerow([row.get(column, "") for column in importing.COLUMNS])
        client = self.client_for(self.certifier)
        upload = client.post(
            reverse("admin:certification_certification_import"),
            {
                "body": self.bodies[0].pk,
                "file": SimpleUploadedFile("import.csv", out.getvalue().encode(), "text/csv"),
            },
        )
        assert upload.status_code == 302, upload.context["form"].errors
        preview = client.get(upload["Location"])
        confirmed = client.post(upload["Location"], {"digest": preview.context["digest"]})
        assert confirmed.status_code == 302
        self.touch_newest()

    # -- a training provider's own staff ----------------------------------------------

    @rule(index=st.integers(0, 20), words=st.sampled_from(["Calm", "Safe", "Kind"]))
    def edit_public_details_as_provider_staff(self, index, words):
        provider = self.certification(index).provider
        staff = MembershipFactory.of(provider).user
        client = self.client_for(staff)
        url = reverse("providers:manage", args=[provider.slug])
        response = client.post(
            url,
            {
                "provider-email": "office@example.org",
                "provider-phone": "0161 496 0000",
                "provider-website": "https://example.org",
                "provider-description": f"{words} training, edited by its staff.",
                "curricula-TOTAL_FORMS": "0",
                "curricula-INITIAL_FORMS": "0",
            },
        )
        if provider.is_archived:
            assert response.status_code == 404  # off the register: its staff edit it no more
            return
        assert response.status_code == 302, response.context["form"].errors

    # -- after every commit -----------------------------------------------------------

    @invariant()
    def derived_data_is_fresh(self):
        self.stored_periods_are_what_the_records_say()
        count = self.served_pages_are_fresh_renders()
        self.exports_agree_with_the_register(count)

    def stored_periods_are_what_the_records_say(self):
        stored = {}
        for period in HeadlinePeriod.objects.order_by("provider_id", "starts_on"):
            stored.setdefault(period.provider_id, []).append(
                (
                    period.starts_on,
                    period.ends_on,
                    period.headline,
                    period.label,
                    period.provider_name,
                    period.provider_archived,
                )
            )
        fresh = {}
        for provider in TrainingProvider.objects.with_verdict_data():
            copies = (provider.name, provider.is_archived)  # what the register's order reads
            periods = [
                (s, e, shown[0], shown[1], *copies)
                for s, e, _embeds, shown in headline_periods(provider)
            ]
            if periods:
                fresh[provider.pk] = periods
        assert stored == fresh

    def addresses(self):
        first = TrainingProvider.objects.order_by("pk").values_list("pk", flat=True)[:1]
        shown = self.touched | set(first)
        self.touched = set()
        providers = TrainingProvider.objects.active().filter(pk__in=shown).order_by("pk")
        numbers = Certification.objects.filter(provider__in=shown).exclude(certificate_number=None)
        return [
            *REGISTER_ADDRESSES,
            *(provider.get_absolute_url() for provider in providers),
            *(
                f"/certificates/check/?number={n}"
                for n in numbers.values_list("certificate_number", flat=True)
            ),
            "/certificates/check/?number=SM-NOT-ISSUED",
        ]

    def pages(self, addresses):
        pages = {}
        for address in addresses:
            response = self.visitor.get(address)
            pages[address] = (response.status_code, PER_RESPONSE.sub("", _text(response)))
        return pages

    def served_pages_are_fresh_renders(self):
        """The register's count, as served."""
        addresses = self.addresses()
        served = self.pages(addresses)  # kept content, counts and lists where kept before
        with nothing_kept():
            fresh = self.pages(addresses)
        for address in addresses:
            assert served[address] == fresh[address], address
        return int(COUNT.search(served["/providers/"][1]).group(1).replace(",", ""))

    def exports_agree_with_the_register(self, register_count):
        rows = json.loads(_text(self.visitor.get(reverse("providers:export_json"))))
        table = list(csv.DictReader(io.StringIO(_text(self.visitor.get("/providers/export.csv")))))
        assert [row["slug"] for row in table] == [row["slug"] for row in rows]
        assert [row["status"] for row in table] == [row["status"] for row in rows]
        worked_out = {
            provider.slug: HEADLINE_SLUGS[provider.headline(self.today).kind]
            for provider in TrainingProvider.objects.active().with_verdict_data()
        }
        assert {row["slug"]: row["status"] for row in rows} == worked_out
        assert register_count == len(rows)


def test_every_write_path_leaves_derived_data_fresh():
    run_state_machine_as_test(
        EveryWritePath,
        settings=settings(
            max_examples=15,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )

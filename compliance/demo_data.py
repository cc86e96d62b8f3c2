"""Fictional but realistic demo data for `manage.py seed_demo`.

Every name is invented. Histories are written through the certification services, so the
demo register obeys the same rules as real records. A fixed seed makes it the same each time.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Membership, Role, User
from certification.models import Certification, CertificationBody
from certification.services import (
    Certificate,
    move_certification,
    record_accreditation_change,
    register_certification,
)
from certification.staff import add_body_staff
from certification.statuses import AccreditationStatus, Status
from compliance.checks import record_check
from compliance.models import (
    Commissioner,
    ComplianceCheck,
    Contract,
    ServiceProvider,
    TrainingArrangement,
)
from providers.models import Curriculum, TrainingProvider
from standards.models import Population, Region, Setting, SpecialistContent, StandardsEdition

DEMO_PASSWORD = "register-demo-2026"
FIRST_BODY_SLUG = "restraint-standards-certification"

BODIES = [
    ("Restraint Standards Certification", FIRST_BODY_SLUG, "8101", None),
    ("Northern Training Assurance", "northern-training-assurance", "8102", None),
    ("Care Practice Certification Ltd", "care-practice-certification", "8103", "suspended"),
]
FIRST_WORDS = [
    "Calm",
    "Safe",
    "Positive",
    "Bright",
    "Steady",
    "Kind",
    "Open",
    "Clear",
    "Willow",
    "Harbour",
    "Beacon",
    "Compass",
    "Riverside",
    "Oak",
    "Meadow",
    "Northgate",
    "Summit",
    "Haven",
    "Keystone",
    "Lantern",
    "Pathway",
    "Evergreen",
    "Bridge",
    "Horizon",
    "Cedar",
]
SECOND_WORDS = [
    "Approaches",
    "Practice",
    "Support",
    "Care Training",
    "Behaviour Training",
    "Skills",
    "Learning",
]
TOWNS_BY_REGION = {
    "north-east": ["Newcastle upon Tyne", "Sunderland", "Durham"],
    "north-west": ["Manchester", "Liverpool", "Preston"],
    "yorkshire-and-the-humber": ["Leeds", "Sheffield", "Hull"],
    "east-midlands": ["Nottingham", "Leicester", "Derby"],
    "west-midlands": ["Birmingham", "Coventry", "Wolverhampton"],
    "east-of-england": ["Norwich", "Cambridge", "Ipswich"],
    "london": ["Camden", "Croydon", "Hackney"],
    "south-east": ["Brighton", "Reading", "Canterbury"],
    "south-west": ["Bristol", "Exeter", "Plymouth"],
    "wales": ["Cardiff", "Swansea"],
    "scotland": ["Glasgow", "Edinburgh"],
    "northern-ireland": ["Belfast", "Derry"],
}
POSTCODE_AREAS = {
    "north-east": "NE", "north-west": "M", "yorkshire-and-the-humber": "LS", "east-midlands": "NG",
    "west-midlands": "B", "east-of-england": "NR", "london": "NW", "south-east": "BN",
    "south-west": "BS", "wales": "CF", "scotland": "G", "northern-ireland": "BT",
}  # fmt: skip
# How the 150 providers' certifications are spread: (status, how many).
STATUS_PLAN = [
    (Status.CERTIFIED, 88),
    ("ending_soon", 10),
    ("affiliate", 12),
    (Status.WORKING_TOWARDS, 12),
    (Status.SUSPENDED, 8),
    (Status.EXPIRED, 8),
    (Status.WITHDRAWN, 6),
    (None, 6),
]


def is_seeded():
    return CertificationBody.objects.filter(slug=FIRST_BODY_SLUG).exists()


class DemoBuilder:
    def __init__(self, today=None, report=None):
        self.today = today or timezone.localdate()
        # Says what the builder is doing (seed_demo prints it): the build takes a while.
        self.report = report or (lambda message: None)
        self.rng = random.Random(2026)
        self.edition = StandardsEdition.objects.get(is_current=True)
        self.regions = list(Region.objects.order_by("order"))
        self.populations = list(Population.objects.all())
        self.settings = list(Setting.objects.all())
        self.content = list(SpecialistContent.objects.all())
        self.admin = None
        self.number = 0

    def days_ago(self, days):
        return self.today - dt.timedelta(days=days)

    # --- people ---------------------------------------------------------------------------
    def user(self, email, full_name, **extra):
        return User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name, **extra)

    # --- register -------------------------------------------------------------------------
    def bodies(self):
        bodies = []
        for name, slug, ukas, sanction in BODIES:
            body = CertificationBody.objects.create(
                name=name,
                slug=slug,
                ukas_number=ukas,
                schedule_url=f"https://www.example.org/ukas/schedules/{ukas}.pdf",
                website=f"https://{slug}.example.org/",
                last_verified_on=self.days_ago(14),
            )
            record_accreditation_change(
                body,
                AccreditationStatus.ACCREDITED,
                effective_date=dt.date(2019, 9, 1),
                note="Accredited to ISO/IEC 17065:2012 for the RRN Training Standards.",
                recorded_by=self.admin,
            )
            if sanction:
                record_accreditation_change(
                    body,
                    AccreditationStatus.SUSPENDED,
                    effective_date=self.days_ago(20),
                    note="UKAS suspended accreditation pending corrective action.",
                    recorded_by=self.admin,
                )
            bodies.append(body)
        return bodies

    def provider(self, index):
        region = self.regions[index % len(self.regions)]
        kind = [
            TrainingProvider.Kind.COMMERCIAL,
            TrainingProvider.Kind.COMMERCIAL,
            TrainingProvider.Kind.IN_HOUSE,
            TrainingProvider.Kind.CONSORTIUM,
        ][index % 4]
        first = FIRST_WORDS[index % len(FIRST_WORDS)]
        second = SECOND_WORDS[(index // len(FIRST_WORDS)) % len(SECOND_WORDS)]
        name = {
            TrainingProvider.Kind.IN_HOUSE: f"{first} NHS Foundation Trust {second}",
            TrainingProvider.Kind.CONSORTIUM: f"{first} {second} Consortium",
        }.get(kind, f"{first} {second} Ltd")
        town = self.rng.choice(TOWNS_BY_REGION[region.slug])
        provider = TrainingProvider.objects.create(
            name=name,
            slug=slugify(name),
            kind=kind,
            registration_number=f"{10000000 + index * 7919}",
            website=f"https://{slugify(name)}.example.org/",
            email=f"training@{slugify(name)}.example.org",
            phone=f"0{self.rng.randint(1000, 9999)} {self.rng.randint(100000, 999999)}",
            address=f"{self.rng.randint(1, 200)} High Street",
            town=town,
            postcode=f"{POSTCODE_AREAS[region.slug]}{self.rng.randint(1, 20)} "
            f"{self.rng.randint(1, 9)}{self.rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            f"{self.rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
            region=region,
            description=f"{name} trains staff in preventing and reducing restrictive practice.",
        )
        provider.regions_served.set([region, *self.rng.sample(self.regions, 2)])
        curriculum = Curriculum.objects.create(
            provider=provider, name=f"{first} Positive Behaviour Support"
        )
        curriculum.populations.set(self.rng.sample(self.populations, 3))
        curriculum.settings.set(self.rng.sample(self.settings, 2))
        curriculum.specialist_content.set(self.content[:2])
        return provider, curriculum

    def certificate(self, valid_until=None):
        self.number += 1
        certified_on = self.days_ago(self.rng.randint(120, 900))
        valid_until = valid_until or certified_on + dt.timedelta(days=3 * 365)
        return Certificate(
            f"RRN-{2019 + self.number % 7}-{self.number:04d}", certified_on, valid_until
        )

    def certify(self, provider, curriculum, body, status, parent=None, certificate=None):
        """Register a certification and move it to `status` with a plausible history."""
        base = {
            "provider": provider,
            "body": body,
            "standards_edition": self.edition,
            "recorded_by": self.admin,
            "today": self.today,
        }
        if status == Status.WORKING_TOWARDS:
            return register_certification(
                **base,
                effective_date=self.days_ago(self.rng.randint(30, 300)),
                reason="Application accepted; assessment under way.",
            )
        certificate = certificate or self.certificate()
        applied = certificate.certified_on - dt.timedelta(days=330)
        certification = register_certification(
            **base,
            effective_date=applied,
            reason="Application accepted; assessment under way.",
            role=Certification.Role.AFFILIATE if parent else Certification.Role.CERTIFIED_SERVICE,
            parent=parent,
            registered_on=applied,
        )
        move_certification(
            certification,
            Status.CERTIFIED,
            effective_date=certificate.certified_on,
            reason="Assessment completed: meets the RRN Training Standards.",
            certificate=certificate,
            recorded_by=self.admin,
            today=self.today,
        )
        certification.populations.set(
            [*self.populations[:2], *self.rng.sample(self.populations[2:], 2)]
        )
        certification.settings.set([self.settings[1], *self.rng.sample(self.settings, 1)])
        certification.regions.set(provider.regions_served.all())
        certification.curricula.set([curriculum])
        certification.specialist_content.set(self.content[:2])
        later = {
            Status.SUSPENDED: "Surveillance visit found trainers delivering unapproved holds.",
            Status.WITHDRAWN: "Provider withdrew from certification.",
            Status.EXPIRED: "Reached its end date without renewal.",
        }
        if status in later:
            when = (
                certificate.valid_until + dt.timedelta(days=1)
                if status == Status.EXPIRED
                else self.days_ago(self.rng.randint(5, 60))
            )
            move_certification(
                certification,
                status,
                effective_date=when,
                reason=later[status],
                recorded_by=self.admin,
                today=self.today,
            )
        return certification

    def register(self, bodies):
        plan = [status for status, count in STATUS_PLAN for _ in range(count)]
        providers, certified = [], []
        for index, status in enumerate(plan):
            provider, curriculum = self.provider(index)
            providers.append(provider)
            body = bodies[index % 3] if status != "affiliate" else None
            if status is None:
                continue
            if status == "affiliate":
                parent = certified[index % len(certified)]
                self.certify(provider, curriculum, parent.body, Status.CERTIFIED, parent=parent)
            elif status == "ending_soon":
                self.certify(
                    provider,
                    curriculum,
                    bodies[index % 2],
                    Status.CERTIFIED,
                    certificate=self.certificate(self.today + dt.timedelta(days=15 + index % 40)),
                )
            elif status == Status.EXPIRED:
                certificate = self.certificate(self.days_ago(self.rng.randint(10, 200)))
                certificate = Certificate(
                    certificate.number,
                    certificate.valid_until - dt.timedelta(days=3 * 365),
                    certificate.valid_until,
                )
                self.certify(provider, curriculum, body, status, certificate=certificate)
            else:
                certification = self.certify(provider, curriculum, body, status)
                if status == Status.CERTIFIED and body.slug != "care-practice-certification":
                    certified.append(certification)
        return providers

    # --- services and commissioners ---------------------------------------------------------
    def services(self, providers):
        by_status = {}
        for provider in TrainingProvider.objects.prefetch_related("certifications__body"):
            certifications = list(provider.certifications.all())
            key = "none"
            if certifications:
                c = certifications[0]
                key = c.status
                if c.status == Status.CERTIFIED and c.body.slug == "care-practice-certification":
                    key = "body_suspended"
                elif c.status == Status.CERTIFIED and (c.valid_until - self.today).days <= 60:
                    key = "ending_soon"
                elif c.status == Status.CERTIFIED and c.role == Certification.Role.AFFILIATE:
                    key = "affiliate"
            by_status.setdefault(key, []).append(provider)
        sectors = list(ServiceProvider.Sector)
        services = []
        for index in range(20):
            region = self.regions[index % 9]
            name = f"{FIRST_WORDS[(index * 3) % len(FIRST_WORDS)]} " + [
                "House Care Home", "Community Hospital", "Lodge Supported Living",
                "Academy", "Mental Health Unit",
            ][index % 5]  # fmt: skip
            service = ServiceProvider.objects.create(
                name=name,
                slug=slugify(name),
                cqc_location_id=f"1-{100000000 + index * 7331}",
                sector=sectors[index % len(sectors)],
                region=region,
                town=TOWNS_BY_REGION[region.slug][0],
            )
            service.populations.set(self.populations[:2])
            service.settings.set([self.settings[1]])
            services.append(service)
        first = services[0]
        plans = [
            [("certified", True), ("suspended", False), ("ending_soon", False),
             ("body_suspended", False)],
        ] + [
            [(self.rng.choice(["certified", "certified", "certified", "ending_soon",
                               "working_towards", "expired", "withdrawn", "affiliate"]),
              self.rng.random() < 0.7)
             for _ in range(self.rng.randint(1, 3))]
            for _ in services[1:]
        ]  # fmt: skip
        for service, plan in zip(services, plans, strict=True):
            used = set()
            for key, checked in plan:
                choices = [p for p in by_status.get(key, []) if p.pk not in used]
                if not choices:
                    continue
                provider = self.rng.choice(choices)
                used.add(provider.pk)
                arrangement = TrainingArrangement.objects.create(
                    service_provider=service,
                    training_provider=provider,
                    route=TrainingArrangement.Route.BOUGHT_IN,
                    starts_on=self.days_ago(400),
                )
                arrangement.specialist_content.set(self.content[:1])
                if checked:
                    record_check(
                        arrangement=arrangement,
                        checked_by=self.care_user if service == first else self.admin,
                        checked_on=self.days_ago(self.rng.randint(10, 120)),
                        scope_covers_populations=True,
                        scope_covers_settings=True,
                        scope_covers_content=True,
                        evidence="Certificate copy and the register entry.",
                        outcome=ComplianceCheck.Outcome.COMPLIANT,
                        next_review_due=self.today + dt.timedelta(days=300),
                    )
        return services

    def commissioners(self, services, deciders):
        """The commissioners and their contracts, confirmed by the services (by their demo
        staff in `deciders`, or the site administrator for services without any), so that
        the overviews show the services' records. One claim is left for care@example.org to
        answer (from Riverside Borough Council), and one was declined (by a service
        Northshire County Council named by mistake), to show both on the pages."""
        names = [
            ("Northshire County Council", Commissioner.Kind.LOCAL_AUTHORITY),
            ("Riverside Borough Council", Commissioner.Kind.LOCAL_AUTHORITY),
            ("Northshire Integrated Care Board", Commissioner.Kind.NHS_COMMISSIONER),
            ("Southvale Integrated Care Board", Commissioner.Kind.NHS_COMMISSIONER),
            ("Eastmoor City Council", Commissioner.Kind.LOCAL_AUTHORITY),
            ("Regional Secure Care Collaborative", Commissioner.Kind.OTHER),
        ]
        commissioners = []
        for index, (name, kind) in enumerate(names):
            commissioner = Commissioner.objects.create(
                name=name, slug=slugify(name), kind=kind, region=self.regions[index % 9]
            )
            commissioners.append(commissioner)
            contracted = services[index::3][:8]
            if index == 0:
                contracted = services[:8]
            initials = "".join(word[0] for word in name.split())
            for number, service in enumerate(contracted):
                Contract.objects.create(
                    commissioner=commissioner,
                    service_provider=service,
                    reference=f"{initials}-{2024 + number % 2}-{number + 1:03d}",
                    starts_on=self.days_ago(500),
                    requires_certified_training=number != 7,
                    confirmation=Contract.Confirmation.CONFIRMED,
                    decided_by=deciders.get(service, self.admin),
                    decided_at=self.moment(490),
                )
        Contract.objects.create(
            commissioner=commissioners[1],
            service_provider=services[0],
            reference="RBC-2026-101",
            starts_on=self.days_ago(30),
        )
        Contract.objects.create(
            commissioner=commissioners[0],
            service_provider=services[9],
            reference="NCC-2026-009",
            starts_on=self.days_ago(60),
            confirmation=Contract.Confirmation.DECLINED,
            decided_by=self.admin,
            decided_at=self.moment(55),
        )
        return commissioners

    def moment(self, days_ago):
        """Ten in the morning, `days_ago` days ago."""
        return timezone.make_aware(dt.datetime.combine(self.days_ago(days_ago), dt.time(10)))

    def member(self, user, role, **organisation):
        Membership.objects.create(user=user, role=role, **organisation)

    @transaction.atomic
    def build(self):
        self.report("Creating the site administrator and the certification bodies")
        self.admin = User.objects.create_superuser(
            "admin@example.org", DEMO_PASSWORD, full_name="Site Administrator"
        )
        bodies = self.bodies()
        count = sum(count for _, count in STATUS_PLAN)
        self.report(f"Creating {count} training providers and their certifications")
        providers = self.register(bodies)
        self.care_user = self.user("care@example.org", "Carys Evans")
        care2 = self.user("care2@example.org", "Dan Okafor")
        self.report("Creating care homes, their training arrangements and compliance checks")
        services = self.services(providers)
        self.report("Creating commissioners and their contracts")
        commissioners = self.commissioners(
            services, {services[0]: self.care_user, services[1]: care2}
        )
        for email, full_name, body in [
            ("certifier@example.org", "Priya Shah", bodies[0]),
            ("certifier2@example.org", "Tom Barker", bodies[1]),
        ]:
            add_body_staff(self.user(email, full_name), body)
        self.member(self.care_user, Role.SERVICE_PROVIDER_STAFF, service_provider=services[0])
        self.member(care2, Role.SERVICE_PROVIDER_STAFF, service_provider=services[1])
        for email, full_name, commissioner in [
            ("commissioner@example.org", "Helen Moss", commissioners[0]),
            ("commissioner2@example.org", "Raj Patel", commissioners[1]),
        ]:
            user = self.user(email, full_name)
            self.member(user, Role.COMMISSIONER_STAFF, commissioner=commissioner)
        trainer = self.user("trainer@example.org", "Sam Lee")
        certified_provider = Certification.objects.filter(status=Status.CERTIFIED).first().provider
        self.member(trainer, Role.TRAINING_PROVIDER_STAFF, training_provider=certified_provider)
        self.report("Saving, and working out each provider's status today")


def seed_demo(today=None, report=None):
    """Build the demo register once. Returns False when it was already there. `report`, if
    given, is called with a line saying what is being done at each step."""
    if is_seeded():
        return False
    DemoBuilder(today, report).build()
    return True

"""The data tests/test_query_budgets.py renders every page over, at two sizes.

`BudgetData()` makes the standing records the pages are about: a certification body and its
staff, a busy training provider whose certification has a checkable number, a service provider
using it, a commissioner contracting that service (confirmed by the service, so that the
commissioner's pages show its records), and the users who view each page.
`grow(n, tag)` then adds `n` of every kind of row those pages list, named with `tag` ("Large
Provider 3", "Large Service 3", …) so that the test can find the rows of the large size on the
pages: a page whose query count grows with them has an N+1.

One grow serves every page (rather than one per page) so the whole module builds the data
twice, not twice per page: it is what keeps the module fast.
"""

import datetime as dt

from django.utils import timezone

from api.models import ApiToken
from certification.models import Certification
from certification.services import (
    Certificate,
    move_certification,
    record_accreditation_change,
    save_certification_edit,
)
from certification.staff import add_body_staff
from certification.statuses import AccreditationStatus, Status
from compliance.models import ContractReview
from standards.models import Clause, Population, Region, Section, Setting, Standard
from tests.factories import (
    AlertFactory,
    CertificationBodyFactory,
    CertificationFactory,
    CommissionerFactory,
    ComplianceCheckFactory,
    ContractFactory,
    ContractReviewFactory,
    CurriculumFactory,
    MembershipFactory,
    ServiceProviderFactory,
    TrainingArrangementFactory,
    TrainingProviderFactory,
    UserFactory,
    current_edition,
)


class BudgetData:
    def __init__(self):
        self.population = Population.objects.get(slug="autism")
        self.region = Region.objects.get(slug="london")
        self.setting = Setting.objects.order_by("pk").first()
        self.body = CertificationBodyFactory(name="Budget Body", slug="budget-body")
        self.certifier = add_body_staff(UserFactory(email="certifier@example.org"), self.body)
        self.superuser = UserFactory(
            email="superuser@example.org", is_staff=True, is_superuser=True
        )

        self.provider = TrainingProviderFactory(
            name="Budget Busy Provider", slug="budget-busy-provider"
        )
        self.certification = self._certified(self.provider, self.body, "RRN-BUDGET")
        self.moves = 0  # status moves of self.certification, for increasing dates
        self.provider_staff = UserFactory(email="provider-staff@example.org")
        MembershipFactory.of(self.provider, user=self.provider_staff)

        self.service = ServiceProviderFactory(name="Budget Care Home", slug="budget-care-home")
        self.service_staff = UserFactory(email="service-staff@example.org")
        MembershipFactory.of(self.service, user=self.service_staff)
        self.arrangement = TrainingArrangementFactory(
            service_provider=self.service, training_provider=self.provider
        )
        self.check = ComplianceCheckFactory(
            arrangement=self.arrangement, checked_by=self.service_staff
        )

        self.commissioner = CommissionerFactory(name="Budget Council", slug="budget-council")
        self.commissioner_staff = UserFactory(email="commissioner-staff@example.org")
        MembershipFactory.of(self.commissioner, user=self.commissioner_staff)
        self.contract = ContractFactory(
            commissioner=self.commissioner, service_provider=self.service, reference="BUDGET-1"
        )

        # Someone who acts for several organisations: /compliance/ lists them to choose from.
        self.multi_member = UserFactory(email="multi@example.org")
        MembershipFactory.of(self.service, user=self.multi_member)
        MembershipFactory.of(self.commissioner, user=self.multi_member)

    def _certified(self, provider, body, number=None):
        """A certification of `provider` with scope: populations, settings, regions, a course."""
        kwargs = {"certificate_number": number} if number else {}
        certification = CertificationFactory(provider=provider, body=body, **kwargs)
        certification.populations.add(self.population)
        certification.settings.add(self.setting)
        certification.regions.add(self.region)
        provider.regions_served.add(self.region)
        return certification

    def grow(self, n, tag):
        """Add `n` of every kind of row the budgeted pages list, named with `tag`."""
        for i in range(n):
            self._grow_one(f"{tag} ", tag.lower(), i)

    def _grow_one(self, name, slug, i):
        # The register: a certified provider with scope and a course, an affiliate of the busy
        # provider's certification, and a provider suspended by a new body.
        body = CertificationBodyFactory(name=f"{name}Body {i}", slug=f"{slug}-body-{i}")
        add_body_staff(self.certifier, body)  # the certifier keeps more bodies' records
        record_accreditation_change(
            self.body,
            AccreditationStatus.ACCREDITED,
            effective_date=dt.date(2019, 1, 1) + dt.timedelta(days=self.moves),
            note=f"{name}reaccreditation {i}",
        )
        certified = TrainingProviderFactory(name=f"{name}Provider {i}", slug=f"{slug}-p-{i}")
        certification = self._certified(certified, self.body)
        course = CurriculumFactory(provider=certified, name=f"{name}Course {i}")
        course.populations.add(self.population)
        certification.curricula.add(course)
        affiliate = TrainingProviderFactory(name=f"{name}Affiliate {i}", slug=f"{slug}-a-{i}")
        CertificationFactory(
            provider=affiliate,
            body=self.body,
            role=Certification.Role.AFFILIATE,
            parent=self.certification,
        )
        suspended = TrainingProviderFactory(name=f"{name}Suspended {i}", slug=f"{slug}-s-{i}")
        CertificationFactory(provider=suspended, body=body, status=Status.SUSPENDED)

        # The busy provider: another certification (working towards, by the new body), a course
        # in its certification's scope, and two more status moves in its history.
        CertificationFactory(provider=self.provider, body=body, status=Status.WORKING_TOWARDS)
        busy_course = CurriculumFactory(provider=self.provider, name=f"{name}Busy Course {i}")
        self.certification.curricula.add(busy_course)
        self._move_busy_certification(f"{name}reason {i}")

        # The standards: an older edition, and a section of the current one.
        edition = current_edition()
        edition.pk = None
        edition.slug, edition.is_current = f"{slug}-edition-{i}", False
        edition.edition = f"{name}edition {i}"
        edition.save()
        section = Section.objects.create(
            edition=current_edition(), number=90 + self.moves, title=f"{name}section {i}"
        )
        standard = Standard.objects.create(section=section, number=f"{section.number}.1")
        Clause.objects.create(standard=standard, number=f"{section.number}.1.1")

        # The service provider: arrangements with the new providers, a check each, an alert
        # and a member.
        for provider in (certified, suspended):
            arrangement = TrainingArrangementFactory(
                service_provider=self.service, training_provider=provider
            )
            ComplianceCheckFactory(arrangement=arrangement, checked_by=self.service_staff)
        AlertFactory(
            recipient=self.service_staff, service_provider=self.service, subject=f"{name}alert {i}"
        )
        ApiToken.issue(  # the service's API tokens page
            name=f"{name}token {i}",
            membership=self.service_staff.memberships.get(),
            scope=ApiToken.Scope.READ,
            expires_at=timezone.now() + dt.timedelta(days=30),
            created_by=self.service_staff,
        )
        AlertFactory(  # news of a service that shares its records with the commissioner
            recipient=self.commissioner_staff,
            commissioner=self.commissioner,
            key=f"co{self.commissioner.pk}:sp{self.service.pk}:{slug}-news-{i}",
            subject=f"{name}alert {i}",
        )
        MembershipFactory.of(self.service, user=UserFactory(email=f"{slug}-member-{i}@example.org"))

        # The commissioner: a new service under contract (using a certified and a suspended
        # provider, so it needs action and shows in the report), another contract with the
        # standing service, and a review of the standing contract. The contracts are confirmed
        # (ContractFactory); a new service's claim waits for it and another's was declined,
        # so the overview lists services that share nothing beside those that do.
        service = ServiceProviderFactory(name=f"{name}Service {i}", slug=f"{slug}-service-{i}")
        for provider in (certified, suspended):
            arrangement = TrainingArrangementFactory(
                service_provider=service, training_provider=provider
            )
            ComplianceCheckFactory(arrangement=arrangement)
        ContractFactory(
            commissioner=self.commissioner, service_provider=service, reference=f"{slug}-{i}"
        )
        ContractFactory(
            commissioner=self.commissioner,
            service_provider=self.service,
            reference=f"{slug}-standing-{i}",
        )
        ContractReviewFactory(
            contract=self.contract,
            outcome=ContractReview.Outcome.ACTION_NEEDED,
            actions_agreed=f"{name}action {i}",
            actions_due_on=dt.date(2027, 1, 1),
        )
        MembershipFactory.of(service, user=self.multi_member)
        for state in ("pending", "declined"):
            withheld = ServiceProviderFactory(
                name=f"{name}Withheld Service {state} {i}", slug=f"{slug}-{state}-service-{i}"
            )
            arrangement = TrainingArrangementFactory(service_provider=withheld)
            ComplianceCheckFactory(arrangement=arrangement)
            ContractFactory(
                commissioner=self.commissioner,
                service_provider=withheld,
                reference=f"{slug}-{state}-{i}",
                **{state: True},
            )

        # Other commissioners' claims of contracts with the standing service, to answer.
        ContractFactory(
            commissioner=CommissionerFactory(name=f"{name}Council {i}", slug=f"{slug}-council-{i}"),
            service_provider=self.service,
            reference=f"{slug}-claim-{i}",
            pending=True,
        )

        # The admin: an import of the body's records.
        self.body.imports.create(
            uploaded_by=self.certifier,
            filename=f"{slug}-import-{i}.csv",
            sha256="0" * 64,
            content="name\n",
        )

        # The audit log (the newest history rows, so on its first page): edits by a signed-in
        # user of a body, a provider and a certification, beside the creations, scope changes
        # and status moves above.
        body._history_user = certified._history_user = self.certifier
        body.website = f"https://{slug}-body-{i}.example.org"
        body.save()
        certified.description = f"{name}description {i}"
        certified.save()
        save_certification_edit(
            certification,
            expected_version=certification.version,
            recorded_by=self.certifier,
            registered_on=certification.registered_on - dt.timedelta(days=1),
        )

    def _move_busy_certification(self, reason):
        """Suspend and reinstate the busy provider's certification: two more events."""
        self.moves += 1
        suspended_on = dt.date(2025, 2, 1) + dt.timedelta(days=2 * self.moves)
        today = max(timezone.localdate(), suspended_on)
        move_certification(
            self.certification,
            Status.SUSPENDED,
            effective_date=suspended_on,
            reason=reason,
            today=today,
        )
        move_certification(
            self.certification,
            Status.CERTIFIED,
            effective_date=suspended_on + dt.timedelta(days=1),
            reason=reason,
            certificate=Certificate("RRN-BUDGET", dt.date(2025, 1, 1), dt.date(2028, 1, 1)),
            today=today,
        )

"""The demo data: built once, safe to run again, never with DEBUG off."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Membership, User
from certification.models import Certification
from compliance.models import Commissioner, Contract, ServiceProvider, TrainingArrangement
from compliance.verdicts import ComplianceState, arrangement_verdict
from providers.models import TrainingProvider

pytestmark = pytest.mark.django_db


def _counts():
    return (
        TrainingProvider.objects.count(),
        Certification.objects.count(),
        TrainingArrangement.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )


def test_seed_demo_is_idempotent_and_gives_care_user_the_promised_warnings(settings):
    settings.DEBUG = True
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    first = _counts()
    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    assert _counts() == first
    # It says what it is doing while it works, then that it is done.
    lines = output.getvalue().splitlines()
    assert lines[0] == "Creating the site administrator and the certification bodies"
    assert "Creating 150 training providers and their certifications" in lines
    assert lines[-1].startswith("Demo data created.")
    assert len(lines) >= 5
    assert again.getvalue() == "Demo data is already there: nothing changed.\n"
    assert first[0] >= 150
    assert set(Certification.objects.values_list("status", flat=True)) == {
        "working_towards", "certified", "suspended", "withdrawn", "expired",
    }  # fmt: skip
    assert Certification.objects.filter(role="affiliate").exists()
    for email in [
        "admin@example.org", "certifier@example.org", "certifier2@example.org",
        "care@example.org", "care2@example.org", "commissioner@example.org",
        "commissioner2@example.org", "trainer@example.org",
    ]:  # fmt: skip
        assert User.objects.get(email=email).check_password("register-demo-2026")

    care = ServiceProvider.objects.get(memberships__user__email="care@example.org")
    arrangements = TrainingArrangement.objects.with_verdict_data().filter(service_provider=care)
    verdicts = [arrangement_verdict(a, timezone.localdate()) for a in arrangements]
    texts = [r.text for v in verdicts for r in v.reasons]
    assert any(t.startswith("certification suspended") for t in texts)
    assert any(t.startswith("certificate ends on") for t in texts)
    assert "certification body not UKAS-accredited" in texts
    assert ComplianceState.COMPLIANT in [v.state for v in verdicts]


def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo")
    assert TrainingProvider.objects.count() == 0


def test_demo_certifiers_are_admin_staff_of_their_own_body_only(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    certifier = User.objects.get(email="certifier@example.org")
    assert certifier.is_staff
    assert certifier.groups.filter(name="Certification body staff").exists()
    assert [m.certification_body.slug for m in certifier.memberships.all()] == [
        "restraint-standards-certification"
    ]


def test_demo_commissioners_see_their_confirmed_services_and_care_has_a_claim_to_answer(
    settings,
):
    settings.DEBUG = True
    call_command("seed_demo")
    northshire = Commissioner.objects.get(memberships__user__email="commissioner@example.org")
    states = dict(
        Contract.objects.filter(commissioner=northshire).values_list("reference", "confirmation")
    )
    assert list(states.values()).count("confirmed") == 8
    assert list(states.values()).count("declined") == 1
    shared = Contract.objects.filter(commissioner=northshire).granting_access_on(
        timezone.localdate()
    )
    assert shared.count() == 8

    care = ServiceProvider.objects.get(memberships__user__email="care@example.org")
    (claim,) = Contract.objects.filter(service_provider=care, confirmation="pending")
    assert claim.commissioner.memberships.filter(user__email="commissioner2@example.org").exists()
    assert not Contract.objects.filter(confirmation="confirmed", decided_by__isnull=True).exists()

"""A provider's page at /providers/<slug>/."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from certification.models import Certification
from certification.services import move_certification, record_accreditation_change
from certification.statuses import AccreditationStatus, Status
from certification.verdicts import long_date
from standards.models import Population, Region, Setting, SpecialistContent
from tests.factories import (
    CertificationBodyFactory,
    CertificationFactory,
    CurriculumFactory,
    TrainingProviderFactory,
)

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + dt.timedelta(days=n)


def page(client, provider):
    response = client.get(f"/providers/{provider.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace("&#x27;", "'")


def test_the_verdict_in_one_sentence_with_body_and_ukas_number(client):
    body = CertificationBodyFactory(name="Safe Cert Ltd", ukas_number="4242")
    certification = CertificationFactory(
        body=body, certified_on=days(-100), valid_until=dt.date(2030, 3, 3)
    )
    html = page(client, certification.provider)
    assert "Certified by Safe Cert Ltd (UKAS accreditation number 4242) until 3 March 2030." in html


def test_certificate_details_scope_and_body_accreditation_today(client):
    body = CertificationBodyFactory(name="Suspended Body", ukas_number="777")
    certification = CertificationFactory(body=body, certificate_number="RRN-DETAIL")
    certification.populations.add(Population.objects.get(slug="autism"))
    certification.settings.add(Setting.objects.get(slug="education"))
    certification.regions.add(Region.objects.get(slug="london"))
    certification.specialist_content.add(SpecialistContent.objects.get(slug="breakaway"))
    curriculum = CurriculumFactory(provider=certification.provider, name="Calm Approach")
    certification.curricula.add(curriculum)
    record_accreditation_change(body, AccreditationStatus.SUSPENDED, effective_date=days(-1))
    content = text(page(client, certification.provider))
    assert "Certified, but the certification body's UKAS accreditation is suspended" in content
    assert "Certificate number RRN-DETAIL" in content
    assert "UKAS accreditation number 777" in content
    assert "Body's UKAS accreditation today UKAS accreditation suspended" in content
    assert "Populations Autistic people" in content
    assert "Settings Education" in content
    assert "Nations and regions London" in content
    assert "Specialist content Breakaway and disengagement" in content
    assert "Curricula Calm Approach" in content


def test_a_parent_lists_its_affiliates_and_an_affiliate_names_its_parent(client):
    parent = CertificationFactory(provider=TrainingProviderFactory(name="Parent Trainers"))
    affiliate = CertificationFactory(
        provider=TrainingProviderFactory(name="Meadow Care Affiliate"),
        role=Certification.Role.AFFILIATE,
        parent=parent,
        body=parent.body,
    )
    parent_page = page(client, parent.provider)
    assert "Affiliates under this certification" in parent_page
    assert f'href="/providers/{affiliate.provider.slug}/">Meadow Care Affiliate</a>' in parent_page
    affiliate_page = page(client, affiliate.provider)
    assert f'href="/providers/{parent.provider.slug}/">Parent Trainers</a>' in affiliate_page
    assert "Affiliate of Parent Trainers" in affiliate_page


def test_history_lists_every_event_newest_first_with_reasons_and_dates(client):
    certification = CertificationFactory(certified_on=days(-200), valid_until=days(800))
    move_certification(
        certification, Status.SUSPENDED, effective_date=days(-50), reason="Observation failed"
    )
    move_certification(
        certification, Status.WITHDRAWN, effective_date=days(-10), reason="Not put right"
    )
    html = page(client, certification.provider)
    history = re.search(r'<ol class="govuk-list" id="history"[^>]*>(.*?)</ol>', html, re.S)
    content = text(history.group(1))
    assert content.index("Withdrawn") < content.index("Suspended") < content.index("Certified")
    assert "Not put right" in content
    assert "Observation failed" in content
    assert long_date(days(-50)) in content
    assert "Certification by" in html and "withdrawn on" in html


def test_a_provider_without_certification_says_so(client):
    html = page(client, TrainingProviderFactory())
    assert "This provider has no certification on the register." in html
    assert "No certification has been recorded for this provider." in html


def test_archived_and_unknown_providers_are_404(client):
    archived = TrainingProviderFactory(is_archived=True)
    assert client.get(f"/providers/{archived.slug}/").status_code == 404
    assert client.get("/providers/no-such-provider/").status_code == 404


def test_provider_page_output_is_escaped(client):
    provider = TrainingProviderFactory(
        name="<img src=x onerror=alert(1)>", description="<script>alert(2)</script>"
    )
    html = page(client, provider)
    assert "<img src=x" not in html
    assert "<script>alert(2)" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_model_links_to_its_page():
    provider = TrainingProviderFactory.build(slug="calm-minds")
    assert provider.get_absolute_url() == "/providers/calm-minds/"

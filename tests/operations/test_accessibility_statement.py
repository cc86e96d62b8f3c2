"""The accessibility statement has what a public-sector statement must say."""

import pytest
from django.test import Client


@pytest.fixture
def statement(db, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "a11y@register.example.org"
    response = Client().get("/accessibility/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "heading",
    [
        "How accessible this service is",
        "Feedback and contact information",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "What this statement covers",
        "How we tested this service",
        "Preparation of this accessibility statement",
    ],
)
def test_statement_has_each_required_section(statement, heading):
    assert f">{heading}</h" in statement


def test_statement_gives_compliance_status_against_wcag_2_2_aa(statement):
    assert "partially compliant with the" in statement
    assert "2.2</a> AA standard" in statement


def test_statement_names_the_enforcement_body_and_eass(statement):
    assert "Equality and Human Rights Commission" in statement
    assert "https://www.equalityadvisoryservice.com/" in statement


def test_statement_gives_the_configured_contact_address(statement):
    assert 'href="mailto:a11y@register.example.org"' in statement


def test_statement_says_how_the_service_was_tested(statement):
    assert "axe accessibility engine" in statement
    assert "only a keyboard" in statement
    assert "JavaScript switched off" in statement

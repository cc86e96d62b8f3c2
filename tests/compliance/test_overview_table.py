"""The overview's table rows joined in Python (compliance/templatetags/commissioner_overview)
are the HTML its template loop rendered, byte for byte, in every kind of row."""

import datetime as dt

import pytest
from django.template import Context, Template

from certification.services import move_certification
from certification.statuses import Status
from compliance.overview import contracts_on, overview_rows, sort_rows
from tests.factories import (
    CertificationFactory,
    CommissionerFactory,
    ComplianceCheckFactory,
    ContractFactory,
    ContractReviewFactory,
    ServiceProviderFactory,
    TrainingArrangementFactory,
    TrainingProviderFactory,
)

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 1)

# The loop the tag replaced, as templates/compliance/commissioner/_overview_results.html had it.
TEMPLATE_LOOP = """{% load govuk %}      {% for row in rows %}
        <tr class="govuk-table__row">
          <td class="govuk-table__cell">
            <a class="govuk-link" href="{% url 'compliance:commissioner_service' commissioner.slug row.service_provider.slug %}">{{ row.service_provider.name }}</a>
            <br><span class="govuk-body-s">{{ row.service_provider.region.label }} · {% for c in row.contracts %}{{ c.reference }}{% if not forloop.last %}, {% endif %}{% endfor %}</span>
          </td>
          <td class="govuk-table__cell">
            {% include "compliance/commissioner/_state_tag.html" with row=row %}
            {% if not row.shared %}<ul class="govuk-list govuk-body-s govuk-!-margin-top-1">{% for c in row.contracts %}<li>{{ c.consent_label }}</li>{% endfor %}</ul>{% endif %}
            {% if row.reasons %}<ul class="govuk-list govuk-body-s govuk-!-margin-top-1">{% for reason in row.reasons %}<li>{{ reason.text|capfirst }}</li>{% endfor %}</ul>{% endif %}
            {% if row.shared and not row.counted %}<p class="govuk-body-s">Contract does not require certified training</p>{% endif %}
          </td>
          <td class="govuk-table__cell">
            {% if not row.shared %}<p class="govuk-body-s">Not shared with you</p>{% else %}
            {% for a in row.arrangements %}
              <p class="govuk-body-s govuk-!-margin-bottom-1">{{ a.arrangement.training_provider.name }}: {% include "includes/status_tag.html" with headline=a.headline full=True %}</p>
            {% empty %}<p class="govuk-body-s">None recorded</p>{% endfor %}
            {% endif %}
          </td>
          <td class="govuk-table__cell">{% if not row.shared %}Not shared{% elif row.last_check %}{{ row.last_check.checked_on|long_date }}<br><span class="govuk-body-s">{{ row.last_check.get_outcome_display }}</span>{% else %}None{% endif %}</td>
        </tr>
      {% endfor %}
"""  # noqa: E501


def test_the_rows_are_the_template_loop_s_html_in_every_kind_of_row():
    commissioner = CommissionerFactory(slug="our-commissioner")
    good = TrainingProviderFactory(name='Good & <Best> "Training"')
    CertificationFactory(provider=good)
    suspended = TrainingProviderFactory(name="O'Brien Training")
    move_certification(
        CertificationFactory(provider=suspended),
        Status.SUSPENDED,
        effective_date=dt.date(2026, 5, 1),
        reason="Audit findings",
        today=ON,
    )
    uncertified = TrainingProviderFactory(name="Not certified")

    def service(name, providers=(), checked_on=None, **contract):
        service = ServiceProviderFactory(name=name)
        made = ContractFactory(commissioner=commissioner, service_provider=service, **contract)
        for provider in providers:
            arrangement = TrainingArrangementFactory(
                service_provider=service, training_provider=provider
            )
            if checked_on:
                ComplianceCheckFactory(arrangement=arrangement, checked_on=checked_on)
        return service, made

    service("Compliant <care> & home", [good], checked_on=dt.date(2026, 3, 1))
    service("Two arrangements", [good, suspended, uncertified], checked_on=dt.date(2026, 4, 2))
    service("No arrangements")
    service("Not required", [good], requires_certified_training=False)
    service("Waiting", [good], pending=True)
    service("Declined", [good], declined=True)
    reviewed, contract = service("Overdue actions", [good], checked_on=dt.date(2026, 3, 1))
    ContractFactory(commissioner=commissioner, service_provider=reviewed, reference="R&D-2")
    ContractReviewFactory(
        contract=contract, actions_agreed="Train staff", actions_due_on=dt.date(2026, 5, 1)
    )
    rows = sort_rows(overview_rows(contracts_on(commissioner, ON), ON), "state")
    assert len(rows) == 7
    assert {row.shared for row in rows} == {True, False}
    assert any(row.shared and not row.counted for row in rows)
    assert any(row.shared and not row.arrangements for row in rows)

    context = Context({"rows": rows, "commissioner": commissioner})
    template_html = Template(TEMPLATE_LOOP).render(context)
    tag = Template("{% load commissioner_overview %}      {% service_rows rows commissioner %}\n")
    html = tag.render(context)
    assert html == template_html
    for shown in ("Not shared with you", "None recorded", "Waiting for", "Declined by"):
        assert shown in html
    assert "Good &amp; &lt;Best&gt; &quot;Training&quot;" in html

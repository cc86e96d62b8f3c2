"""The register's list items joined in Python (providers/templatetags/register_list) are the
HTML its template loop rendered, byte for byte, in every kind of row."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from certification.statuses import Status
from providers.views import TrainingProviderListView
from tests.factories import CertificationFactory, TrainingProviderFactory

pytestmark = pytest.mark.django_db

# The loop the tag replaced, as templates/providers/provider_list.html had it.
TEMPLATE_LOOP = """{% load govuk %}{% for row in rows %}
      <li class="govuk-!-margin-bottom-0">
        <h3 class="govuk-heading-s govuk-!-margin-bottom-2"><a class="govuk-link" href="{{ row.url }}">{{ row.name }}</a></h3>
        <p class="govuk-body govuk-!-margin-bottom-2">
{% status_tag row full=True %}

          {% for warning in row.warnings %}<span class="govuk-body-s govuk-!-margin-left-2">{{ warning }}</span>{% endfor %}
        </p>
        {% if row.recorded_reason %}<p class="govuk-body-s govuk-!-margin-bottom-2 headline-reason">Reason: {{ row.recorded_reason }}</p>{% endif %}
        <p class="govuk-body-s govuk-!-margin-bottom-0 app-result-facts">
          <span>{{ row.place }}</span>
          {% if row.on_register %}
          <span><span class="govuk-visually-hidden">Certification body: </span>{{ row.body }}</span>
          <span>Certificate {{ row.certificate }}</span>
          {% if row.validity %}<span>{{ row.validity }}</span>{% endif %}
          {% endif %}
        </p>
        <hr class="govuk-section-break govuk-section-break--m govuk-section-break--visible">
      </li>
      {% endfor %}"""  # noqa: E501


def _rows():
    today = timezone.localdate()
    TrainingProviderFactory(name='Not <on> the "register"', town="")
    CertificationFactory(provider=TrainingProviderFactory(name="O'Brien & Co", town="Leeds"))
    CertificationFactory(
        provider=TrainingProviderFactory(name="Ends soon"),
        certified_on=today - dt.timedelta(days=300),
        valid_until=today + dt.timedelta(days=20),  # a warning
    )
    CertificationFactory(
        provider=TrainingProviderFactory(name="Suspended"), status=Status.SUSPENDED
    )
    CertificationFactory(provider=TrainingProviderFactory(name="Expired"), status=Status.EXPIRED)
    CertificationFactory(
        provider=TrainingProviderFactory(name="Working towards"), status=Status.WORKING_TOWARDS
    )
    view = TrainingProviderListView()
    view.setup(RequestFactory().get("/providers/"))
    view.object_list = view.get_queryset()
    return view.get_context_data()["rows"]


def test_the_items_are_the_template_loop_s_html_in_every_kind_of_row():
    rows = _rows()
    assert len(rows) == 6
    assert any(row.warnings for row in rows) and any(not row.on_register for row in rows)
    assert any(row.recorded_reason for row in rows)
    expected = Template(TEMPLATE_LOOP).render(Context({"rows": rows}))
    tag = Template("{% load register_list %}{% provider_items rows %}")
    assert tag.render(Context({"rows": rows})) == expected


def test_no_rows_no_items():
    tag = Template("{% load register_list %}{% provider_items rows %}")
    assert tag.render(Context({"rows": []})) == ""

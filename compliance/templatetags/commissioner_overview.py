"""The commissioner overview's table rows, joined in Python: rendered by the template engine
(a loop of 25 rows with an include for each state and headline tag) they were most of the
cost of rendering the page afresh. The markup is the template's own, byte for byte
(tests/compliance/test_overview_table.py compares them); the tags are those of
compliance/commissioner/_state_tag.html and includes/status_tag.html."""

from django import template
from django.template.defaultfilters import capfirst
from django.urls import reverse
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe

from pages.templatetags.govuk import long_date

register = template.Library()

_NONE_RECORDED = '<p class="govuk-body-s">None recorded</p>'
_NOT_REQUIRED = '<p class="govuk-body-s">Contract does not require certified training</p>'


def _tag(colour, label):
    return f'<strong class="govuk-tag govuk-tag--{esc(colour)}">{esc(label)}</strong>'


def _state_tag(row):
    if not row.shared:
        return '<strong class="govuk-tag govuk-tag--grey">Not shared</strong>'
    if row.counted:
        return _tag(row.state.colour, row.state.label)
    return '<strong class="govuk-tag govuk-tag--grey">Not counted</strong>'


def _list(items):
    items = "".join(f"<li>{esc(item)}</li>" for item in items)
    return f'<ul class="govuk-list govuk-body-s govuk-!-margin-top-1">{items}</ul>'


def _arrangements(row):
    if not row.shared:
        return '<p class="govuk-body-s">Not shared with you</p>'
    shown = "".join(
        '\n              <p class="govuk-body-s govuk-!-margin-bottom-1">'
        f"{esc(a.arrangement.training_provider.name)}: \n"
        f"{_tag(a.headline.colour, a.headline.label)}\n</p>\n            "
        for a in row.arrangements
    )
    return f"\n            {shown or _NONE_RECORDED}\n            "


def _last_check(row):
    if not row.shared:
        return "Not shared"
    check = row.last_check
    if check is None:
        return "None"
    return (
        f"{esc(long_date(check.checked_on))}<br>"
        f'<span class="govuk-body-s">{esc(check.get_outcome_display())}</span>'
    )


def _row(row, commissioner_slug):
    service = row.service_provider
    url = reverse("compliance:commissioner_service", args=[commissioner_slug, service.slug])
    references = ", ".join(esc(c.reference) for c in row.contracts)
    return (
        '\n        <tr class="govuk-table__row">\n'
        '          <td class="govuk-table__cell">\n'
        f'            <a class="govuk-link" href="{esc(url)}">{esc(service.name)}</a>\n'
        f'            <br><span class="govuk-body-s">{esc(service.region.label)} · {references}'
        "</span>\n"
        "          </td>\n"
        '          <td class="govuk-table__cell">\n'
        f"            \n{_state_tag(row)}\n\n"
        f"            {'' if row.shared else _list(c.consent_label() for c in row.contracts)}\n"
        f"            {_list(capfirst(r.text) for r in row.reasons) if row.reasons else ''}\n"
        f"            {_NOT_REQUIRED if row.shared and not row.counted else ''}\n"
        "          </td>\n"
        '          <td class="govuk-table__cell">\n'
        f"            {_arrangements(row)}\n"
        "          </td>\n"
        f'          <td class="govuk-table__cell">{_last_check(row)}</td>\n'
        "        </tr>\n      "
    )


@register.simple_tag
def service_rows(rows, commissioner):
    """The table rows of these overview rows (ContractedServiceVerdict)."""
    return mark_safe("".join(_row(row, commissioner.slug) for row in rows))

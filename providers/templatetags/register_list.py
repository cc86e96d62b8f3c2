"""The register's list items, joined in Python: rendered by the template engine (a dozen
lookups and conditions for each of 25 rows) they were a third of rendering its page afresh.
The markup is the template's own, byte for byte (tests/providers/test_register_items.py
compares them); the tag is `{% status_tag %}`'s."""

from django import template
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe

from pages.templatetags.govuk import status_tag

register = template.Library()


def _facts(row):
    if not row.on_register:
        return ""
    validity = f"<span>{esc(row.validity)}</span>" if row.validity else ""
    return (
        '\n          <span><span class="govuk-visually-hidden">Certification body: </span>'
        f"{esc(row.body)}</span>\n"
        f"          <span>Certificate {esc(row.certificate)}</span>\n"
        f"          {validity}\n          "
    )


def _item(row):
    warnings = "".join(
        f'<span class="govuk-body-s govuk-!-margin-left-2">{esc(w)}</span>' for w in row.warnings
    )
    reason = (
        '<p class="govuk-body-s govuk-!-margin-bottom-2 headline-reason">'
        f"Reason: {esc(row.recorded_reason)}</p>"
        if row.recorded_reason
        else ""
    )
    return (
        '\n      <li class="govuk-!-margin-bottom-0">\n'
        '        <h3 class="govuk-heading-s govuk-!-margin-bottom-2">'
        f'<a class="govuk-link" href="{esc(row.url)}">{esc(row.name)}</a></h3>\n'
        '        <p class="govuk-body govuk-!-margin-bottom-2">\n'
        f"{status_tag(row, full=True)}\n\n"
        f"          {warnings}\n"
        "        </p>\n"
        f"        {reason}\n"
        '        <p class="govuk-body-s govuk-!-margin-bottom-0 app-result-facts">\n'
        f"          <span>{esc(row.place)}</span>\n"
        f"          {_facts(row)}\n"
        "        </p>\n"
        '        <hr class="govuk-section-break govuk-section-break--m '
        'govuk-section-break--visible">\n'
        "      </li>\n      "
    )


@register.simple_tag
def provider_items(rows):
    """The list items of these register rows (providers.register_rows.RegisterRow)."""
    return mark_safe("".join(_item(row) for row in rows))

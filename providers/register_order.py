"""The register's pages in its order by headline, read from the headline periods' index.

Sorted by status or valid-until, the register's order is (headline, [valid-until,] name, id):
joined to their periods of the day, every provider would be sorted to find one page. Each
period carries its provider's name and whether it is archived (certification.HeadlinePeriod,
written by the periods' one writer), and two partial indexes of the periods hold that order,
so a page reads its index entries up to the page and no further, and a status filter's count
is an index-only scan.

It serves the orders the index has: the whole register sorted by headline, or one headline
on the register, in any sort; on a day every body's accreditation counts (otherwise a stored
headline is not what it reads as, `with_headline`). Providers with no period of the day ("not
on the register") come last in the register's order and have no period to read: a page that
reaches them is found the general way (`ProviderListView.paginate_queryset`).
tests/providers/test_register_order.py checks the pages equal the general order's.
"""

from django.db.models import F

from certification.verdicts import Headline

from .querysets import HEADLINE_BY_SLUG

SORTED_BY_HEADLINE = ("status", "valid_until")


def periods_in_order(on, sort, status=None):
    """The periods of `on` of the public register's providers, in the register's order for
    `sort`, of the headline `status` (a slug of a headline on the register) or every one."""
    from certification.models import HeadlinePeriod

    periods = HeadlinePeriod.objects.filter(
        starts_on__lte=on, ends_on__gt=on, provider_archived=False
    )
    if status is not None:
        periods = periods.filter(headline=int(HEADLINE_BY_SLUG[status]))
    order = ["headline", "provider_name", "provider_id"]
    if sort == "valid_until":
        order.insert(1, F("valid_until").asc(nulls_last=True))
    return periods.order_by(*order)


def serves(filters, sort, not_counting):
    """Whether `periods_in_order` holds the register's order for these filters in use (the
    filterset's cleaned values, sorting aside) and sort: the status slug it is asked with
    (None: every headline), or False."""
    if not_counting or set(filters) - {"status"}:
        return False
    statuses = filters.get("status")
    if not statuses:
        return None if sort in SORTED_BY_HEADLINE else False
    if len(statuses) != 1 or HEADLINE_BY_SLUG[statuses[0]] == Headline.NOT_ON_REGISTER:
        return False
    return statuses[0]

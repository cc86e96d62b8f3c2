"""The register's one FilterSet: it serves the HTML list and both exports.

Every filter's state is in the URL (GET parameters), so a filtered list is a shareable link
and "Download these results" carries the same filters. Values we do not recognise are never
applied silently: the field shows an error (the list shows it and ignores that filter; the
exports refuse with 400).

Vocabulary choices (regions, populations, settings, specialist content, bodies) come from the
cache (see `vocabulary_terms`), so a request does not query five tables to build its form.
"""

import datetime as dt
import functools

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Q
from django.http import QueryDict
from django.utils import timezone

from certification.certificate_numbers import certificate_key
from certification.headline_periods import accreditations_not_counting
from certification.verdicts import HEADLINE_LABELS, Headline
from pages.forms import ManyCheckboxes
from standards.models import Population, Region, Setting, SpecialistContent

from . import register_order
from .filter_sql import in_regions, in_scope, matching_search
from .models import TrainingProvider
from .querysets import HEADLINE_BY_SLUG, HEADLINE_SLUGS, period_reads_as

MAX_QUERY_LENGTH = 200
# The columns of the period of the day that `period_reads_as` reads.
_PERIOD_READ = ("id", "headline", "embeds_accreditation", "body_id")
MAX_VALUE_LENGTH = 1000
MAX_EXPIRING_DAYS = 3650
VOCABULARY_KEPT_SECONDS = 60 * 60  # a bound on memory; correctness comes from the key

STATUS_CHOICES = [(slug, HEADLINE_LABELS[kind]) for kind, slug in HEADLINE_SLUGS.items()]

SORT_CHOICES = [
    ("name", "Name (A to Z)"),
    ("status", "Status (certified first)"),
    ("valid_until", "Valid until (soonest first)"),
]
DEFAULT_SORT = "name"


def _vocabulary_models():
    from certification.models import CertificationBody

    return {
        "region": Region,
        "population": Population,
        "setting": Setting,
        "specialist": SpecialistContent,
        "body": CertificationBody,
    }


def _vocabulary(name):
    """[(slug, label, pk)] for one vocabulary filter, kept in the cache under the register's data
    generation (read once a request) and the release. The terms and bodies are register
    records: saving or deleting one starts a new generation when it commits, in every process
    at once, so a new body's filter is never refused and nothing clears the lists by hand.
    """
    from derived import generation
    from derived.release import release_stamp

    model = _vocabulary_models()[name]
    key = ":".join(
        (
            "register:choices",
            model._meta.label_lower,
            release_stamp(),
            str(generation.current(generation.REGISTER)),
        )
    )
    terms = cache.get(key)
    if terms is None:
        label = "name" if name == "body" else "label"
        terms = list(model.objects.values_list("slug", label, "pk"))
        cache.set(key, terms, VOCABULARY_KEPT_SECONDS)
    return terms


def vocabulary_terms(name):
    """[(slug, label)] of one vocabulary filter (the form's choices)."""
    return [(slug, label) for slug, label, _pk in _vocabulary(name)]


def vocabulary_ids(name, slugs):
    """The ids of the terms with these slugs, from the same kept lists: the filters compare
    ids, so the database does not join the vocabulary table for every provider it checks."""
    slugs = set(slugs)
    return [pk for slug, _label, pk in _vocabulary(name) if slug in slugs]


def vocabulary_choices(name):
    return lambda: vocabulary_terms(name)


def _invalid_choice(noun):
    return {"invalid_choice": f"“%(value)s” is not {noun} on the register, so it was not used"}


class DaysField(forms.IntegerField):
    default_error_messages = {
        "invalid": "Enter the number of days as a whole number, like 90",
        "min_value": "The number of days must be 0 or more",
        "max_value": f"The number of days must be {MAX_EXPIRING_DAYS} or fewer",
    }


class DaysFilter(django_filters.Filter):
    field_class = DaysField


class TrainingProviderFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
        help_text="Provider name, town, postcode or certificate number",
        error_messages={"max_length": f"Search must be {MAX_QUERY_LENGTH} characters or fewer"},
    )
    status = django_filters.MultipleChoiceFilter(
        label="Status today",
        choices=STATUS_CHOICES,
        method="filter_status",
        widget=ManyCheckboxes,
        help_text=(
            "Certified, but not valid: certified, but the certificate does not count today, "
            "for example because the certification body's UKAS accreditation is suspended, "
            "or the certificate's dates are not recorded"
        ),
        error_messages=_invalid_choice("a status"),
    )
    region = django_filters.MultipleChoiceFilter(
        label="Region",
        choices=vocabulary_choices("region"),
        method="filter_region",
        widget=ManyCheckboxes,
        help_text="Based in, serving, or certified for",
        error_messages=_invalid_choice("a region"),
    )
    population = django_filters.MultipleChoiceFilter(
        label="Population",
        choices=vocabulary_choices("population"),
        method="filter_population",
        widget=ManyCheckboxes,
        error_messages=_invalid_choice("a population"),
    )
    setting = django_filters.MultipleChoiceFilter(
        label="Setting",
        choices=vocabulary_choices("setting"),
        method="filter_setting",
        widget=ManyCheckboxes,
        error_messages=_invalid_choice("a setting"),
    )
    specialist = django_filters.MultipleChoiceFilter(
        label="Specialist content",
        choices=vocabulary_choices("specialist"),
        method="filter_specialist",
        widget=ManyCheckboxes,
        error_messages=_invalid_choice("specialist content"),
    )
    body = django_filters.MultipleChoiceFilter(
        label="Certification body",
        choices=vocabulary_choices("body"),
        method="filter_body",
        widget=ManyCheckboxes,
        error_messages=_invalid_choice("a certification body"),
    )
    kind = django_filters.MultipleChoiceFilter(
        label="Kind of provider",
        choices=TrainingProvider.Kind.choices,
        widget=ManyCheckboxes,
        error_messages=_invalid_choice("a kind of provider"),
    )
    ukas_valid = django_filters.BooleanFilter(
        label="Only certification bodies with UKAS accreditation in force today",
        help_text="Accredited to ISO/IEC 17065, for the certificate each provider is shown with",
        method="filter_ukas_valid",
        widget=forms.CheckboxInput,
    )
    expiring = DaysFilter(
        label="Certificate ends within (days)",
        help_text="Certified providers whose certificate ends within this many days",
        method="filter_expiring",
        min_value=0,
        max_value=MAX_EXPIRING_DAYS,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-4", "spellcheck": "false"}
        ),
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=SORT_CHOICES,
        method="filter_nothing",
        empty_label=None,
        error_messages=_invalid_choice("a way to sort"),
    )

    class Meta:
        model = TrainingProvider
        fields = []

    def __init__(self, data=None, *args, on=None, **kwargs):
        self.on = on or timezone.localdate()
        if data is not None:
            data = self._tidy(data)
        super().__init__(data, *args, **kwargs)
        self._not_counting = None

    def get_form_class(self):
        """The form class, built once a process: django_filters builds one per filterset
        from a field per filter (about 0.4 ms of a request), though nothing in it depends on
        the request or the data. The vocabulary choices are callables, read when iterated;
        each form copies its fields."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    @property
    def form(self):
        """The request's form, each vocabulary's choices read at most once for it: validating,
        rendering and naming the filters in use each iterate a field's choices, and a
        callable's choices read the kept list from the cache at every iteration. Still read
        when first iterated: an export or the API, which render no form, reads only those
        its filters check."""
        if not hasattr(self, "_form"):
            form = super().form
            for name in _vocabulary_models():
                form.fields[name].choices = functools.cache(vocabulary_choices(name))
        return self._form

    @property
    def not_counting(self):
        """The bodies whose accreditation does not count on the day: read once for the
        request (a filterset lives for one), by the status filter, the headline annotation
        and the page's rows."""
        if self._not_counting is None:
            self._not_counting = accreditations_not_counting(self.on)
        return self._not_counting

    @classmethod
    def _tidy(cls, data):
        """The query as the form should see it: NUL bytes (which no form sends and
        PostgreSQL refuses) become U+FFFD as undecodable bytes already do; values are cut
        to MAX_VALUE_LENGTH, so a 20,000-character value is neither searched nor echoed
        whole (it still fails its own length check); empty checkbox values are dropped."""
        tidy = QueryDict(mutable=True)
        pairs = (
            data.lists()
            if hasattr(data, "lists")
            else ((k, v if isinstance(v, list | tuple) else [v]) for k, v in data.items())
        )
        for key, values in pairs:
            values = [str(v).replace("\x00", "\ufffd")[:MAX_VALUE_LENGTH] for v in values]
            if isinstance(cls.base_filters.get(key), django_filters.MultipleChoiceFilter):
                values = [v for v in values if v]
            tidy.setlist(key, values)
        return tidy

    # -- filters ---------------------------------------------------------------------------

    def filter_q(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        # Case and separators do not matter in a number: "rrn 2024" finds RRN-2024-0061.
        return queryset.filter(matching_search(text, certificate_key(text)))

    def filter_status(self, queryset, name, values):
        from certification.models import HeadlinePeriod

        ranks = [int(HEADLINE_BY_SLUG[v]) for v in values]
        on_register = [rank for rank in ranks if rank != Headline.NOT_ON_REGISTER]
        with_none = "not_on_register" in values
        if "headline_rank" in queryset.query.annotations:
            # Annotated for a sort or another filter: the annotation's own join of the period
            # of the day, filtered (PostgreSQL makes it an inner join, from the status index),
            # not a second reading of every period for a semi-join beside it. Through aliases:
            # a filter on the relation itself would join it a second time.
            queryset = queryset.alias(
                **{f"_day_{name}": F(f"_period_on__{name}") for name in _PERIOD_READ}
            )
            matches = period_reads_as(on_register, self.not_counting, "_day_")
            if with_none:
                matches = Q(_day_id=None) | matches if on_register else Q(_day_id=None)
            return queryset.filter(matches)
        # A semi-join on the period of the day (its (provider, starts_on) index), not the
        # annotation's join: another join of the same multi-valued relation would be made for
        # the filter, and the count would carry both. The period is read with its body's
        # accreditation on the day applied, as `with_headline` reads it.
        periods = HeadlinePeriod.objects.filter(
            provider=OuterRef("pk"), starts_on__lte=self.on, ends_on__gt=self.on
        )
        if with_none:
            # No period, or one that reads as asked: no period that reads otherwise (a
            # provider has at most one on a day). One anti-join: NOT EXISTS … OR EXISTS …
            # would be checked provider by provider.
            if on_register:
                periods = periods.exclude(period_reads_as(on_register, self.not_counting))
            return queryset.filter(~Exists(periods))
        return queryset.filter(Exists(periods.filter(period_reads_as(ranks, self.not_counting))))

    def filter_region(self, queryset, name, values):
        ids = vocabulary_ids("region", values)
        return queryset.filter(in_regions(ids)) if ids else queryset.none()

    def _scope(self, queryset, name, field, values):
        """Providers with a certification or a curriculum whose scope includes a term."""
        ids = vocabulary_ids(name, values)
        return queryset.filter(in_scope(field, ids)) if ids else queryset.none()

    def filter_population(self, queryset, name, values):
        return self._scope(queryset, "population", "populations", values)

    def filter_setting(self, queryset, name, values):
        return self._scope(queryset, "setting", "settings", values)

    def filter_specialist(self, queryset, name, values):
        return self._scope(queryset, "specialist", "specialist_content", values)

    def filter_body(self, queryset, name, values):
        from certification.models import Certification

        return queryset.filter(
            Exists(
                Certification.objects.on_register().filter(
                    provider=OuterRef("pk"), body__slug__in=values
                )
            )
        )

    def filter_ukas_valid(self, queryset, name, value):
        return queryset.with_ukas_accredited_body(self.on) if value else queryset

    def filter_expiring(self, queryset, name, days):
        # Ends: its own end, or an affiliate's parent's if sooner (the "ends in N days" warning).
        return queryset.filter(
            headline_rank=int(HEADLINE_BY_SLUG["certified"]),
            headline_ends_on__lte=self.on + dt.timedelta(days=days),
        )

    def filter_nothing(self, queryset, name, value):
        return queryset  # `sort` is applied last, in filter_queryset

    # -- the whole set ---------------------------------------------------------------------

    @property
    def cleaned(self):
        """The filters that were understood: {name: value}, empty values left out."""
        self.is_valid()
        return {
            name: value for name, value in self.form.cleaned_data.items() if not _is_empty(value)
        }

    def filters_in_use(self):
        """The understood filters, sorting aside: empty when the list is the whole register."""
        return {name: value for name, value in self.cleaned.items() if name != "sort"}

    @property
    def sort_value(self):
        return self.cleaned.get("sort") or DEFAULT_SORT

    def periods_in_order(self):
        """The matches as their periods of the day in the register's order, when one of the
        periods' indexes holds it (providers.register_order), else None."""
        status = register_order.serves(self.filters_in_use(), self.sort_value, self.not_counting)
        if status is False:
            return None
        return register_order.periods_in_order(self.on, self.sort_value, status)

    def filters_by_headline(self):
        cleaned = self.cleaned
        return bool(cleaned.get("ukas_valid") or cleaned.get("expiring") is not None)

    def sorts_by_headline(self):
        return self.sort_value in ("status", "valid_until")

    def reads_every_match(self):
        """Whether the database reads every match to find a page, so the count can come with
        it: a sort by the headline sorts every match, and a search, region or scope filter
        is checked for every provider. A status filter alone is not: its count is read from
        the periods' own index and its pages in name order from the register's, stopping at
        the page (counted with the page, the status of every provider would be looked up)."""
        return self.sorts_by_headline() or bool(set(self.filters_in_use()) - {"status"})

    def filter_queryset(self, queryset):
        """The matches in the register's order; `matching` keeps them unsorted."""
        # The status filter reads the annotation's join when there is one (filter_status).
        # When every match is read anyway (a sort by the headline, another filter), a status
        # annotates before filtering: joined, PostgreSQL reads the status's periods from
        # their index beside the other filters' ids instead of hashing every provider of
        # that status (bench/README finding 28).
        if self.filters_by_headline() or (self.cleaned.get("status") and self.reads_every_match()):
            queryset = queryset.with_headline(self.on, self.not_counting)
        self._matching = super().filter_queryset(queryset)
        queryset = self._matching
        if self.sorts_by_headline():
            queryset = queryset.with_headline(self.on, self.not_counting)
        return self._sorted(queryset)

    @property
    def matching(self):
        """The matches, unsorted: what the count reads. Annotated with the headline only when
        a filter reads it: a sort's annotation joins every match to its period of the day,
        which a count does not need (Django keeps the join of an unused annotation)."""
        queryset = self.qs
        return getattr(self, "_matching", queryset)

    def _sorted(self, queryset):
        sort = self.sort_value
        if sort == "status":
            return queryset.order_by("headline_rank", "name", "pk")
        if sort == "valid_until":
            return queryset.order_by(
                "headline_rank", F("headline_valid_until").asc(nulls_last=True), "name", "pk"
            )
        return queryset.order_by("name", "pk")

    def querystring(self, without=None):
        """The understood filters as a query string, optionally without one (name, value)."""
        query = QueryDict(mutable=True)
        for name, value in self.cleaned.items():
            values = value if isinstance(value, list) else [value]
            for item in values:
                if without == (name, item):
                    continue
                query.appendlist(name, _raw(item))
        return query.urlencode()

    def sort_links(self):
        """[{label, query, current}] for each way to sort, keeping the filters."""
        links = []
        for value, label in SORT_CHOICES:
            query = QueryDict(self.querystring(without=("sort", self.sort_value)), mutable=True)
            if value != DEFAULT_SORT:
                query["sort"] = value
            links.append(
                {"label": label, "query": query.urlencode(), "current": value == self.sort_value}
            )
        return links

    def active_filters(self):
        """[(label, value label, query string without it)] for each filter in use."""
        active = []
        for name, value in self.cleaned.items():
            if name == "sort":
                continue
            field = self.form.fields[name]
            for item in value if isinstance(value, list) else [value]:
                active.append(
                    {
                        "field": field.label,
                        "value": _value_label(field, name, item),
                        "remove": self.querystring(without=(name, item)),
                    }
                )
        return active


def field_name(model, m2m):
    """The through model's field pointing at the vocabulary term, e.g. "population"."""
    through = getattr(model, m2m).through
    target = getattr(model, m2m).field.related_model
    return next(f.name for f in through._meta.fields if f.related_model is target)


def _is_empty(value):
    # Not `value in (…)`: 0 == False, and "within 0 days" is a real filter.
    return value is None or value is False or value == "" or value == []


def _raw(value):
    if value is True:
        return "on"
    return str(value)


def _value_label(field, name, value):
    if value is True:
        return "Yes"
    if name == "expiring":
        return f"within {value} day" + ("" if value == 1 else "s")
    if name == "q":
        return f"“{value}”"
    return dict(field.choices).get(value, value)

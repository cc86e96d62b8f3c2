"""The public register: the list of training providers, a provider's page, and the exports.

Verdicts come only from `provider.headline(today)` (certification.verdicts) on prefetched
rows; the SQL side of the headline (filtering and sorting by it) is in providers.querysets.
Each page runs a fixed number of queries whatever the number of rows. The register's and a
provider's page content is the same for everybody, so it is rendered once per address, day
and data generation (pages.content_cache).
"""

import sys

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.generic import ListView

from pages.content_cache import Content, kept_page, page_title
from pages.streamed_downloads import streamed_download

from . import exports
from .counts import register_count
from .filters import TrainingProviderFilterSet
from .follow_views import FollowForm
from .models import TrainingProvider
from .profile import provider_profile
from .querysets import ids_and_count
from .register_rows import register_rows


def page_number(raw, num_pages):
    """The page asked for, clamped to the pages there are: page=abc or -1 is the first page,
    page=999999 the last."""
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), max(num_pages, 1))


# Long lists of checkboxes, each folded into a GOV.UK details element.
COLLAPSED_FILTERS = ("region", "population", "setting", "specialist", "body", "kind")


@method_decorator(login_not_required, name="dispatch")
class TrainingProviderListView(ListView):
    template_name = "providers/provider_list.html"  # the content: see `get`
    context_object_name = "providers"
    paginate_by = 25

    def get(self, request, *args, **kwargs):
        return kept_page(request, "register", self.render_content)

    def render_content(self):
        self.object_list = self.get_queryset()
        context = self.get_context_data()
        page = context["page_obj"]
        title = "Training providers on the register"
        if page.number > 1:
            title += f" (page {page.number} of {page.paginator.num_pages})"
        return Content(
            title=page_title(title, error=bool(self.filterset.form.errors)),
            html=render_to_string(self.template_name, context, self.request),
        )

    def get_queryset(self):
        self.today = timezone.localdate()
        self.filterset = TrainingProviderFilterSet(
            self.request.GET,
            queryset=TrainingProvider.objects.active(),
            on=self.today,
        )
        return self.filterset.qs

    def paginate_queryset(self, queryset, page_size):
        paginator = Paginator(queryset, page_size)
        raw = self.request.GET.get("page")
        self.page_ids = None
        periods = self.filterset.periods_in_order()
        if not self.filterset.filters_in_use():
            paginator.count = register_count()  # the whole register: cached
        elif periods is not None:
            paginator.count = periods.count()  # one headline: its periods of the day
        elif self.filterset.reads_every_match():
            # The page and the count from one reading of the matches (COUNT(*) OVER ()): the
            # database reads every match for either. Past the last page there is no row to
            # carry the count, so it is counted on its own and the last page read after.
            start = (page_number(raw, sys.maxsize) - 1) * page_size
            self.page_ids, count = ids_and_count(queryset, start, start + page_size)
            paginator.count = count if count is not None else self.filterset.matching.count()
        else:
            paginator.count = self.filterset.matching.count()  # without the sort's join
        page = paginator.page(page_number(raw, paginator.num_pages))
        if periods is not None and paginator.count:
            # The page from the periods' index, in the register's order. Fewer rows than the
            # page has: it reaches the providers with no period of the day, found below.
            start, stop = page.start_index() - 1, page.end_index()
            ids = list(periods.values_list("provider_id", flat=True)[start:stop])
            if len(ids) == stop - start:
                self.page_ids = ids
        return paginator, page, page.object_list, page.has_other_pages()

    def page_rows(self, page):
        """The page's rows from their headline periods (providers.register_rows). The page's
        providers are found first, by the filters alone (in the register's order, from its
        index), and only those are joined to their periods, bodies and parents. (A window
        count would find the page and the count in one pass, but it sorts every match: slower
        for the broad filters.)"""
        if not page.paginator.count:
            return []
        ids = self.page_ids
        if not ids:
            start = page.start_index() - 1
            ids = list(self.object_list.values_list("pk", flat=True)[start : page.end_index()])
        providers = TrainingProvider.objects.filter(pk__in=ids).order_by()  # in `ids`' order
        providers = providers.with_headline(self.today, self.filterset.not_counting)
        return register_rows(providers, self.today, ids)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        query = filterset.querystring()
        context.update(
            filterset=filterset,
            form=filterset.form,
            rows=self.page_rows(context["page_obj"]),
            today=self.today,
            active_filters=filterset.active_filters(),
            sort=filterset.sort_value,
            sort_links=filterset.sort_links(),
            query=query,
            pagination_query=QueryDict(query),
            filter_groups=[filterset.form[name] for name in COLLAPSED_FILTERS],
            export_columns=exports.COLUMN_MEANINGS.items(),
        )
        return context


@login_not_required
def training_provider_detail(request, slug):
    def render_content():
        provider = get_object_or_404(
            TrainingProvider.objects.active().for_provider_page(), slug=slug
        )
        context = provider_profile(provider, timezone.localdate())
        return Content(
            title=page_title(provider.name),
            html=render_to_string("providers/provider_detail.html", context, request),
        )

    return kept_page(
        request,
        "provider",
        render_content,
        "providers/provider_page.html",
        {"follow_form": FollowForm()},
    )


def _export(request, writer, content_type, extension):
    today = timezone.localdate()
    filterset = TrainingProviderFilterSet(
        request.GET, queryset=TrainingProvider.objects.active(), on=today
    )
    if not filterset.is_valid():
        return HttpResponseBadRequest(
            exports.error_text(filterset.form), content_type="text/plain; charset=utf-8"
        )
    rows = exports.register_rows(
        filterset.qs, today, request.build_absolute_uri("/"), filterset.not_counting
    )
    return streamed_download(
        rows,
        writer,
        content_type=content_type,
        filename=f"rrn-training-register-{today.isoformat()}.{extension}",
    )


@login_not_required
def export_csv(request):
    return _export(request, exports.csv_lines, "text/csv; charset=utf-8", "csv")


@login_not_required
def export_json(request):
    return _export(request, exports.json_chunks, "application/json", "json")

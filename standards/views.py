"""Public pages of the RRN Training Standards: the editions, and one edition by section."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from .models import Clause, Section, Standard, StandardsEdition


@method_decorator(login_not_required, name="dispatch")
class StandardsEditionListView(ListView):
    template_name = "standards/index.html"
    context_object_name = "editions"
    queryset = StandardsEdition.objects.order_by("-is_current", "-published", "-version")


@login_not_required
@require_safe
def standards_edition(request, slug):
    """An edition's sections, standards and clauses, numbered in order (1.2 before 1.10)."""
    edition = get_object_or_404(
        StandardsEdition.objects.prefetch_related(
            Prefetch("sections", queryset=Section.objects.order_by("number")),
            Prefetch("sections__standards", queryset=Standard.objects.order_by()),
            Prefetch("sections__standards__clauses", queryset=Clause.objects.order_by()),
        ),
        slug=slug,
    )
    sections = [
        {
            "section": section,
            "standards": [
                {
                    "standard": standard,
                    "clauses": sorted(standard.clauses.all(), key=lambda c: c.sort_key),
                }
                for standard in sorted(section.standards.all(), key=lambda s: s.sort_key)
            ],
        }
        for section in edition.sections.all()
    ]
    return render(request, "standards/edition.html", {"edition": edition, "sections": sections})

"""A training provider's own staff: its public details, and its certificates as the public
sees them (`/providers/<slug>/manage/`).

The provider comes only through `TrainingProvider.objects.for_user` (another provider's staff
get a 404). Saving is an ordinary model save: django-simple-history records who changed
what, and the register's data generation moves on commit (derived.generation's signals),
so kept pages and counts show the new details.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .forms import CurriculumDescriptionFormSet, ProviderDetailsForm
from .models import Curriculum, TrainingProvider
from .profile import provider_profile


def get_training_provider_for_user(request, slug):
    return get_object_or_404(
        TrainingProvider.objects.for_user(request.user).active().for_provider_page(),
        slug=slug,
    )


@require_http_methods(["GET", "POST"])
def provider_manage(request, slug):
    provider = get_training_provider_for_user(request, slug)
    curricula = Curriculum.objects.filter(provider=provider).order_by("name", "pk")
    data = request.POST if request.method == "POST" else None
    form = ProviderDetailsForm(data, instance=provider, prefix="provider")
    formset = CurriculumDescriptionFormSet(data, queryset=curricula, prefix="curricula")
    if data is not None and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            form.save()
            formset.save()
        messages.success(request, "Your public details are saved")
        return redirect("providers:manage", provider.slug)
    profile = provider_profile(provider, timezone.localdate())
    return render(
        request,
        "providers/provider_manage.html",
        {**profile, "form": form, "formset": formset},
    )

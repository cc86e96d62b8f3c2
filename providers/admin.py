"""Admin for training providers and their curricula. Both keep a field-level history and are
archived, never deleted. Certification body staff may add providers (a new certification
needs one) and change those their body certifies; site administrators change any."""

from django.contrib import admin

from certification.audit import ArchiveActionsMixin, HistoryKeptAdmin
from certification.staff import staff_body_ids

from .models import Curriculum, TrainingProvider


def _certified_by_staff_body(request, provider_id):
    from certification.models import Certification

    return Certification.objects.filter(
        provider_id=provider_id, body__in=staff_body_ids(request)
    ).exists()


class CurriculumInline(admin.TabularInline):
    model = Curriculum
    extra = 0
    fields = ("name",)
    show_change_link = True
    can_delete = False


@admin.register(TrainingProvider)
class TrainingProviderAdmin(ArchiveActionsMixin, HistoryKeptAdmin):
    list_display = ("name", "kind", "registration_number", "town", "region", "is_archived")
    list_filter = ("kind", "region", "is_archived")
    search_fields = ("name", "registration_number", "town", "postcode")
    list_select_related = ("region",)
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("regions_served",)
    ordering = ("name",)
    inlines = [CurriculumInline]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or request.user.is_superuser:
            return allowed
        return _certified_by_staff_body(request, obj.pk)

    def get_actions(self, request):
        # Taking a provider off the register is for site administrators.
        return super().get_actions(request) if request.user.is_superuser else {}


@admin.register(Curriculum)
class CurriculumAdmin(HistoryKeptAdmin):
    list_display = ("name", "provider")
    search_fields = ("name", "provider__name")
    list_select_related = ("provider",)
    autocomplete_fields = ("provider",)
    filter_horizontal = ("populations", "settings", "specialist_content")
    ordering = ("provider__name", "name")

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or request.user.is_superuser:
            return allowed
        return _certified_by_staff_body(request, obj.provider_id)

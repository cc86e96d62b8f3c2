"""Admin for training providers and their curricula. Both keep a field-level history and are
archived, never deleted.

Who changes a provider's public details and curricula: site administrators, any provider;
certification body staff, only a provider whose every certification is their own body's, or
one with no certification yet that their body's staff added (`certification.staff.
editable_providers` states the rule). Body staff may add providers (a new certification needs
one) and view every provider (the register is public). The rule holds on the server: a
curriculum posted for a provider outside it is "Select a valid choice", and the change form of
such a provider is read-only (a POST is refused), and its history (who changed it) is shown
only to those who may change it.
"""

from django.contrib import admin

from certification.audit import ArchiveActionsMixin, HistoryKeptAdmin
from certification.staff import editable_providers, may_change_provider

from .models import Curriculum, TrainingProvider


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
        if not allowed or obj is None:
            return allowed
        return may_change_provider(request, obj.pk)

    def has_view_history_or_change_history_permission(self, request, obj=None):
        # Who changed a provider (other bodies' staff by name) is for those who keep it.
        return self.has_change_permission(request, obj)

    def get_actions(self, request):
        # Taking a provider off the register is for site administrators.
        return super().get_actions(request) if request.user.is_superuser else {}

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The curriculum form's provider search offers only the providers it accepts.
        if (
            request.path.endswith("/autocomplete/")
            and request.GET.get("app_label") == Curriculum._meta.app_label
            and request.GET.get("model_name") == Curriculum._meta.model_name
        ):
            queryset = queryset.filter(pk__in=editable_providers(request).values("pk"))
        return queryset, may_have_duplicates


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
        if not allowed or obj is None:
            return allowed
        return may_change_provider(request, obj.provider_id)

    def has_view_history_or_change_history_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "provider":
            kwargs["queryset"] = editable_providers(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

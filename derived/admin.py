"""Admin for derived data's bookkeeping: read-only, for inspection."""

from django.contrib import admin

from .models import DataGeneration


@admin.register(DataGeneration)
class DataGenerationAdmin(admin.ModelAdmin):
    """The token of the current data generation (derived.generation), for inspection."""

    list_display = ("name", "token")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

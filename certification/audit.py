"""The field-level audit trail: who changed what, when, old value to new.

django-simple-history records every save of providers, curricula, bodies and certifications.
Each object's admin "History" page shows its own trail (`HistoryKeptAdmin`); site
administrators also get one filterable log across all of them (`AuditLogView`).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class HistoryKeptAdmin(SimpleHistoryAdmin):
    """Admin for a model with history: the history is shown, never rewritten.

    Nothing with history is hard-deleted (archive instead), and the "revert to this version"
    form is view-only: a revert would bypass the rules that every change goes through.
    """

    def has_delete_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("Past versions are shown, not restored.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class ArchiveActionsMixin:
    """ "Archive"/"Bring back" actions for models that are archived instead of deleted."""

    actions = ["archive", "unarchive"]

    def _set_archived(self, request, queryset, archived):
        changed = 0
        for obj in queryset.filter(is_archived=not archived):
            if not self.has_change_permission(request, obj):
                continue
            obj.is_archived = archived
            self.save_archived(request, obj)
            changed += 1
        return changed

    def save_archived(self, request, obj):
        obj._history_user = request.user
        obj.save()

    @admin.action(
        description="Archive selected (kept with their history, off the register)",
        permissions=["change"],
    )
    def archive(self, request, queryset):
        changed = self._set_archived(request, queryset, True)
        self.message_user(request, f"Archived {changed}.")

    @admin.action(description="Bring back selected from the archive", permissions=["change"])
    def unarchive(self, request, queryset):
        changed = self._set_archived(request, queryset, False)
        self.message_user(request, f"Brought back {changed}.")

"""Admin for service providers, commissioners, contracts, training arrangements, compliance
checks and alerts. Site administrators only: certification body staff have no permission
here. Compliance checks are evidence of what was seen, so their snapshot stays read-only."""

from django.contrib import admin

from .models import (
    Alert,
    Commissioner,
    ComplianceCheck,
    Contract,
    ContractReview,
    FollowerAlert,
    ProviderFollower,
    ServiceProvider,
    TrainingArrangement,
)


@admin.register(ServiceProvider)
class ServiceProviderAdmin(admin.ModelAdmin):
    list_display = ("name", "sector", "region", "town", "cqc_location_id")
    list_filter = ("sector", "region")
    search_fields = ("name", "cqc_location_id", "town", "postcode")
    list_select_related = ("region",)
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("populations", "settings")
    ordering = ("name",)


@admin.register(Commissioner)
class CommissionerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region")
    list_filter = ("kind", "region")
    search_fields = ("name",)
    list_select_related = ("region",)
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("name",)


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "commissioner",
        "service_provider",
        "starts_on",
        "ends_on",
        "requires_certified_training",
        "confirmation",
    )
    list_filter = ("confirmation", "requires_certified_training", "commissioner")
    search_fields = ("reference", "commissioner__name", "service_provider__name")
    list_select_related = ("commissioner", "service_provider")
    autocomplete_fields = ("commissioner", "service_provider")
    date_hierarchy = "starts_on"
    ordering = ("commissioner__name", "reference")
    # Only the service provider's staff answer a contract (compliance.consent), and the
    # service provider is fixed once recorded (Contract.save).
    readonly_fields = ("confirmation", "decided_by", "decided_at")

    def get_readonly_fields(self, request, obj=None):
        fixed = ("commissioner", "service_provider") if obj is not None else ()
        return (*fixed, *self.readonly_fields)

    def save_model(self, request, obj, form, change):
        # A change never writes the answer as loaded with the page (Contract.save).
        if change:
            obj.save(update_fields=Contract.EDITABLE_FIELDS)
        else:
            obj.save()


@admin.register(ContractReview)
class ContractReviewAdmin(admin.ModelAdmin):
    list_display = (
        "contract",
        "reviewed_on",
        "outcome",
        "actions_due_on",
        "actions_completed_on",
        "reviewed_by",
    )
    list_filter = ("outcome", "contract__commissioner")
    search_fields = ("contract__reference", "contract__service_provider__name")
    list_select_related = ("contract__service_provider", "reviewed_by")
    autocomplete_fields = ("contract",)
    date_hierarchy = "reviewed_on"
    ordering = ("-reviewed_on",)


@admin.register(TrainingArrangement)
class TrainingArrangementAdmin(admin.ModelAdmin):
    list_display = ("service_provider", "training_provider", "route", "starts_on", "ends_on")
    list_filter = ("route",)
    search_fields = ("service_provider__name", "training_provider__name")
    list_select_related = ("service_provider", "training_provider")
    autocomplete_fields = ("service_provider", "training_provider")
    filter_horizontal = ("specialist_content",)
    ordering = ("service_provider__name", "training_provider__name")


SNAPSHOT_FIELDS = (
    "certification",
    "seen_status",
    "seen_certificate_number",
    "seen_body_name",
    "seen_ukas_number",
    "seen_valid_until",
    "recorded_at",
)


@admin.register(ComplianceCheck)
class ComplianceCheckAdmin(admin.ModelAdmin):
    list_display = (
        "checked_on",
        "service_provider",
        "training_provider",
        "outcome",
        "seen_status",
        "next_review_due",
        "checked_by",
    )
    list_filter = ("outcome", "checked_on", "next_review_due")
    search_fields = (
        "arrangement__service_provider__name",
        "arrangement__training_provider__name",
        "seen_certificate_number",
    )
    list_select_related = (
        "arrangement__service_provider",
        "arrangement__training_provider",
        "checked_by",
    )
    autocomplete_fields = ("arrangement", "checked_by")
    raw_id_fields = ("certification",)
    date_hierarchy = "checked_on"
    ordering = ("-checked_on", "-recorded_at")

    def get_readonly_fields(self, request, obj=None):
        return SNAPSHOT_FIELDS if obj is not None else ("recorded_at",)

    @admin.display(ordering="arrangement__service_provider__name")
    def service_provider(self, check):
        return check.arrangement.service_provider

    @admin.display(ordering="arrangement__training_provider__name")
    def training_provider(self, check):
        return check.arrangement.training_provider


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("subject", "recipient", "kind", "created_at", "emailed_at", "read_at")
    list_filter = ("kind", "emailed_at", "read_at")
    search_fields = ("subject", "recipient__email", "key")
    list_select_related = ("recipient",)
    raw_id_fields = ("certification",)
    autocomplete_fields = ("recipient", "service_provider", "commissioner")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    readonly_fields = ("key", "created_at", "emailed_at")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProviderFollower)
class ProviderFollowerAdmin(ReadOnlyAdmin):
    """People following a provider without an account (compliance.following): made and
    changed only through their signed links. A site administrator may delete one (a request
    to be forgotten), which deletes its sent-news records too."""

    list_display = ("provider", "email", "created_at", "confirmed_at", "unsubscribed_at")
    list_filter = ("confirmed_at", "unsubscribed_at")
    search_fields = ("email", "provider__name")
    list_select_related = ("provider",)
    ordering = ("-created_at",)


@admin.register(FollowerAlert)
class FollowerAlertAdmin(ReadOnlyAdmin):
    list_display = ("subject", "follower", "created_at")
    search_fields = ("subject", "key", "follower__email")
    list_select_related = ("follower__provider",)
    ordering = ("-created_at",)

    def has_delete_permission(self, request, obj=None):
        return False

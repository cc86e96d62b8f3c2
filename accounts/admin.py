"""Admin for users (email sign-in) and their memberships of organisations.

Site administrators only: certification body staff have no permission on these models.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import Membership, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")
        field_classes = {}


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("role", "service_provider", "commissioner", "certification_body", "training_provider")
    autocomplete_fields = (
        "service_provider",
        "commissioner",
        "certification_body",
        "training_provider",
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    inlines = [MembershipInline]
    list_display = ("email", "full_name", "is_staff", "is_superuser", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "memberships__role", "groups")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    filter_horizontal = ("groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal details", {"fields": ("full_name", "email_alerts")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organisation", "created_at")
    list_filter = ("role",)
    search_fields = (
        "user__email",
        "user__full_name",
        "service_provider__name",
        "commissioner__name",
        "certification_body__name",
        "training_provider__name",
    )
    list_select_related = (
        "user",
        "service_provider",
        "commissioner",
        "certification_body",
        "training_provider",
    )
    autocomplete_fields = (
        "user",
        "service_provider",
        "commissioner",
        "certification_body",
        "training_provider",
    )
    ordering = ("user__email", "role")

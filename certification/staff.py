"""Certification body staff: who they are and what the admin lets them do.

Which bodies a user is staff of is answered by `CertificationBody.objects.for_user(user)`;
this module makes someone staff of a body (a membership, admin sign-in and the group that
carries the model permissions; migration 0004 creates the group), and answers which training
providers they may change (`editable_providers`).

A training provider's public details (and its curricula) are changed in the admin by:
- site administrators, any provider;
- a body's staff, a provider whose every certification (of any status, archived included) is
  by their own body, so one body never rewrites what the register shows of another body's
  certificate;
- a body's staff, a provider with no certification at all that a member of their body added
  (its first history record names who), so a body can set up a provider before registering
  its certification, and another body cannot rewrite it meanwhile.
A provider certified by two bodies is changed by site administrators only.
"""

from django.contrib.admin.utils import unquote
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404

STAFF_GROUP_NAME = "Certification body staff"

# The model permissions of the group (migration 0004 creates it with the same list).
STAFF_PERMISSIONS = {
    "certification": [
        "view_certification",
        "add_certification",
        "change_certification",
        "view_certificationevent",
        "view_certificationbody",
        "change_certificationbody",
        "view_accreditationchange",
        "view_certificationimport",
        "add_certificationimport",
    ],
    "providers": [
        "view_trainingprovider",
        "add_trainingprovider",
        "change_trainingprovider",
        "view_curriculum",
        "add_curriculum",
        "change_curriculum",
    ],
}


def staff_group():
    """The "Certification body staff" group, made again with its permissions if missing
    (for example after a test flushed the database)."""
    from django.contrib.auth.models import Permission

    group, created = Group.objects.get_or_create(name=STAFF_GROUP_NAME)
    if created:
        for app_label, codenames in STAFF_PERMISSIONS.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )
    return group


@transaction.atomic
def add_body_staff(user, body):
    """Make `user` staff of `body`: they can sign in to the admin and keep its records."""
    from accounts.models import Membership, Role

    Membership.objects.get_or_create(
        user=user, certification_body=body, defaults={"role": Role.CERTIFICATION_BODY_STAFF}
    )
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(staff_group())
    return user


def staff_body_ids(request):
    """The pks of the bodies the signing-in user keeps, worked out once per request."""
    if not hasattr(request, "_certification_body_ids"):
        from .models import CertificationBody

        request._certification_body_ids = frozenset(
            CertificationBody.objects.for_user(request.user).values_list("pk", flat=True)
        )
    return request._certification_body_ids


def editable_providers(request):
    """The training providers the signed-in user may change in the admin (rule above)."""
    from providers.models import TrainingProvider

    from .models import Certification

    providers = TrainingProvider.objects.all()
    if request.user.is_superuser:
        return providers
    body_ids = staff_body_ids(request)
    certifications = Certification.objects.filter(provider=OuterRef("pk"))
    added_by_own_staff = TrainingProvider.history.filter(
        id=OuterRef("pk"),
        history_type="+",
        history_user__memberships__certification_body__in=body_ids,
    )
    return providers.filter(
        ~Exists(certifications.exclude(body__in=body_ids))
        & (
            Exists(certifications.filter(body__in=body_ids))
            | (~Exists(certifications) & Exists(added_by_own_staff))
        )
    )


def may_change_provider(request, provider_id):
    if request.user.is_superuser:
        return True
    return editable_providers(request).filter(pk=provider_id).exists()


class BodyScopedAdminMixin:
    """Admin for records that belong to a certification body: staff of a body see and change
    only their own body's records; site administrators (superusers) see all.

    `body_lookup` is the path from the model to its body ("body", "certification__body", or
    "pk" for the body itself). Another body's record is a 404, never a redirect that confirms
    it exists.
    """

    body_lookup = "body"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.body_lookup}__in": staff_body_ids(request)})

    def body_id_of(self, obj):
        if self.body_lookup == "pk":
            return obj.pk
        target = obj
        *path, last = self.body_lookup.split("__")
        for name in path:
            target = getattr(target, name)
        return getattr(target, f"{last}_id")

    def in_scope(self, request, obj):
        if obj is None or request.user.is_superuser:
            return True
        if obj.pk is None and self.body_lookup == "pk":
            return False
        return self.body_id_of(obj) in staff_body_ids(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index with "does not exist"; out-of-scope is simply not found.
        raise Http404(f"No {opts.verbose_name} with this ID.")

    def _require_in_scope(self, request, object_id):
        if request.user.is_superuser:
            return
        # get_object answers None for an id of another body and for one that is no id at all.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404(f"No {self.opts.verbose_name} with this ID.")

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

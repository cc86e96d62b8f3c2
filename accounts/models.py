"""Users sign in with their email address and act for organisations through memberships."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Email is the sign-in name, unique whatever its case."""

    email = models.EmailField("email address", max_length=254, unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_staff = models.BooleanField(
        default=False, help_text="Can sign in to the admin (certification body staff)."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    email_alerts = models.BooleanField(
        default=True, help_text="Send me an email when a training provider's status changes."
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                violation_error_message="A user with this email address already exists.",
            )
        ]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name or self.email


class Role(models.TextChoices):
    SERVICE_PROVIDER_STAFF = "service_provider_staff", "Service provider staff"
    COMMISSIONER_STAFF = "commissioner_staff", "Commissioner staff"
    CERTIFICATION_BODY_STAFF = "certification_body_staff", "Certification body staff"
    TRAINING_PROVIDER_STAFF = "training_provider_staff", "Training provider staff"


# Which organisation field each role must fill; the others stay empty.
ORGANISATION_FIELD_BY_ROLE = {
    Role.SERVICE_PROVIDER_STAFF: "service_provider",
    Role.COMMISSIONER_STAFF: "commissioner",
    Role.CERTIFICATION_BODY_STAFF: "certification_body",
    Role.TRAINING_PROVIDER_STAFF: "training_provider",
}


def _exactly_one_organisation_matching_role():
    rule = Q()
    for role, field in ORGANISATION_FIELD_BY_ROLE.items():
        clause = Q(role=role)
        for other in ORGANISATION_FIELD_BY_ROLE.values():
            clause &= Q(**{f"{other}__isnull": other != field})
        rule |= clause
    return rule


class MembershipQuerySet(models.QuerySet):
    def of_service_providers(self):
        return self.filter(role=Role.SERVICE_PROVIDER_STAFF)

    def of_commissioners(self):
        return self.filter(role=Role.COMMISSIONER_STAFF)

    def of_certification_bodies(self):
        return self.filter(role=Role.CERTIFICATION_BODY_STAFF)


class Membership(models.Model):
    """A user acting for exactly one organisation, in the role that kind of organisation has."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    service_provider = models.ForeignKey(
        "compliance.ServiceProvider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    commissioner = models.ForeignKey(
        "compliance.Commissioner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    certification_body = models.ForeignKey(
        "certification.CertificationBody",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    training_provider = models.ForeignKey(
        "providers.TrainingProvider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__email", "role"]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_organisation_matching_role(),
                name="membership_one_organisation_matching_role",
                violation_error_message=(
                    "A membership names exactly one organisation, of the kind its role is for."
                ),
            ),
            *(
                models.UniqueConstraint(
                    fields=["user", field],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"membership_unique_user_{field}",
                    violation_error_message="This user is already a member of this organisation.",
                )
                for field in ORGANISATION_FIELD_BY_ROLE.values()
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} of {self.organisation}"

    @property
    def organisation(self):
        field = ORGANISATION_FIELD_BY_ROLE.get(self.role)
        return getattr(self, field) if field else None

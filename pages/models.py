from django.conf import settings
from django.db import models


class FormSubmission(models.Model):
    """What one post of a creating form saved, by the form's one-time token (pages.submissions):
    the same form posted again (a double click, a page sent again) is shown this result instead
    of writing a second record. Recorded in the transaction that wrote the record."""

    token = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["token"],
                name="form_submission_token_unique",
                violation_error_message="This form was already saved",
            )
        ]

    def __str__(self):
        return f"Form saved by {self.user} at {self.created_at:%Y-%m-%d %H:%M}: {self.result_url}"

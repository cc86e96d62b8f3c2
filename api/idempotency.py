"""The `Idempotency-Key` header on the certification bodies' POSTs: a retried request never
writes twice.

A POST sent with a key (by one token) is written together with its answer, in one
transaction; a retry with the same key and the same request (method, path, JSON body) within
24 hours gets that answer again, with `Idempotent-Replayed: true`, and writes nothing. The
same key with another request is refused with 422. Keys older than 24 hours are pruned on
each keyed write, and a key may then be used afresh. Two requests racing with one key: the
second's write is rolled back by the key's unique constraint and it gets the first's answer.
"""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .models import MAX_IDEMPOTENCY_KEY_LENGTH, IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEPT_HEADERS = ("ETag", "Location")

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "A unique value you choose for this write (a UUID, say). A retry with the same key "
        "and the same body within 24 hours gets the first answer (with `Idempotent-Replayed: "
        "true`) and writes nothing; the same key with a different body is refused with 422. "
        f"Up to {MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters."
    ),
)


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = (
        "This Idempotency-Key was already used for a different request: use a new key for a "
        "new request"
    )


def _key(request):
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if (
        not key
        or len(key) > MAX_IDEMPOTENCY_KEY_LENGTH
        or not key.isascii()
        or not key.isprintable()
    ):
        raise ValidationError(
            {
                HEADER: f"Send a key of 1 to {MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII "
                "characters, for example a UUID"
            }
        )
    return key


def _fingerprint(request):
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    text = f"{request.method} {request.path}\n{body}"
    return hashlib.sha256(text.encode()).hexdigest()


def _replay(stored, fingerprint):
    if stored.fingerprint != fingerprint:
        raise KeyReused()
    return Response(
        stored.body, status=stored.status, headers={**stored.headers, REPLAYED_HEADER: "true"}
    )


def _stored(token, key):
    return IdempotencyKey.objects.filter(token=token, key=key).first()


def idempotent(write):
    """Run `write()` (which answers a Response, or raises) at most once per key."""

    def run(request):
        key = _key(request)
        if key is None:
            return write()
        fingerprint = _fingerprint(request)
        IdempotencyKey.objects.expired().delete()
        stored = _stored(request.auth, key)
        if stored is not None:
            return _replay(stored, fingerprint)
        try:
            with transaction.atomic():
                response = write()
                if status.is_success(response.status_code):
                    IdempotencyKey.objects.create(
                        token=request.auth,
                        key=key,
                        fingerprint=fingerprint,
                        status=response.status_code,
                        body=json.loads(JSONRenderer().render(response.data)),
                        headers={n: response[n] for n in KEPT_HEADERS if response.has_header(n)},
                        created_at=timezone.now(),
                    )
        except IntegrityError:
            stored = _stored(request.auth, key)
            if stored is None:
                raise
            return _replay(stored, fingerprint)
        return response

    return run

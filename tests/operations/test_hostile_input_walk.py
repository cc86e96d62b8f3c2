"""Every URL pattern, the admin's included, as each actor, with hostile ids, query strings and
form values: never a server error (house rule 3).

For each pattern the walk requests:
1. the page with valid ids (those of tests/test_access_matrix.py's rows, or an admin object);
2. the page with each id replaced in turn by each hostile value (NUL, an undecodable byte,
   "1e3", "-1", 20 digits, 10,000 characters);
3. the page with each GET parameter it offers (found in its forms and links, the admin's date
   hierarchy, and some every page could be sent) set in turn to each hostile value;
4. each form on it posted empty and with every field set to each hostile value.
Posted empty, no form may answer with Django's "This field is required." (issue 16: messages
written for the field, pages.error_messages).
The admin's autocomplete is walked for every autocomplete field, each parameter hostile.

The sign-in POST is left out (`SKIPPED_FORMS`) and sign-out forms too, so the actor stays
signed in. Any response of 500 or more, or an exception while reading a streamed body, is
collected; the test fails once per actor listing them all.
"""

import logging
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from certification import importing
from certification.headline_periods import rebuild_all
from certification.models import CertificationImport
from certification.services import correct_provider_or_body, record_accreditation_change
from certification.staff import add_body_staff
from compliance.models import FollowerAlert, ProviderFollower
from derived.models import DataGeneration
from tests.factories import (
    CertificationFactory,
    CurriculumFactory,
    MembershipFactory,
    TrainingProviderFactory,
    UserFactory,
)
from tests.test_access_matrix import ACTORS, ROWS, World, url_patterns

# As typed into an address bar: each is put in a URL as it stands here ("%FF" is a byte
# that is not UTF-8), and posted in a form decoded.
HOSTILE = {
    "NUL": "%00",
    "byte FF": "%FF",
    "1e3": "1e3",
    "-1": "-1",
    "20 digits": "9" * 20,
    "10,000 characters": "x" * 10_000,
}
POSTED = {"NUL": "\x00", "20 digits": "9" * 20, "10,000 characters": "x" * 10_000, "-1": "-1"}
# Parameters any page may be sent, besides those it offers itself.
GENERIC_PARAMETERS = ("q", "page", "sort", "o", "p", "next")
# Parameters of the admin's change lists that no link shows until used.
ADMIN_LIST_PARAMETERS = ("q", "o", "p", "all", "e", "_to_field", "_popup")
ADMIN_FORM_PARAMETERS = ("_to_field", "_changelist_filters")
# Forms the walk does not post: sign-out (the actor would be signed out) and sign-in (its
# e-mail address over 255 characters is another fix's; tests/operations/test_fuzz_public.py
# fuzzes the sign-in form).
SKIPPED_FORMS = ("/accounts/logout/", "/admin/logout/", "/accounts/login/", "/admin/login/")

# How far each actor walks the site's pages and the admin's, to keep the walk to a few
# minutes: VALID only requests each page with valid ids; IDS also with each id hostile; FULL
# also with hostile query strings and posted forms, on the pages the actor gets (200).
# The admin is walked fully by the site administrator and by staff of certification body A
# (its two kinds of user); it sends everyone else to its sign-in page whatever the id. The
# public pages are walked fully by the anonymous actor, each organisation's pages by its own
# staff (organisation A's), and the pages of others with hostile ids by everyone, which is
# where pages one cannot see differ.
VALID, IDS, FULL = 1, 2, 3
DEPTHS = {
    "anonymous": (FULL, VALID),
    "superuser": (IDS, FULL),
    f"{Role.CERTIFICATION_BODY_STAFF}_a": (IDS, FULL),
    **{f"{role}_a": (FULL, VALID) for role in Role if role != Role.CERTIFICATION_BODY_STAFF},
}
OUTSIDER = (IDS, VALID)
PUBLIC_PAGES = {row.name for row in ROWS if row.expect["anonymous"] == 200}

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


class HostileWorld(World):
    """The matrix's organisations A and B, and a record of every model the admin shows
    (organisation A's first, so that body A's staff find their own)."""

    def __init__(self):
        super().__init__()
        self.certification_a = CertificationFactory(
            provider=self.training_provider_a, body=self.certification_body_a
        )
        CurriculumFactory(provider=self.training_provider_a)
        record_accreditation_change(
            self.certification_body_a,
            "accredited",
            effective_date=self.certification_a.certified_on,
        )
        template = importing.template_csv()  # a file to preview, with its fingerprint
        self.certification_import = CertificationImport.objects.create(
            body=self.certification_body_a,
            uploaded_by=UserFactory(),
            filename="certifications.csv",
            sha256=importing.sha256(template),
            content=template,
        )
        spare = CertificationFactory()
        correct_provider_or_body(  # a correction, for its admin pages
            spare,
            provider=TrainingProviderFactory(),
            body=spare.body,
            reason="Walked",
            recorded_by=UserFactory(is_superuser=True, is_staff=True),
        )
        follower = ProviderFollower.objects.create(  # a follower and its news, for their admin
            provider=spare.provider, email="walker-follows@example.org", confirmed_at=timezone.now()
        )
        FollowerAlert.objects.create(follower=follower, key="walk:1", subject="Walked news")
        rebuild_all()
        DataGeneration.objects.get_or_create(name="register")
        Group.objects.get_or_create(name="Walkers")
        for log in (AccessAttempt, AccessFailureLog, AccessLog):
            extra = {"get_data": "", "post_data": "", "failures_since_start": 1}
            log.objects.create(
                user_agent="walker",
                ip_address="127.0.0.1",
                username="walker@example.org",
                http_accept="*/*",
                path_info="/accounts/login/",
                **(extra if log is AccessAttempt else {}),
            )
        MembershipFactory.of(self.service_provider_a)
        self.check_a  # noqa: B018 (arrangement, check, contract, review and alerts of A)
        self.review_a  # noqa: B018
        self.alert_a  # noqa: B018
        self.commissioner_alert_a  # noqa: B018

    def user(self, actor):
        user = super().user(actor)
        if actor.startswith(Role.CERTIFICATION_BODY_STAFF):
            add_body_staff(user, self.organisation(Role.CERTIFICATION_BODY_STAFF, actor[-1]))
        return user


ROW_KWARGS = {row.name: row.kwargs for row in ROWS if row.kwargs}


def admin_model(route):
    """The model whose admin pages `route` is under, or None."""
    parts = route.split("/")
    if len(parts) < 4:
        return None
    return next(
        (
            model
            for model in admin.site._registry
            if (model._meta.app_label, model._meta.model_name) == (parts[2], parts[3])
        ),
        None,
    )


def valid_kwargs(name, route, world):
    """Values for the route's parameters that find a record, or None if none are known."""
    wanted = PARAMETER.findall(route)
    if not wanted:
        return {}
    if not route.startswith("/admin/"):
        kwargs = ROW_KWARGS.get(name)
        return {key: str(value) for key, value in kwargs(world).items()} if kwargs else None
    values = {"app_label": "certification", "url": "nothing-here/"}
    model = admin_model(route)
    if "content_type_id" in wanted:  # "view on site"
        values["content_type_id"] = ContentType.objects.get_for_model(world.training_provider_a).pk
        values["object_id"] = world.training_provider_a.pk
    elif model is not None:
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            return None
        values["object_id"] = values["id"] = obj.pk
        if "version_id" in wanted:
            values["version_id"] = obj.history.order_by("history_id").first().history_id
    if "import_id" in wanted:
        values["import_id"] = world.certification_import.pk
    if not set(wanted) <= set(values):
        return None
    return {key: str(values[key]) for key in wanted}


def build(route, kwargs):
    return PARAMETER.sub(lambda match: quote(kwargs[match[1]], safe="%"), route)


class PageParts(HTMLParser):
    """The GET parameters a page offers (its GET forms' fields and its links' query strings)
    and its POST forms (action, fields with their values, whether it uploads a file)."""

    def __init__(self, url):
        super().__init__()
        self.url = url
        self.parameters = set()
        self.forms = []
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "?" in (attrs.get("href") or ""):
            href = urljoin(self.url, attrs["href"])
            if urlsplit(href).path == urlsplit(self.url).path:
                self.parameters |= {key for key, _ in parse_qsl(urlsplit(href).query)}
        elif tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": urljoin(self.url, attrs.get("action") or self.url),
                "fields": {},
                "files": set(),
            }
        elif tag in ("input", "select", "textarea", "button") and self._form is not None:
            field_name = attrs.get("name")
            if not field_name:
                return
            if attrs.get("type") == "file":
                self._form["files"].add(field_name)
            else:
                self._form["fields"][field_name] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            if self._form["method"] == "get":
                if urlsplit(self._form["action"]).path == urlsplit(self.url).path:
                    self.parameters |= set(self._form["fields"])
            else:
                self.forms.append(self._form)
            self._form = None


class Walk:
    def __init__(self, client, world, user, depths):
        self.client = client
        self.user = user
        self.world = world
        self.site_depth, self.admin_depth = depths
        self.failures = []
        self.default_messages = []
        self.requests = 0
        self.deferred_forms = []

    def get(self, url):
        return self.request("GET", url)

    def request(self, method, url, data=None):
        self.requests += 1
        try:
            response = self.client.get(url) if method == "GET" else self.client.post(url, data)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        except Exception as error:  # every failure is listed, then the test fails
            self.failures.append(f"{method} {url[:200]}: {type(error).__name__}: {error}"[:400])
            return None
        if response.status_code >= 500:
            error = response.exc_info[1] if response.exc_info else ""
            self.failures.append(
                f"{method} {url[:120]}: {response.status_code} {type(error).__name__}: {error}"[
                    :300
                ]
            )
        return response

    def pattern(self, name, route):
        if "<var>" in route:
            # simple-history's page of one past version: a regex of unnamed groups, which
            # simplify_regex garbles after the model's prefix.
            route = route.split("<var>")[0] + "<object_id>/history/<version_id>/"
        kwargs = valid_kwargs(name, route, self.world)
        if kwargs is None:
            self.failures.append(f"{route} ({name}): no valid values for its parameters known")
            return
        depth = self.admin_depth if route.startswith("/admin/") else self.site_depth
        if name in PUBLIC_PAGES and self.user is not None:
            depth = min(depth, IDS)  # the anonymous actor walks them fully
        url = build(route, kwargs)
        response = self.get(url)
        if depth == VALID:
            return
        for parameter in kwargs:
            for value in HOSTILE.values():
                self.get(build(route, {**kwargs, parameter: value}))
        if depth != FULL or response is None or response.status_code != 200:
            return
        parameters = set(self.parameters_of(route))
        if self._is_html(response):
            page = PageParts(url)
            page.feed(response.content.decode())
            parameters |= page.parameters
            self.deferred_forms.extend(page.forms)
        for parameter in sorted(parameters):
            for value in HOSTILE.values():
                self.get(f"{url}?{quote(parameter)}={value}")

    @staticmethod
    def parameters_of(route):
        """The parameters a page may be sent that it need not show in a link or form."""
        if not route.startswith("/admin/"):
            return GENERIC_PARAMETERS
        model = admin_model(route)
        if model is None:
            return ()
        if route.count("/") == 5:  # a change list
            hierarchy = admin.site._registry[model].date_hierarchy
            dates = (
                [f"{hierarchy}__{part}" for part in ("year", "month", "day")] if hierarchy else []
            )
            return (*ADMIN_LIST_PARAMETERS, *dates)
        if route.endswith(("/add/", "/change/")):
            return ADMIN_FORM_PARAMETERS
        return ()

    def forms(self):
        """Post every form found, each field hostile; delete confirmations last, so the records
        stay for the other forms."""
        forms = {(form["action"], tuple(form["fields"])): form for form in self.deferred_forms}
        ordered = sorted(forms.values(), key=lambda form: "/delete/" in form["action"])
        for form in ordered:
            if urlsplit(form["action"]).path.startswith(SKIPPED_FORMS):
                continue
            names = [name for name in form["fields"] if name != "csrfmiddlewaretoken"]
            response = self.request("POST", form["action"], {})
            if response is not None and b"This field is required" in response.content:
                self.default_messages.append(form["action"])
            for value in POSTED.values():
                data = dict.fromkeys(names, value)
                for file_field in form["files"]:
                    data[file_field] = SimpleUploadedFile(
                        "hostile.csv", value.encode(), content_type="text/csv"
                    )
                self.request("POST", form["action"], data)

    def autocomplete(self):
        """The admin's autocomplete, for every autocomplete field, each parameter hostile."""
        for model, model_admin in admin.site._registry.items():
            owners = [(model, model_admin)] + [
                (inline.model, inline) for inline in getattr(model_admin, "inlines", ())
            ]
            for owner, owner_admin in owners:
                for field_name in owner_admin.autocomplete_fields:
                    query = {
                        "term": "a",
                        "app_label": owner._meta.app_label,
                        "model_name": owner._meta.model_name,
                        "field_name": field_name,
                    }
                    for parameter in query:
                        for value in HOSTILE.values():
                            hostile = {**query, parameter: value}
                            self.get(
                                "/admin/autocomplete/?"
                                + "&".join(f"{key}={val}" for key, val in hostile.items())
                            )

    @staticmethod
    def _is_html(response):
        return response.get("Content-Type", "").startswith("text/html") and not getattr(
            response, "streaming", False
        )


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # evidence files
    return HostileWorld()


@pytest.fixture
def _quiet_logs():
    """The walk's thousands of 400s and 404s would each be logged; it collects its failures
    itself, so logging is off while it runs."""
    logging.disable(logging.ERROR)
    yield
    logging.disable(logging.NOTSET)


@pytest.mark.usefixtures("_quiet_logs")
@pytest.mark.parametrize("actor", ACTORS)
def test_no_url_gives_a_server_error_whatever_is_sent(world, actor):
    client = Client(raise_request_exception=False)
    user = world.acting_user = world.user(actor)
    if user is not None:
        client.force_login(user)
    walk = Walk(client, world, user, DEPTHS.get(actor, OUTSIDER))

    patterns = list(url_patterns(excluded=()))
    for name, route, _callback in patterns:
        walk.pattern(name, route)
    if walk.admin_depth == FULL:
        walk.autocomplete()
    walk.forms()

    assert walk.requests > len(patterns), "the walk reached too few pages"
    assert not walk.failures, f"{len(walk.failures)} server errors as {actor}:\n" + "\n".join(
        walk.failures
    )
    assert not walk.default_messages, "Django's default required message, posted empty:\n" + (
        "\n".join(walk.default_messages)
    )

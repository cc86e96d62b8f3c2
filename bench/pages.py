"""What `make bench` requests, found in the generated data, with the credentials it sends.

    DATABASE_URL=… python bench/pages.py OUT.json

Run by bench/run.py in the bench's environment after `generate_load_data`: it picks the first
generated certified provider (its page, its certificate number, its town and region for the
filtered register) and the benchmark actors compliance/load_actors.py makes, and signs their
members in by creating a session, as Django's test client does (no password is needed and
django-axes, which watches sign-in attempts, is not involved). The API is asked as the care
home (`load-service`) with a read token of its own, made here as its tokens page makes one
(ApiToken.issue: its text exists only in this answer), so the API counts the bench's requests
by token, not by address (api/throttling.py). Writes JSON, not stdout: the application logs
to stdout.

Each page also gets its **distinct addresses** (`distinct`): thousands of real addresses of the
same page from the generated data, in a fixed shuffled order, which bench/distinct.lua asks
for one after the other so that no address repeats within a run and no request is served
from kept content: every provider's page, every certificate number, the towns, statuses and
regions providers really have, every status, region and population combination (one or two
statuses, three sorts), every page number of the register (three sorts, each status), the
service provider's dashboard on every day of the last five years (`?on=`), and the
commissioner's overview on every day its contracts are current, with each state filter and
sort (`commissioner_overviews`). The plain register has one
address: its distinct figure varies a parameter the page ignores (`?v=N`), which renders it
afresh as the first request after a write does. The API's provider list gets the searched
register's towns, statuses and regions; the bulk verification, which is a POST, gets request
bodies instead of addresses: sets of VERIFICATION_BATCH real certificate numbers, consecutive
slices of the numbers shuffled again for each pass over them, so every request asks a
different set.
"""

import datetime as dt
import itertools
import json
import os
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from api.models import ApiToken  # noqa: E402
from certification.models import Certification  # noqa: E402
from certification.statuses import Status  # noqa: E402
from compliance import load_actors  # noqa: E402
from compliance.models import Commissioner, Contract, ServiceProvider  # noqa: E402
from providers.models import TrainingProvider  # noqa: E402
from providers.querysets import HEADLINE_SLUGS  # noqa: E402
from standards.models import Population, Region  # noqa: E402

DISTINCT_LIMIT = 20_000  # addresses a page at most: more than a run asks for
SORTS = ("name", "status", "valid_until")
VERIFICATION_BATCH = 100  # certificate numbers a bulk verification asks for (the API's most)
VERIFICATION_SETS = 2_000  # different sets: more than a run asks for at ~50 requests/s
JSON = {"Content-Type": "application/json"}


def session_cookie(email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def api_token(email):
    """A read token of the member's organisation, as its tokens page issues one."""
    user = User.objects.get(email=email)
    _, text = ApiToken.issue(
        name="make bench",
        membership=user.memberships.get(),
        scope=ApiToken.Scope.READ,
        expires_at=timezone.now() + dt.timedelta(days=1),
        created_by=user,
    )
    return text


def credentials():
    """{actor: {header: value}}: what each actor's requests carry."""
    return {
        "service": {"Cookie": session_cookie(load_actors.SERVICE_EMAIL)},
        "commissioner": {"Cookie": session_cookie(load_actors.COMMISSIONER_EMAIL)},
        "api": {"Authorization": f"Bearer {api_token(load_actors.SERVICE_EMAIL)}"},
    }


def verification_body(numbers):
    """A bulk verification's JSON body, on one line (bench/distinct.lua reads it so)."""
    return json.dumps({"certificates": list(numbers)}, separators=(",", ":"))


def verified(numbers):
    """What the answer for `numbers` shows when each is found (the API's compact JSON)."""
    return [f'"number":"{number}","found":true' for number in numbers]


def _certificate_numbers(providers):
    return list(
        Certification.objects.on_register()
        .filter(provider__in=providers, certificate_number__isnull=False)
        .order_by("pk")
        .values_list("certificate_number", flat=True)
    )


def page(key, label, path, expect, actor=None, **more):
    """One page: `expect` is text the page must show (or a list of texts, each), and `more`
    its `body` (the page is then POSTed that body), `headers` and `distinct_expect` (what the
    first of its distinct addresses must show)."""
    return {"key": key, "label": label, "path": path, "actor": actor, "expect": expect, **more}


def pages():
    """[page()]: every page the bench measures, in the table's order."""
    certification = (
        Certification.objects.filter(status=Status.CERTIFIED, provider__slug__startswith="load-")
        .select_related("provider__region")
        .order_by("pk")
        .first()
    )
    if certification is None:
        raise SystemExit("no generated certified provider: run generate_load_data first")
    provider = certification.provider
    commissioner = Commissioner.objects.get(slug=load_actors.COMMISSIONER_SLUG)
    service = ServiceProvider.objects.get(slug=load_actors.SERVICE_SLUG)
    search = urlencode({"q": provider.town, "status": "certified", "region": provider.region.slug})
    population = certification.populations.order_by("pk").first()
    facets = urlencode(
        {"status": "certified", "region": provider.region.slug, "population": population.slug}
    )
    number = certification.certificate_number
    # The first certified provider's number among the first numbers of the data: the same
    # VERIFICATION_BATCH every request.
    providers = TrainingProvider.objects.active().filter(slug__startswith="load-")
    others = [n for n in _certificate_numbers(providers)[:VERIFICATION_BATCH] if n != number]
    batch = [number, *others][:VERIFICATION_BATCH]
    return [
        page("healthz", "Health check", "/healthz", "ok"),
        page("register", "Register", "/providers/", "Load Provider"),
        page("register_filtered", "Register, searched and filtered", f"/providers/?{search}",
             f'href="{provider.get_absolute_url()}"'),
        page("register_facets", "Register, status, region and population",
             f"/providers/?{facets}", "Load Provider"),
        page("register_page_40", "Register, page 40", "/providers/?page=40", "Load Provider"),
        page("provider", "Provider page", provider.get_absolute_url(), provider.name),
        page("certificate_check", "Certificate check",
             f"/certificates/check/?{urlencode({'number': number})}", number),
        page("service_provider_dashboard", "Service provider dashboard",
             service.get_absolute_url(), service.name, "service"),
        page("commissioner_overview", "Commissioner overview (300 contracts)",
             commissioner.get_absolute_url(), commissioner.name, "commissioner"),
        page("api_providers", "API provider list, searched and filtered",
             f"/api/v1/providers/?{search}", f'"slug":"{provider.slug}"', "api",
             distinct_expect='"results":[{"slug":'),
        page("api_verifications", f"API bulk verification ({len(batch)} certificates)",
             "/api/v1/verifications/", verified(batch), "api",
             body=verification_body(batch), headers=JSON),
    ]  # fmt: skip


def _shuffled(paths):
    """Unique, in a fixed random order (the same data gives the same file), at most
    DISTINCT_LIMIT."""
    unique = list(dict.fromkeys(paths))
    random.Random(15).shuffle(unique)
    return unique[:DISTINCT_LIMIT]


def distinct_addresses():
    """{page key: [path]}: real, different addresses of each page (the module's docstring)."""
    today = timezone.localdate()
    providers = TrainingProvider.objects.active().filter(slug__startswith="load-")
    statuses = list(HEADLINE_SLUGS.values())
    regions = list(Region.objects.values_list("slug", flat=True))
    populations = list(Population.objects.values_list("slug", flat=True))
    # The headline each provider has today, so a search names a status it can match.
    headlines = dict(providers.with_headline(today).values_list("pk", "headline_rank"))
    slug_of = {int(kind): slug for kind, slug in HEADLINE_SLUGS.items()}
    # Town, status and region of each provider: the register's search and the API's.
    searches = _shuffled(
        urlencode({"q": town, "status": slug_of[headlines[pk]], "region": region})
        for pk, town, region in providers.values_list("pk", "town", "region__slug")
    )
    status_sets = [[s] for s in statuses] + [list(p) for p in itertools.combinations(statuses, 2)]
    facets = [
        "/providers/?"
        + urlencode(
            [("status", s) for s in chosen]
            + [("region", region), ("population", population)]
            + ([("sort", sort)] if sort != "name" else [])
        )
        for chosen in status_sets
        for region in regions
        for population in populations
        for sort in SORTS
    ]
    counts = {None: providers.count()}
    for rank, count in _counts_by_headline(providers, today).items():
        counts[slug_of[rank]] = count
    pages = [
        "/providers/?"
        + urlencode(
            ([("status", status)] if status else [])
            + ([("sort", sort)] if sort != "name" else [])
            + [("page", number)]
        )
        for status, count in counts.items()
        for sort in SORTS
        for number in range(2, (count + 24) // 25 + 1)
    ]
    numbers = _certificate_numbers(providers)
    days = [today - dt.timedelta(days=n) for n in range(1, 5 * 365)]
    service = ServiceProvider.objects.get(slug=load_actors.SERVICE_SLUG).get_absolute_url()
    commissioner = Commissioner.objects.get(slug=load_actors.COMMISSIONER_SLUG).get_absolute_url()
    return {
        "register": [f"/providers/?v={n}" for n in range(DISTINCT_LIMIT)],
        "register_filtered": [f"/providers/?{search}" for search in searches],
        "register_facets": _shuffled(facets),
        "register_page_40": _shuffled(pages),
        "provider": _shuffled(p.get_absolute_url() for p in providers.only("slug")),
        "certificate_check": _shuffled(
            f"/certificates/check/?{urlencode({'number': n})}" for n in numbers
        ),
        "service_provider_dashboard": _shuffled(f"{service}?on={day}" for day in days),
        "commissioner_overview": _shuffled(commissioner_overviews(commissioner, today)),
        "api_providers": [f"/api/v1/providers/?{search}" for search in searches],
        "api_verifications": verification_sets(numbers),
    }


def commissioner_overviews(url, today):
    """The commissioner's overview on every day its contracts are current (from the first
    start to the last end, or today), with each state filter (or none) and each sort: on each
    address the 300 services' rows are worked out afresh (nothing keeps them), and on dates
    before the contracts there would be none to work out."""
    from django.db.models import Max, Min

    from compliance.overview import SORT_CHOICES, STATE_CHOICES

    contracts = Contract.objects.filter(commissioner__slug=load_actors.COMMISSIONER_SLUG)
    span = contracts.aggregate(first=Min("starts_on"), last=Max("ends_on"))
    still_open = contracts.filter(ends_on__isnull=True).exists()
    last = today if still_open or span["last"] is None else min(span["last"], today)
    days = [span["first"] + dt.timedelta(days=n) for n in range((last - span["first"]).days + 1)]
    states = [None] + [key for key, _ in STATE_CHOICES]
    return [
        f"{url}?"
        + urlencode([("on", day)] + ([("state", state)] if state else []) + [("sort", sort)])
        for day in days
        for state in states
        for sort, _ in SORT_CHOICES
    ]


def verification_sets(numbers):
    """[body]: VERIFICATION_SETS bulk verifications of VERIFICATION_BATCH different real
    numbers each, every set different: consecutive slices of the numbers, shuffled afresh
    for each pass over them (a number is asked once a pass)."""
    rng = random.Random(17)
    numbers = list(numbers)
    size = min(VERIFICATION_BATCH, len(numbers))
    sets = []
    while numbers and len(sets) < VERIFICATION_SETS:
        rng.shuffle(numbers)
        sets += [numbers[i : i + size] for i in range(0, len(numbers) - size + 1, size)]
    return _shuffled(verification_body(chosen) for chosen in sets[:VERIFICATION_SETS])


def _counts_by_headline(providers, today):
    from django.db.models import Count

    rows = providers.with_headline(today).values("headline_rank").annotate(n=Count("pk"))
    return {row["headline_rank"]: row["n"] for row in rows}


def main(out):
    distinct = distinct_addresses()
    described_pages = [dict(p, distinct=distinct.get(p["key"])) for p in pages()]
    for entry in described_pages:
        if entry["key"] == "api_verifications" and entry["distinct"]:
            # Its first set, checked before load, must find every one of its numbers.
            entry["distinct_expect"] = verified(json.loads(entry["distinct"][0])["certificates"])
    described = {
        "providers": TrainingProvider.objects.filter(slug__startswith="load-").count(),
        "contracts": Commissioner.objects.get(slug=load_actors.COMMISSIONER_SLUG).contracts.count(),
        "pages": described_pages,
        "credentials": credentials(),
        "csv": "/providers/export.csv",
    }
    Path(out).write_text(json.dumps(described, indent=2))


if __name__ == "__main__":
    main(sys.argv[1])

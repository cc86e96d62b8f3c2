"""What each bench page costs rendered afresh, against served from its kept content.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench DJANGO_SECRET_KEY=x \\
        DJANGO_ALLOWED_HOSTS=testserver DJANGO_SECURE_SSL_REDIRECT=false \\
        python bench/afresh.py [REQUESTS]

Run after `make bench` (its database holds the largest size). In-process, with Django's test
client and the production settings (DEBUG off): no server, no network, no load tool, so the
figures are CPU milliseconds of the Django process per request (PostgreSQL's own work is in
the wall-clock column). "afresh" swaps the kept-content cache for one that keeps nothing
(pages.content_cache), as a new address or the first request after a write is served. The
API keeps nothing: its two figures are the same work. It is asked with a read token of the
care home, as `make bench` asks it.
"""

import functools
import importlib.util
import sys
import time
from pathlib import Path

# bench/pages.py (which sets Django up) by its path: its name is the project's `pages` app's.
_spec = importlib.util.spec_from_file_location("bench_pages", Path(__file__).with_name("pages.py"))
bench_pages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_pages)

from django.core.cache.backends.dummy import DummyCache  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from compliance import load_actors  # noqa: E402
from pages import content_cache  # noqa: E402


@functools.cache
def _api_token():
    return bench_pages.api_token(load_actors.SERVICE_EMAIL)


def asker(page):
    """A function asking the page once with Django's test client, as its actor: signed in,
    or with the API token; a POST of its body for a page with one."""
    client = Client()
    email = {"service": load_actors.SERVICE_EMAIL, "commissioner": load_actors.COMMISSIONER_EMAIL}
    headers = {}
    if page["actor"] == "api":
        headers["Authorization"] = f"Bearer {_api_token()}"
    elif page["actor"]:
        client.force_login(User.objects.get(email=email[page["actor"]]))
    if page.get("body") is not None:
        return lambda: client.post(
            page["path"], page["body"], content_type="application/json", headers=headers
        )
    return lambda: client.get(page["path"], headers=headers)


def cost(ask, requests):
    assert ask().status_code == 200
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(requests):
        ask()
    return (
        (time.process_time() - cpu) / requests * 1000,
        (time.perf_counter() - wall) / requests * 1000,
    )


def main(requests):
    kept_cache = content_cache.cache
    print("| page | kept: CPU / wall ms | afresh: CPU / wall ms |")
    print("|---|---|---|")
    for page in bench_pages.pages():
        ask = asker(page)
        content_cache.cache = kept_cache
        kept = cost(ask, requests)
        content_cache.cache = DummyCache("afresh", {})
        afresh = cost(ask, requests)
        label = page["label"]
        print(f"| {label} | {kept[0]:.1f} / {kept[1]:.1f} | {afresh[0]:.1f} / {afresh[1]:.1f} |")
    content_cache.cache = kept_cache


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)

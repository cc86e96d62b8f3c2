"""What each bench page costs rendered afresh, against served from its kept content.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench DJANGO_SECRET_KEY=x \\
        DJANGO_ALLOWED_HOSTS=testserver DJANGO_SECURE_SSL_REDIRECT=false \\
        python bench/afresh.py [REQUESTS]

Run after `make bench` (its database holds the largest size). In-process, with Django's test
client and the production settings (DEBUG off): no server, no network, no load tool, so the
figures are CPU milliseconds of the Django process per request (PostgreSQL's own work is in
the wall-clock column). "afresh" swaps the kept-content cache for one that keeps nothing
(pages.content_cache), as a new address or the first request after a write is served.
"""

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


def client_for(actor):
    client = Client()
    email = {"service": load_actors.SERVICE_EMAIL, "commissioner": load_actors.COMMISSIONER_EMAIL}
    if actor:
        client.force_login(User.objects.get(email=email[actor]))
    return client


def cost(client, path, requests):
    assert client.get(path).status_code == 200
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(requests):
        client.get(path)
    return (
        (time.process_time() - cpu) / requests * 1000,
        (time.perf_counter() - wall) / requests * 1000,
    )


def main(requests):
    kept_cache = content_cache.cache
    print("| page | kept: CPU / wall ms | afresh: CPU / wall ms |")
    print("|---|---|---|")
    for _key, label, path, actor, _expect in bench_pages.pages():
        client = client_for(actor)
        content_cache.cache = kept_cache
        kept = cost(client, path, requests)
        content_cache.cache = DummyCache("afresh", {})
        afresh = cost(client, path, requests)
        print(f"| {label} | {kept[0]:.1f} / {kept[1]:.1f} | {afresh[0]:.1f} / {afresh[1]:.1f} |")
    content_cache.cache = kept_cache


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)

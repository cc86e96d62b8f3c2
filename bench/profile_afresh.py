"""Where a bench page's time goes rendered afresh: pyinstrument over Django's test client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench DJANGO_SECRET_KEY=x \\
        DJANGO_ALLOWED_HOSTS=testserver DJANGO_SECURE_SSL_REDIRECT=false \\
        python bench/profile_afresh.py KEY [REQUESTS] [OUT.html]

KEY is a page key of bench/pages.py (register_filtered, provider, ...); PROFILE_ALL=1 shows
library frames too. In-process, production
settings (DEBUG off), kept content off (as bench/afresh.py). pyinstrument is a dev dependency.
"""

import importlib.util
import os
import sys
from pathlib import Path

_afresh = Path(__file__).with_name("afresh.py")
_spec = importlib.util.spec_from_file_location("bench_afresh", _afresh)
bench_afresh = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_afresh)

from django.core.cache.backends.dummy import DummyCache  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from pages import content_cache  # noqa: E402


def main(key, requests=30, out=None):
    page = next(p for p in bench_afresh.bench_pages.pages() if p["key"] == key)
    ask = bench_afresh.asker(page)
    content_cache.cache = DummyCache("afresh", {})
    assert ask().status_code == 200
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(requests):
        ask()
    profiler.stop()
    if out:
        Path(out).write_text(profiler.output_html())
    show_all = bool(os.environ.get("PROFILE_ALL"))  # Django's own frames too
    print(profiler.output_text(unicode=False, color=False, show_all=show_all))


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[0], int(args[1]) if len(args) > 1 else 30, args[2] if len(args) > 2 else None)

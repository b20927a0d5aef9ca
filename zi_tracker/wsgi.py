import gc
import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_tracker.settings")

application = get_wsgi_application()


def _warm_up() -> None:
    """What a new worker's first requests would otherwise pay for while users wait: every
    view module (the URLconf loads lazily) and the reverse map of its addresses, the
    translation catalogs, the app's templates compiled (the cached loader keeps them;
    ~0.4 s for all of them), the upload check's PDF parser, and the evidence store's
    client (on S3, botocore's service model).

    Under ``gunicorn --preload`` this runs once, in the master, and the workers are forked
    from it warm; so it opens no connection a forked worker would share: the database's
    are closed at the end, the cache and the store connect on first use."""
    import pypdf  # noqa: F401  (imported inside the upload check)
    from django.conf import settings
    from django.db import connections
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    from evidence.storage import evidence_storage

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018  (the property imports the views)
    resolver.reverse_dict  # noqa: B018
    with translation.override(settings.LANGUAGE_CODE):
        folder = Path(settings.BASE_DIR) / "templates"
        for path in sorted(folder.rglob("*.html")):
            get_template(path.relative_to(folder).as_posix())
    evidence_storage().warm_up()
    connections.close_all()


# Python's cycle collector, tuned for a request server (the allocation counts measured
# under the load test: ~300 young and ~30 middle collections and a full one of ~0.2 s CPU
# per worker a minute, ~4 % of its CPU):
# - what is loaded by now (Django, the app, its templates; ~145,000 objects) lives as long
#   as the process: frozen, no collection walks it again, and the workers forked from a
#   --preload master do not copy its pages by writing its collector headers;
# - a request allocates tens of thousands of objects that its end frees by reference
#   counting: the young generation is collected every 50,000 allocations rather than
#   700, so those die before a collection ever walks them.
GC_THRESHOLDS = (50_000, 20, 100)

_warm_up()
gc.collect()
gc.freeze()
gc.set_threshold(*GC_THRESHOLDS)

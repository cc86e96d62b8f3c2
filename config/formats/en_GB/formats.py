"""British English formats as GOV.UK writes dates: "1 December 2026" (Django's is "1 Dec 2026").

Locale formats win over the DATE_FORMAT setting, so the service's own format module overrides
Django's en_GB one (FORMAT_MODULE_PATH); everything else is Django's.
"""

from django.conf.locale.en_GB.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"  # 1 December 2026
DATETIME_FORMAT = "j F Y, H:i"  # 1 December 2026, 14:30

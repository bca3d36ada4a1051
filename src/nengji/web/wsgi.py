"""WSGI entry point used by `nengji serve` (gunicorn) and any other WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nengji.web.settings")
application = get_wsgi_application()

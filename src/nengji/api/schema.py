"""Print the OpenAPI schema: `python -m nengji.api.schema > src/nengji/api/openapi.json`."""

from __future__ import annotations

import json
import sys


def schema_json() -> str:
    from nengji.api.app import api

    return json.dumps(api.get_openapi_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":  # pragma: no cover
    import django

    django.setup()
    sys.stdout.write(schema_json())

"""The REST API (django-ninja): one router per domain, token auth, JSON errors with detail."""

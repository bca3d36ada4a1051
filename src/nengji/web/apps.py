from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "nengji.web"
    verbose_name = "Web"

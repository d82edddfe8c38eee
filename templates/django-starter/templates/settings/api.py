# REST API under /api/ (Django REST Framework; OpenAPI by drf-spectacular,
# Swagger UI's files served from the static files by drf-spectacular-sidecar).
# https://www.django-rest-framework.org/api-guide/settings/
# https://drf-spectacular.readthedocs.io/en/latest/settings.html

# The project's API app; the dotted paths below start with it, so no line
# grows with the project's name.
API_APP = "{{ cookiecutter.project_slug }}.api"

INSTALLED_APPS += [
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    API_APP,
]

# Writes one account (or client address) may make through the API; the
# site's other limits (logins, sign-ups, resets) apply as before.
API_WRITE_RATE = os.environ.get("API_WRITE_RATE", "120/hour")

REST_FRAMEWORK = {
    # Bearer tokens first: a request without credentials is then told (401,
    # WWW-Authenticate) how to authenticate. The session needs a CSRF token
    # for writes, as the site's forms do.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        f"{API_APP}.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": [f"{API_APP}.throttling.WriteRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    # JSON in and out: no browsable HTML pages (their inline scripts would
    # need the Content-Security-Policy loosened).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": f"{API_APP}.errors.handle_exception",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "{{ cookiecutter.project_name }} API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
}
{#- settings.py includes this with api=rest: the apps, REST framework's defaults and the OpenAPI document's title. -#}

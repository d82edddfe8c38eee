"""The equal-work Django reference: the generated project's start page, done
the plain way.

A one-file Django app that renders the generated project's own templates (its
templates directory, named by ``TEMPLATES_DIR``) with the context the
generated home view gives them (``package`` and ``database``), the same
context processors (request, user, messages, and Django's built-in CSRF one),
and static URLs from the generated project's collected manifest
(``STATIC_ROOT``), with Django's own ``ManifestStaticFilesStorage``.  Its
middleware is what the page needs: sessions, CSRF, authentication (the nav
asks whether the visitor is logged in) and messages (the base template shows
them).  It has none of the generated project's other per-request work: no
health-check middleware in front, no security headers or HTTPS redirect, no
WhiteNoise, no CommonMiddleware, no clickjacking header, no error-page
middleware, no access log, and no database (the anonymous start page runs no
query).  The URLs the templates reverse point at stand-in views.  The ratio
of the generated project to this app is the cost of those.
"""

import os

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ["SECRET_KEY"],
    ALLOWED_HOSTS=os.environ["ALLOWED_HOSTS"].split(","),
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
        "django.contrib.staticfiles",
    ],
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
    ],
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [os.environ["TEMPLATES_DIR"]],
            "APP_DIRS": True,
            "OPTIONS": {
                "context_processors": [
                    "django.template.context_processors.request",
                    "django.contrib.auth.context_processors.auth",
                    "django.contrib.messages.context_processors.messages",
                ],
            },
        },
    ],
    STATIC_URL="static/",
    STATIC_ROOT=os.environ["STATIC_ROOT"],
    STORAGES={
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
        },
    },
    LANGUAGE_CODE="en",
    USE_I18N=os.environ.get("USE_I18N") == "true",
    USE_TZ=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    CSRF_COOKIE_HTTPONLY=True,
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse, JsonResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.urls import include, path  # noqa: E402

CONTEXT = {"package": os.environ["PACKAGE"], "database": os.environ["DATABASE"]}


def home(request):
    return render(request, "core/home.html", CONTEXT)


def healthz(request):
    return JsonResponse({"status": "ok"})


def stand_in(request):
    return HttpResponse()


urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz),
    # Stand-ins, so that the page reverses the URLs the generated one does.
    path("contact/", stand_in, name="contact"),
    path("accounts/login/", stand_in, name="login"),
    path("accounts/signup/", stand_in, name="signup"),
    path("accounts/logout/", stand_in, name="logout"),
    path("accounts/password/change/", stand_in, name="password_change"),
    path("i18n/setlang/", stand_in, name="set_language"),
    path("admin/", include(([path("", stand_in, name="index")], "admin"))),
]

application = get_wsgi_application()

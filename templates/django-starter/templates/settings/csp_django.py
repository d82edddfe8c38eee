# Content-Security-Policy (Django's own): scripts, styles, fonts and images
# from this site only; the pages{% if cookiecutter.admin %} and the admin{% endif %} use no inline script or
# style. A page that needs one gets a nonce: add CSP.NONCE to "script-src",
# add "django.template.context_processors.csp" to the context processors and
# write <script nonce="{{ '{{' }} csp_nonce {{ '}}' }}">.
# https://docs.djangoproject.com/en/{{ cookiecutter.django_version }}/howto/csp/
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
{#- settings.py includes this from Django 6.0, which sends the header itself. -#}

# Content-Security-Policy (django-csp): scripts, styles, fonts and images
# from this site only; the pages{% if cookiecutter.admin %} and the admin{% endif %} use no inline script or
# style. A page that needs one gets a nonce: add "csp.constants.NONCE" to
# "script-src" and write <script nonce="{{ '{{' }} request.csp_nonce {{ '}}' }}">.
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
{#- settings.py includes this with Django 5.2, which has no CSP of its own. -#}

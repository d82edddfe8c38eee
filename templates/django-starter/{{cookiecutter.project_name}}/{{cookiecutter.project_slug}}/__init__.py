{%- if cookiecutter.tasks == "celery" -%}
{% include "package/celery_app.py" %}
{% endif -%}

{%- set port = {"postgresql": 5432, "mysql": 3306}[cookiecutter.database] -%}
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    sys.exit(
        "DATABASE_URL is not set: set it to the database's URL, e.g. "
        "{{ cookiecutter.database }}://user:password@localhost:{{ port }}/{{ cookiecutter.project_slug }}"
    )
{#- settings.py includes this for a database server: DATABASE_URL is required, and the message shows an example. -#}

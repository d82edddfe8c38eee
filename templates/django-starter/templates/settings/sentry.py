# Error monitoring: unhandled errors go to Sentry once SENTRY_DSN is set.
# What is sent (and what is not): see "Error monitoring" in README.md.
# https://docs.sentry.io/platforms/python/integrations/django/

SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    monitoring.init_sentry(SENTRY_DSN)
{#- settings.py includes this with monitoring=sentry. -#}

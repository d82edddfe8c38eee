"""The JSON API under /api/: notes that belong to their owner, the user's
own account (/api/me), an OpenAPI 3 document and its interactive docs.

Built with Django REST Framework; drf-spectacular writes the OpenAPI
document from the views and serializers.

https://www.django-rest-framework.org/
https://drf-spectacular.readthedocs.io/
"""

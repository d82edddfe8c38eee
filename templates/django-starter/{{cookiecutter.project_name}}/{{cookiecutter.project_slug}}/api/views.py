from typing import cast

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from ..accounts.models import User
from .models import Note
from .serializers import NoteSerializer, UserSerializer


def owner(request: Request) -> User:
    """The authenticated user (the views' permission class lets no one else in)."""
    return cast(User, request.user)


class NoteViewSet(viewsets.ModelViewSet[Note]):
    """The user's own notes: another user's note answers 404, as if it did not exist."""

    serializer_class = NoteSerializer
    # The router's path converter: the id is a whole number (for the OpenAPI
    # document too), and anything else is an unknown path.
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Note]:
        return Note.objects.filter(owner=owner(self.request))

    def perform_create(self, serializer: BaseSerializer[Note]) -> None:
        serializer.save(owner=owner(self.request))


class MeView(APIView):
    """The account the request is authenticated as."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=UserSerializer)
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(owner(request)).data)

"""Platform API: who am I, and the units of an entity (scoped by cms.tenancy)."""

from drf_spectacular.utils import extend_schema
from oauth2_provider.contrib.rest_framework import IsAuthenticatedOrTokenHasScope
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from cms.api_throttles import PublicContentRateThrottle
from cms.models import Entity, Membership, PurchasingUnit
from cms.tenancy import get_scoped_or_404


class MembershipSerializer(serializers.ModelSerializer):
    entity = serializers.CharField(source="entity.key", help_text="Clave del ente.")
    unit = serializers.CharField(
        source="unit.key", allow_null=True, help_text="Clave de la unidad compradora, si aplica."
    )

    class Meta:
        model = Membership
        fields = ["entity", "unit", "role"]


class WhoAmISerializer(serializers.Serializer):
    username = serializers.CharField(
        allow_null=True,
        help_text="Nombre de usuario; null con un token de credenciales de cliente (una máquina).",
    )
    client_id = serializers.CharField(
        allow_null=True, help_text="Cliente OAuth del token (null con sesión web)."
    )
    scopes = serializers.ListField(
        child=serializers.CharField(), help_text="Alcances del token (vacío con sesión web)."
    )
    memberships = MembershipSerializer(many=True, help_text="Roles de la persona en cada ente.")


class EntitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Entity
        fields = ["key", "name", "acronym", "level", "state"]
        extra_kwargs = {f: {"help_text": Entity._meta.get_field(f).help_text} for f in fields}


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = PurchasingUnit
        fields = ["key", "name", "active"]
        extra_kwargs = {
            f: {"help_text": PurchasingUnit._meta.get_field(f).help_text} for f in fields
        }


class WhoAmIView(APIView):
    permission_classes = [IsAuthenticatedOrTokenHasScope]
    required_scopes = ["read"]

    @extend_schema(
        summary="Identidad del token",
        description="Usuario, alcances y membresías del portador del token.",
        responses=WhoAmISerializer,
        tags=["plataforma"],
    )
    def get(self, request):
        token = getattr(request, "auth", None)
        user = request.user if getattr(request.user, "is_authenticated", False) else None
        # A client-credentials token stands for a machine, not a person: no user, no memberships.
        memberships = (
            Membership.objects.filter(user=user).select_related("entity", "unit")
            if user is not None
            else Membership.objects.none()
        )
        application = getattr(token, "application", None)
        data = {
            "username": user.get_username() if user is not None else None,
            "client_id": application.client_id if application is not None else None,
            "scopes": sorted(token.scope.split()) if hasattr(token, "scope") else [],
            "memberships": memberships,
        }
        return Response(WhoAmISerializer(data).data)


class EntityListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Entes públicos",
        description="Entes públicos activos de esta instalación (dato público).",
        responses=EntitySerializer(many=True),
        tags=["plataforma"],
    )
    def get(self, request):
        entities = Entity.objects.filter(active=True).order_by("key")
        return Response(EntitySerializer(entities, many=True).data)


class EntityUnitsView(APIView):
    permission_classes = [IsAuthenticatedOrTokenHasScope]
    required_scopes = ["read"]

    @extend_schema(
        summary="Unidades compradoras de un ente",
        description="Sólo para personas con una membresía en el ente; para los demás, 404.",
        responses=UnitSerializer(many=True),
        tags=["plataforma"],
    )
    def get(self, request, key):
        entity = get_scoped_or_404(Entity.objects.all(), request.user, field="id", key=key)
        units = entity.units.order_by("key")
        return Response(UnitSerializer(units, many=True).data)


# --- headless content (Wagtail API v2 at /api/v2/) -----------------------------------------------
# Published pages, images and documents are public content: a separate front end reads them
# without a token, under the anonymous throttle. The project's default (IsAuthenticated, for the
# OCDS and PDN APIs) would otherwise answer 401 to it.


class _PublicContentMixin:
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicContentRateThrottle]


class PublicPagesAPIViewSet(_PublicContentMixin, PagesAPIViewSet):
    """Live pages of the site (home, content pages) with their ``api_fields``."""


class PublicImagesAPIViewSet(_PublicContentMixin, ImagesAPIViewSet):
    """Images used by the pages."""


class PublicDocumentsAPIViewSet(_PublicContentMixin, DocumentsAPIViewSet):
    """Documents linked from the pages."""

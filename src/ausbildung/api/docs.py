"""The API documentation page (/api/v1/docs): Swagger UI from our own static files, no CDN, no inline script.

django-ninja's default page loads Swagger UI from a CDN without subresource integrity when "ninja" is not an
installed app, so whoever controls that CDN (or a path to it) runs script on our origin. Here the pinned build
under static/vendor/swagger-ui-dist/ (scripts/vendor.sh) is served by the platform itself, and the
initialisation is a static file reading its settings from a JSON data block, so a strict Content Security
Policy (script-src 'self', no inline scripts) holds on this page too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class VendoredSwagger(Swagger):
    template = "api/docs.html"
    default_settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        # Swagger UI would otherwise load a badge from validator.swagger.io for every visitor.
        "validatorUrl": None,
    }

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, {"api": api, "swagger_settings": settings})

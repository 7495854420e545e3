from django.urls import path

from . import views

app_name = "offers"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:offer_id>/", views.detail, name="detail"),
    path("<int:offer_id>/bewerben/", views.apply, name="apply"),
    path("profil/", views.profile, name="profile"),
    path("bewerbungen/", views.my_applications, name="my_applications"),
    path("bewerbungen/<int:application_id>/", views.application, name="application"),
    path("bewerbungen/<int:application_id>/schritt/", views.application_step, name="application_step"),
    path("bewerbungen/<int:application_id>/termin/", views.interview, name="interview"),
    path("bewerbungen/<int:application_id>/dokumente/", views.document_upload, name="document_upload"),
    path("bewerbungen/<int:application_id>/notiz/", views.note, name="note"),
    path("dokumente/<int:document_id>/", views.document, name="document"),
    path("dokumente/<int:document_id>/loeschen/", views.document_delete, name="document_delete"),
    path("betrieb/", views.company_offers, name="company_offers"),
    path("betrieb/neu/", views.offer_create, name="create"),
    path("betrieb/fachrichtungen/", views.offer_specialisations, name="specialisations"),
    path("betrieb/<int:offer_id>/", views.offer_edit, name="edit"),
    path("betrieb/<int:offer_id>/status/", views.offer_status, name="status"),
    path("betrieb/<int:offer_id>/kopieren/", views.offer_copy, name="copy"),
    path("betrieb/<int:offer_id>/bewerbungen/", views.inbox, name="inbox"),
]

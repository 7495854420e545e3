from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("pruefen/", views.queue, name="queue"),
    path("uebersicht/", views.overview, name="overview"),
    path("kammer/", views.chamber, name="chamber"),
    path("kammer/einsicht/<int:share_id>/widerrufen/", views.share_revoke, name="share_revoke"),
    path("einsicht/", views.shared, name="shared"),
    path("echtheit/", views.verify, name="verify"),
    path("<int:contract_id>/", views.book, name="book"),
    path("<int:contract_id>/abdeckung/", views.coverage, name="coverage"),
    path("<int:contract_id>/arbeitszeit/", views.findings, name="findings"),
    path("<int:contract_id>/nachweis.pdf", views.pdf, name="pdf"),
    path("<int:contract_id>/nachweis.json", views.export_json, name="export_json"),
    path("<int:contract_id>/freigeben/", views.share, name="share"),
    path("<int:contract_id>/gesehen/", views.acknowledge, name="acknowledge"),
    path("<int:contract_id>/<str:start>/", views.period, name="period"),
    path("<int:contract_id>/<str:start>/pruefung/", views.review, name="review"),
]

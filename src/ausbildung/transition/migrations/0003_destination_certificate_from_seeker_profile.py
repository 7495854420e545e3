"""A pupil's school-leaving certificate has one source of truth: her seeker profile (offers.SeekerProfile).

Destination.certificate (the teacher's record) is moved there and removed; Destination.certificate now reads the
profile. Where both held a value and they differed, the one saved later wins (Destination.updated_at against
SeekerProfile.updated_at); for several destinations of one pupil, the latest school year's.
"""

from django.db import migrations


def move_certificates(apps, schema_editor):
    Destination = apps.get_model("transition", "Destination")
    SeekerProfile = apps.get_model("offers", "SeekerProfile")
    latest = {}
    for destination in Destination.objects.exclude(certificate="").order_by("school_year", "updated_at", "pk"):
        latest[destination.pupil_id] = destination  # the last one (latest school year) stays
    for pupil_id, destination in latest.items():
        profile = SeekerProfile.objects.filter(user_id=pupil_id).first()
        if profile is None:
            SeekerProfile.objects.create(user_id=pupil_id, certificate=destination.certificate)
        elif not profile.certificate or (
            profile.certificate != destination.certificate and destination.updated_at > profile.updated_at
        ):
            # .update(): keeps the profile's updated_at (auto_now) as it was
            SeekerProfile.objects.filter(pk=profile.pk).update(certificate=destination.certificate)


def restore_certificates(apps, schema_editor):
    Destination = apps.get_model("transition", "Destination")
    SeekerProfile = apps.get_model("offers", "SeekerProfile")
    for profile in SeekerProfile.objects.exclude(certificate=""):
        Destination.objects.filter(pupil_id=profile.user_id).update(certificate=profile.certificate)


class Migration(migrations.Migration):
    dependencies = [
        ("transition", "0002_consent_evidence"),
        ("offers", "0011_part_time"),
    ]

    operations = [
        migrations.RunPython(move_certificates, restore_certificates),
        migrations.RemoveField(model_name="destination", name="certificate"),
    ]

"""OnboardingRequest, moved here from the offers app with its table and rows.

The model enters this app's state with the table it has had since offers 0004 (`db_table`
"offers_onboardingrequest", its many-to-many table and index unchanged); the database is not touched, so no row
is lost. The content type follows the model, so permissions granted on it stay attached. Audit rows keep the
`target_type` they were written with ("offers.onboardingrequest"): the log records what was, it is not rewritten.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD, NEW = "offers", "onboarding"


def _move_content_type(apps, schema_editor, *, source: str, target: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    if content_type.objects.filter(app_label=target, model="onboardingrequest").exists():
        return
    content_type.objects.filter(app_label=source, model="onboardingrequest").update(app_label=target)


def forwards(apps, schema_editor) -> None:
    _move_content_type(apps, schema_editor, source=OLD, target=NEW)


def backwards(apps, schema_editor) -> None:
    _move_content_type(apps, schema_editor, source=NEW, target=OLD)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_occupation_recognised_under"),
        ("offers", "0010_onboarding_request_moved_to_onboarding"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OnboardingRequest",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("activity", models.TextField(verbose_name="what the company does")),
                        ("skilled_staff", models.PositiveIntegerField(verbose_name="skilled staff")),
                        (
                            "trainer",
                            models.CharField(
                                choices=[
                                    ("aevo", "Yes, someone has passed the trainer aptitude exam (AEVO)"),
                                    (
                                        "meister",
                                        "Yes, someone holds a master craftsman's certificate (Meisterprüfung)",
                                    ),
                                    ("exam_planned", "Not yet: someone will take the AEVO exam"),
                                    ("none", "No"),
                                ],
                                max_length=15,
                                verbose_name="suitable trainer",
                            ),
                        ),
                        (
                            "contents",
                            models.CharField(
                                choices=[("yes", "Yes, all of them"), ("partly", "Partly"), ("no", "No")],
                                max_length=10,
                                verbose_name="all contents can be taught on site",
                            ),
                        ),
                        (
                            "asa_interest",
                            models.BooleanField(
                                default=False, verbose_name="interest in Assisted Training (AsA flex)"
                            ),
                        ),
                        ("result", models.JSONField(default=list, verbose_name="result")),
                        (
                            "status",
                            models.CharField(
                                choices=[("new", "New"), ("in_progress", "In progress"), ("done", "Done")],
                                default="new",
                                max_length=12,
                                verbose_name="status",
                            ),
                        ),
                        ("chamber_note", models.TextField(blank=True, verbose_name="chamber note")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        (
                            "chamber",
                            models.ForeignKey(
                                limit_choices_to={"kind": "chamber"},
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="chamber_onboarding_requests",
                                to="core.organisation",
                                verbose_name="chamber",
                            ),
                        ),
                        (
                            "company",
                            models.ForeignKey(
                                limit_choices_to={"kind": "company"},
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="onboarding_requests",
                                to="core.organisation",
                                verbose_name="company",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                        (
                            "occupations",
                            models.ManyToManyField(
                                related_name="+", to="core.occupation", verbose_name="occupations"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "request to become a training company",
                        "verbose_name_plural": "requests to become a training company",
                        "db_table": "offers_onboardingrequest",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(fields=["chamber", "status"], name="offers_onbo_chamber_126a52_idx")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]

"""Examiner links keep only the SHA-256 of their secret, can be revoked by the chamber and count their accesses.

Existing secrets are hashed in place: they are credentials, not evidence, and their links keep working.
"""

import hashlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    ExaminerShare = apps.get_model("records", "ExaminerShare")
    for share in ExaminerShare.objects.only("pk", "token_hash"):
        share.token_hash = hashlib.sha256(share.token_hash.encode()).hexdigest()
        share.save(update_fields=["token_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0002_keyed_signatures_signed_versions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="examinershare", old_name="token", new_name="token_hash"),
        # One-way: a hash cannot be turned back into the secret.
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="examinershare",
            name="token_hash",
            field=models.CharField(max_length=64, unique=True, verbose_name="token hash (SHA-256)"),
        ),
        migrations.AddField(
            model_name="examinershare",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="revoked at"),
        ),
        migrations.AddField(
            model_name="examinershare",
            name="revoked_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="revoked by",
            ),
        ),
        migrations.AddField(
            model_name="examinershare",
            name="access_count",
            field=models.PositiveIntegerField(default=0, verbose_name="accesses"),
        ),
        migrations.AddField(
            model_name="examinershare",
            name="last_access_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last access"),
        ),
    ]

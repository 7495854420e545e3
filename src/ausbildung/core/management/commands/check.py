from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.core.management.commands.check import Command as DjangoCheckCommand
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ausbildung.core.models import Occupation


class Command(DjangoCheckCommand):
    help = (
        "Check the platform: Django's system checks (--deploy for production settings), the database "
        "connection, unapplied migrations and whether the occupation catalogue is loaded."
    )

    def handle(self, *app_labels: Any, **options: Any) -> None:
        super().handle(*app_labels, **options)
        connection.ensure_connection()
        self.stdout.write(f"Database: {connection.vendor} reachable.")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            raise CommandError(f"{len(pending)} unapplied migration(s); run 'ausbildung migrate'.")
        self.stdout.write("Migrations: all applied.")
        count = Occupation.objects.filter(is_active=True).count()
        self.stdout.write(f"Occupation catalogue: {count} current occupations.")

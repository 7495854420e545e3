from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ausbildung.core.params import parse_int


class Command(BaseCommand):
    help = (
        "Serve the platform over HTTP with gunicorn (HOST and PORT set the address; default 127.0.0.1:8000)."
    )
    requires_system_checks = []  # checked below, with one readable line instead of a traceback

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"), help="address to bind")
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"), help="port to bind")
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "2")),
            help="worker processes",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("WEB_THREADS", "8")),
            help="threads per worker process (each serves one request at a time)",
        )
        parser.add_argument(
            "--reload", action="store_true", help="restart when the code changes (development)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        port = str(options["port"])
        if parse_int(port, minimum=1, maximum=65535) is None:
            raise CommandError(f"PORT must be a number between 1 and 65535; got {port!r}.")
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("WEB_CONCURRENCY and WEB_THREADS must be at least 1.")
        for name in ("REQUEST_HEADER_TIMEOUT", "REQUEST_BODY_TIMEOUT"):  # read by ausbildung.serving
            raw = os.environ.get(name, "").strip()
            try:
                valid = not raw or float(raw) > 0
            except ValueError:
                valid = False
            if not valid:
                raise CommandError(f"{name} must be a number of seconds above 0; got {raw!r}.")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("the database has unapplied migrations; run 'ausbildung migrate' first.")
        host = options["host"]
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        self.stdout.write(f"Serving on http://{bind}/ (Ctrl+C stops)")
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "ausbildung.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(options["workers"]),
            # Threads with read deadlines (ausbildung.serving): slow clients cannot hold all workers.
            "--worker-class",
            "ausbildung.serving.DeadlineThreadWorker",
            "--threads",
            str(options["threads"]),
            # A worker that stops answering its arbiter for 30 s is restarted; 30 s to finish on shutdown.
            "--timeout",
            "30",
            "--graceful-timeout",
            "30",
            # Idle kept-alive connections are closed after 5 s (the proxy opens new ones cheaply).
            "--keep-alive",
            "5",
            # gunicorn's control socket sits at one path per user ($HOME/.gunicorn): a second instance on the
            # host would take it over. The platform does not use it.
            "--no-control-socket",
            "--access-logfile",
            "-",
        ]
        if options["reload"]:
            argv.append("--reload")
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn, fixed arguments

"""The shared PDF helper (`core.pdf`): every PDF of the platform is laid out through it, and a machine where
WeasyPrint cannot run answers each PDF page readably instead of with a server error."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from django.urls import reverse

import ausbildung
from ausbildung.core import pdf

SRC = Path(ausbildung.__file__).parent


def test_render_pdf_lays_out_a_template(demo):
    from django.utils import timezone

    from ausbildung.orientation.plan.selectors import plan_of

    context = {"plan": plan_of(demo["schueler"]), "created_at": timezone.now()}
    assert pdf.render_pdf("orientation/plan/pdf.html", context).startswith(b"%PDF")


def test_without_weasyprint_render_pdf_raises_pdf_unavailable(monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` fails as without Pango
    with pytest.raises(pdf.PdfUnavailable):
        pdf.render_pdf("orientation/plan/pdf.html", {})


def test_only_core_pdf_imports_weasyprint():
    """One lazy import, one `PdfUnavailable`: a second copy would miss the fallback the next time it changes."""
    importers = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.ClassDef) and node.name == "PdfUnavailable":
                names = ["class PdfUnavailable"]
            if any(name.split(".")[0] == "weasyprint" or name.startswith("class ") for name in names):
                importers.append(str(path.relative_to(SRC)))
    assert sorted(set(importers)) == ["core/pdf.py"]


def test_plan_pdf_without_weasyprint_says_so(demo, client_for, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    response = client_for("pupil").get(reverse("orientation:plan_pdf"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("orientation:plan")
    assert "PDF" in response.content.decode()

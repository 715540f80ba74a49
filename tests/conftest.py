"""Shared fixtures: built PDFs are made once per session and read with pypdf."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from pypdf import PdfReader

from handouts.build import build_handout
from handouts.project import Project

ROOT = Path(__file__).resolve().parent.parent

# Property-based tests: a quick run by default, many more examples in CI (HYPOTHESIS_PROFILE=ci).
settings.register_profile("ci", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("default", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
DATE = dt.date(2026, 12, 1)


def pdf_text(path_or_bytes) -> str:
    """All text of a PDF, pages joined, whitespace folded."""
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def uncited(text: str) -> str:
    """PDF text without its citation numbers ("rest [3, 4]." -> "rest."), to compare with ``markup.strip``."""
    return re.sub(r"\s\[\d+(?:, \d+)*\]", "", text)


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(root=ROOT)


@pytest.fixture(scope="session")
def default_pdf(tmp_path_factory, project) -> Path:
    out = tmp_path_factory.mktemp("default")
    return build_handout(project=project, out_dir=out).path


@pytest.fixture(scope="session")
def personal_pdf(tmp_path_factory, project) -> Path:
    out = tmp_path_factory.mktemp("personal")
    return build_handout(
        project=project, out_dir=out, paper="a4", client="Zoë Łukasz",
        note="A folded towel under your head", date=DATE,
    ).path


@pytest.fixture
def studio_dir(tmp_path) -> Path:
    """A minimal studio folder layered over the bundled defaults."""
    (tmp_path / "studio.yaml").write_text((ROOT / "studio.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "content").mkdir()
    return tmp_path

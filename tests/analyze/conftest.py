"""The analysis tests run on the same enriched demo weeks as the report tests."""

from __future__ import annotations

from tests.report.conftest import (  # noqa: F401 - fixtures, found by name
    Week,
    demo_copy,
    demo_report,
    demo_week,
    enricher,
    quiet_week,
    violent_week,
)

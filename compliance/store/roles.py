"""Roles of an API key (importable without SQLAlchemy, for the CLI's option types)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    submitter = "submitter"  # checks posts
    reviewer = "reviewer"  # checks posts; decides on reviews (review queue)
    admin = "admin"  # everything in its organisation, including its keys

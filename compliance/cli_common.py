"""What `compliance check` and `compliance audit` share: the `--fail-on` rule for CI use."""

from __future__ import annotations

from enum import StrEnum


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    never = "never"


_THRESHOLD = {FailOn.error: 0, FailOn.warning: 1, FailOn.never: -1}


def fails(fail_on: FailOn, worst_severity: int, bad_inputs: int) -> bool:
    """Exit 1? When a finding is as severe as `fail_on` (severity ranks: error 0, warning 1,
    info 2; none found: anything above 2), or, unless `never`, when an input was unreadable."""
    return worst_severity <= _THRESHOLD[fail_on] or (bad_inputs > 0 and fail_on != FailOn.never)

"""Endorsement-disclosure compliance checker.

Three lines to use it::

    from compliance import Checker, Post
    checker = Checker.from_pack("us-ftc")
    report = checker.check(Post(id="1", platform="instagram", text="Love it! #ad"))
"""

from compliance.engine import Checker, check
from compliance.errors import ComplianceError
from compliance.models.post import Post
from compliance.models.report import Finding, Report
from compliance.version import __version__

__all__ = ["Checker", "ComplianceError", "Finding", "Post", "Report", "__version__", "check"]

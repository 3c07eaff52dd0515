"""The REST service (DESIGN §4, §8): thin FastAPI routes over the `compliance` engine."""

from api.app import create_app

__all__ = ["create_app"]

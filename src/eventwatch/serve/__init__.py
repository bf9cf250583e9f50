"""serve stage: the REST API (FastAPI, OpenAPI at /docs) and the offline dashboard over a store."""

from eventwatch.serve.app import create_app, run
from eventwatch.serve.settings import Settings

__all__ = ["Settings", "create_app", "run"]

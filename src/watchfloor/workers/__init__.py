"""Celery workers: the watch floor's stages on several machines (``watchfloor worker``,
``watchfloor scheduler``; docs/deploy.md).

Entry points, like ``cli/`` and ``web/``: each task is a thin wrapper around one service
function (:mod:`watchfloor.services.floor`), the same ones ``watchfloor run`` calls.
Celery, Redis and psycopg come with the ``scale`` extra.
"""

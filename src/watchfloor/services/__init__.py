"""Use cases: one function per thing a user does.

The CLI, the tests, the web app and the workers call these and only format the result.
Each takes settings and/or a store and returns a frozen dataclass:

- ``sources``: ``add_source`` (the one way a source comes in), ``remove_source``,
  ``list_sources``, ``import_opml``, ``export_opml``, ``load_defaults``;
- ``collect``: ``collect`` and ``reparse`` → ``CollectResult`` (``to_json()``);
- ``enrich``: ``enrich`` (``redo=True`` to redo) → ``EnrichResult``;
- ``reports``: ``build_and_store`` → ``BuiltReport``; ``list_reports``, ``get``,
  ``write``, ``render_text``, ``check``, ``choose_formats``;
- ``pages``: ``versions``, ``diff`` (``choose_versions``), ``import_capture``;
- ``browse``: ``list_articles``, ``search_articles``, ``list_rejects``;
- ``demo``: ``run_demo`` (the whole pipeline), ``prepare_demo``, and the bundled data.
- ``jobs``: ``run_job``, a web job (collect now, report now) run from its row, in a
  thread of the web server or on a Celery worker.

Long services (collect, enrich, the demo) take ``progress`` and ``cancel``; see
:mod:`watchfloor.services.progress`.
"""

"""The web app: server-rendered pages and a JSON API over the same service functions.

:func:`create_app` builds a FastAPI application for a store. Pages are Jinja2 templates
with autoescaping; the report page is the report's own HTML renderer output
(:func:`watchfloor.report.html.render_html`) with a bar of links on top. The JSON API lives
under ``/api/`` and is described at ``/openapi.json``. See docs/web.md.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path as FilePath
from typing import Annotated, Any
from urllib.parse import parse_qs, urlsplit

from fastapi import Depends, FastAPI, HTTPException, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from watchfloor import __version__
from watchfloor.config import Settings, web_assets_dir
from watchfloor.countries import countries as known_countries
from watchfloor.errors import ReportError, WatchfloorError
from watchfloor.models.jsonable import to_jsonable
from watchfloor.models.report import Hotspot, Report
from watchfloor.services import dashboard
from watchfloor.services import pages as page_service
from watchfloor.services import reports as report_service
from watchfloor.services import sources as source_service
from watchfloor.store.db import Store
from watchfloor.store.web import SECURITY_CATEGORIES
from watchfloor.web.api_docs import (
    BEARER_SECURITY,
    EVENT_STREAM,
    SECURITY_SCHEMES,
    AddSourceBody,
    CollectBody,
    JobBody,
    ReportBody,
    errors,
    json_errors,
    request_body,
)
from watchfloor.web.drawing import LEVEL_COLOURS, score_chart, world_map
from watchfloor.web.events import EventStream, job_event_stream
from watchfloor.web.jobs import JobNotSentError, JobRunner
from watchfloor.web.params import (
    CATEGORIES,
    CountryPath,
    CountryQuery,
    IdPath,
    IdQuery,
    SearchQuery,
    date_param,
    search_query,
)
from watchfloor.web.security import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    SESSION_SECONDS,
    Access,
    BodyLimit,
    LoopbackHosts,
    SecurityHeaders,
    client_address,
    csp,
    inline_script_hashes,
)

__all__ = ["WebConfig", "create_app"]

log = logging.getLogger(__name__)

HERE = FilePath(__file__).resolve().parent
STATIC = HERE / "static"
STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
TREND_ARROWS = {"up": "↑", "down": "↓", "steady": "→", "new": "•", "none": ""}
MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "geojson": "application/geo+json",
    "pdf": "application/pdf",
    "stix": "application/json",
}


@dataclass(frozen=True)
class WebConfig:
    """How the app is served: the token, whether reads need it, the request limits."""

    token: str | None = None
    reads_need_token: bool = False
    max_body: int = 64 * 1024
    body_timeout: float = 10.0
    secure_cookies: bool = False
    assets_dir: FilePath | None = None
    jobs: str = "thread"
    event_interval: float = 0.5
    event_stream_seconds: float = 3600.0

    @classmethod
    def from_settings(
        cls, settings: Settings, *, token: str | None, reads_need_token: bool
    ) -> WebConfig:
        """The ``[web]`` settings with the token and the read rule ``serve`` decided."""
        web = settings.web
        return cls(
            token=token,
            reads_need_token=reads_need_token,
            max_body=web.max_body,
            body_timeout=web.body_timeout,
            secure_cookies=web.secure_cookies,
            jobs=web.jobs,
            event_interval=web.event_interval,
            event_stream_seconds=web.event_stream_seconds,
        )


@dataclass(frozen=True)
class Who:
    """The caller: ``actor`` for the audit log; ``session`` when signed in by cookie."""

    actor: str
    via: str  # bearer, cookie, anonymous
    session: str | None = None

    @property
    def signed_in(self) -> bool:
        return self.via != "anonymous"


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=to_jsonable))


@lru_cache(maxsize=1)
def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        LEVEL_COLOURS=LEVEL_COLOURS,
        TREND_ARROWS=TREND_ARROWS,
        version=__version__,
        FORMATS=report_service.ALL_FORMATS,
    )
    env.filters["when"] = lambda d: "" if d is None else d.strftime("%Y-%m-%d %H:%M UTC")
    env.filters["day"] = lambda d: "" if d is None else d.strftime("%Y-%m-%d")
    env.filters["outbound"] = _outbound
    return env


def _outbound(url: str | None) -> str:
    """An article's URL when it is http(s), else "" (never a javascript: link)."""
    if not url:
        return ""
    return url if urlsplit(url).scheme in ("http", "https") else ""


def create_app(settings: Settings, store: Store, config: WebConfig | None = None) -> FastAPI:
    """The watch floor's web app for *store*.

    Args:
        settings: as the CLI loads them (the jobs call the services with them).
        store: an initialised store.
        config: the token and limits; writes are disabled without a token.
    """
    cfg = config or WebConfig()
    access = Access(cfg.token, cfg.reads_need_token)
    runner = JobRunner(settings, store, backend=cfg.jobs)
    assets = cfg.assets_dir or web_assets_dir()
    app = FastAPI(
        title="watchfloor",
        version=__version__,
        description="The watch floor's JSON API. Reads are open on loopback; every write "
        "needs `Authorization: Bearer <WATCHFLOOR_API_TOKEN>`.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.runner = runner

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            doc = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            doc.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.state.access = access
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_bytes=cfg.max_body, timeout=cfg.body_timeout)
    if not cfg.reads_need_token:
        app.add_middleware(LoopbackHosts)

    # --- who is asking ---------------------------------------------------------------

    def who(request: Request) -> Who:
        if access.bearer_ok(request.headers.get("authorization")):
            return Who("bearer", "bearer")
        sid = access.session_id(request.cookies.get(SESSION_COOKIE))
        if sid:
            return Who(f"session:{sid[:8]}", "cookie", sid)
        return Who("anonymous", "anonymous")

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    def can_read(request: Request) -> Who:
        caller = who(request)
        if access.reads_need_token and not caller.signed_in:
            if is_api(request):
                raise HTTPException(401, "reading needs the token on this address")
            raise _LoginNeeded
        return caller

    async def form_of(request: Request) -> dict[str, str]:
        """The urlencoded form (the body is size-limited by BodyLimit)."""
        kind = request.headers.get("content-type", "").split(";")[0].strip()
        if kind != "application/x-www-form-urlencoded":
            return {}
        body = (await request.body()).decode("utf-8", "replace")
        return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}

    async def payload_of(request: Request) -> dict[str, Any]:
        """A write's arguments: JSON for the API, the form for pages."""
        kind = request.headers.get("content-type", "").split(";")[0].strip()
        if kind == "application/json":
            try:
                data = json.loads(await request.body() or b"{}")
            except ValueError:
                raise HTTPException(400, "the body is not JSON") from None
            if not isinstance(data, dict):
                raise HTTPException(400, "the body must be a JSON object")
            return data
        return dict(await form_of(request))

    def can_write(request: Request, action: str, data: dict[str, Any]) -> Who:
        """The caller if it may write; else the refusal is audited and raised."""
        caller = who(request)
        remote = client_address(request.scope)
        reason = None
        if not access.writes_enabled:
            reason = (403, "writes are disabled: start the server with WATCHFLOOR_API_TOKEN set")
        elif not caller.signed_in:
            reason = (401, "this needs the token: sign in, or send Authorization: Bearer")
        elif caller.via == "cookie":
            sent = data.get("csrf") or request.headers.get("x-csrf-token")
            if not access.csrf_ok(caller.session or "", str(sent or "")):
                reason = (403, "the form's CSRF token is missing or wrong: reload the page")
        if reason is not None:
            dashboard.record_write(
                store,
                actor=caller.actor,
                remote=remote,
                action=action,
                target=request.url.path,
                outcome="refused",
                detail={"status": reason[0], "why": reason[1]},
            )
            raise HTTPException(*reason)
        return caller

    def audit(
        request: Request, caller: Who, action: str, target: str, outcome: str, **detail: Any
    ) -> None:
        dashboard.record_write(
            store,
            actor=caller.actor,
            remote=client_address(request.scope),
            action=action,
            target=target,
            outcome=outcome,
            detail=_jsonable(detail),
        )

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        caller = who(request)
        context.update(
            who=caller,
            writes_enabled=access.writes_enabled,
            csrf=access.csrf_for(caller.session) if caller.session else "",
            path=request.url.path,
        )
        html = _templates().get_template(name).render(context)
        return HTMLResponse(html, status_code=status)

    # --- errors ----------------------------------------------------------------------

    @app.exception_handler(_LoginNeeded)
    async def _login_needed(request: Request, exc: _LoginNeeded) -> Response:
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        if is_api(request) or request.url.path == "/openapi.json":
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return page(request, "error.html.j2", exc.status_code, message=str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> Response:
        if is_api(request):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        where = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors())
        return page(request, "error.html.j2", 422, message=f"bad value for: {where}")

    @app.exception_handler(WatchfloorError)
    async def _our_error(request: Request, exc: WatchfloorError) -> Response:
        status = 404 if "no stored report" in str(exc) or "no source" in str(exc) else 400
        if is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=status)
        return page(request, "error.html.j2", status, message=str(exc))

    # --- static files ----------------------------------------------------------------

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        path = STATIC / name
        if not re.fullmatch(r"[a-z0-9_-]+\.(js|css)", name) or not path.is_file():
            raise HTTPException(404, "no such file")
        return Response(path.read_bytes(), media_type=STATIC_TYPES[path.suffix])

    # --- sign-in ---------------------------------------------------------------------

    @app.get("/login", include_in_schema=False)
    def login_form(request: Request) -> Response:
        nonce = secrets.token_urlsafe(16)
        response = page(request, "login.html.j2", login_nonce=nonce, failed=False)
        response.set_cookie(
            LOGIN_COOKIE,
            nonce,
            httponly=True,
            samesite="strict",
            secure=cfg.secure_cookies,
            max_age=600,
        )
        return response

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        data = await form_of(request)
        nonce = request.cookies.get(LOGIN_COOKIE) or ""
        sent_nonce = data.get("login_nonce", "")
        remote = client_address(request.scope)
        ok = (
            bool(nonce)
            and secrets.compare_digest(nonce, sent_nonce)
            and access.token_ok(data.get("token", ""))
        )
        dashboard.record_write(
            store,
            actor="anonymous",
            remote=remote,
            action="login",
            target="/login",
            outcome="ok" if ok else "refused",
        )
        if not ok:
            fresh = secrets.token_urlsafe(16)
            refused: Response = page(request, "login.html.j2", 401, login_nonce=fresh, failed=True)
            refused.set_cookie(
                LOGIN_COOKIE,
                fresh,
                httponly=True,
                samesite="strict",
                secure=cfg.secure_cookies,
                max_age=600,
            )
            return refused
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            access.new_session(),
            httponly=True,
            samesite="strict",
            secure=cfg.secure_cookies,
            max_age=SESSION_SECONDS,
        )
        response.delete_cookie(LOGIN_COOKIE)
        return response

    @app.post("/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        data = await form_of(request)
        can_write_session = who(request)
        if can_write_session.session and access.csrf_ok(
            can_write_session.session, data.get("csrf")
        ):
            response = RedirectResponse("/", status_code=303)
            response.delete_cookie(SESSION_COOKIE)
            return response
        raise HTTPException(403, "the form's CSRF token is missing or wrong: reload the page")

    # --- overview --------------------------------------------------------------------

    def _overview_json(rows: list[dashboard.CountryRow]) -> list[dict[str, Any]]:
        return [
            {
                "country": r.code,
                "name": r.name,
                "level": r.level,
                "score": r.score,
                "trend": r.trend,
                "last_report_id": r.last_report_id,
                "last_report_end": r.last_report_end.date().isoformat()
                if r.last_report_end
                else None,
                "sources": dataclasses.asdict(r.health) | {"label": r.health.label},
            }
            for r in rows
        ]

    def _outlines() -> dict[str, Any] | None:
        from watchfloor.report.geojson import load_country_outlines

        try:
            return load_country_outlines(assets)
        except ReportError:
            return None

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview_page(request: Request) -> Response:
        can_read(request)
        rows = dashboard.overview(store)
        outlines = _outlines()
        names = known_countries()
        levels = {names[r.code].name: (r.code, r.level) for r in rows if r.code in names}
        return page(
            request,
            "overview.html.j2",
            rows=rows,
            world=world_map(outlines, levels),
            outlines=outlines is not None,
            jobs=dashboard.list_jobs(store, limit=5),
        )

    @app.get(
        "/api/overview",
        summary="Every watched country with its level and sources",
        responses=errors(401),
    )
    def overview_api(request: Request) -> JSONResponse:
        can_read(request)
        return JSONResponse(_overview_json(dashboard.overview(store)))

    # --- country ---------------------------------------------------------------------

    def _hotspot_svg(report: Report | None) -> Markup | None:
        if report is None or not (report.hotspots or report.hotspots_abroad):
            return None
        from watchfloor.report.staticmap import render_svg_map

        svg = render_svg_map(
            report.hotspots,
            _outlines(),
            abroad=report.hotspots_abroad,
            country=report.country,
            width=720,
            height=400,
        )
        return Markup(_strip_xml_declaration(svg))

    @lru_cache(maxsize=64)
    def _country_hotspots(report_id: int | None, assets_stamp: float) -> Markup | None:
        # The latest report's map, drawn once per stored report (reports never change).
        if report_id is None:
            return None
        return _hotspot_svg(report_service.get(store, report_id))

    @app.get("/countries/{code}", response_class=HTMLResponse, include_in_schema=False)
    def country_page(request: Request, code: str) -> Response:
        can_read(request)
        view = dashboard.country_view(store, code)
        points = [(r.period_end, r.threat_score, r.threat_level) for r in view.reports]
        return page(
            request,
            "country.html.j2",
            v=view,
            chart=score_chart(points),
            hotspots=_hotspots_once(view.latest_id) if view.latest else None,
            today=date.today(),
        )

    @app.get(
        "/api/countries/{code}",
        summary="A country: its reports over time, what is new",
        responses=errors(400, 401),
    )
    def country_api(request: Request, code: CountryPath) -> JSONResponse:
        can_read(request)
        v = dashboard.country_view(store, code)
        return JSONResponse(
            _jsonable(
                {
                    "country": v.code,
                    "name": v.name,
                    "reports": [
                        {
                            "id": r.id,
                            "period_start": r.period_start,
                            "period_end": r.period_end,
                            "level": r.threat_level,
                            "score": r.threat_score,
                        }
                        for r in v.reports
                    ],
                    "latest_report_id": v.latest_id,
                    "hotspots": []
                    if v.latest is None
                    else [h.model_dump(mode="json") for h in v.latest.hotspots],
                    "uncovered": v.uncovered,
                    "sources": [s.as_dict() for s in v.sources],
                    "health": dataclasses.asdict(v.health) | {"label": v.health.label},
                }
            )
        )

    # --- reports ---------------------------------------------------------------------

    def _report_bar(report_id: int, report: Report) -> str:
        bar = _templates().get_template("report_bar.html.j2")
        return bar.render(id=report_id, r=report, formats=report_service.ALL_FORMATS)

    render_lock = threading.Lock()

    def _hotspots_once(report_id: int | None) -> Markup | None:
        with render_lock:
            return _country_hotspots(report_id, _assets_stamp())

    @lru_cache(maxsize=32)
    def _report_html(report_id: int, assets_stamp: float) -> tuple[str, str]:
        # A stored report never changes: its page is rendered once per id (and again when
        # the web assets are installed or updated, which changes the stamp).
        from watchfloor.report.html import render_html

        report = report_service.get(store, report_id)
        html = render_html(report, tiles=None, assets_dir=assets)
        html = re.sub(
            r"(<body[^>]*>)", lambda m: m.group(1) + _report_bar(report_id, report), html, count=1
        )
        return html, csp(inline_script_hashes(html))

    def _assets_stamp() -> float:
        try:
            return (assets / "leaflet.js").stat().st_mtime
        except OSError:
            return 0.0

    @app.get("/reports/{report_id}", response_class=HTMLResponse, include_in_schema=False)
    def report_page(request: Request, report_id: IdPath) -> Response:
        can_read(request)
        with render_lock:  # fifty first requests render the page once, not fifty times
            html, policy = _report_html(report_id, _assets_stamp())
        return HTMLResponse(html, headers={"content-security-policy": policy})

    @app.get("/reports/{report_id}/download/{fmt}", include_in_schema=False)
    def report_download(request: Request, report_id: IdPath, fmt: str) -> Response:
        return _download(request, report_id, fmt)

    @app.get(
        "/api/reports/{report_id}/download/{fmt}",
        summary="The report as a file: md, html, json, geojson, pdf or stix",
        responses={
            200: {
                "description": "The file, as an attachment",
                "content": {kind: {} for kind in sorted(set(MEDIA_TYPES.values()))},
            },
            **errors(401, 404),
        },
    )
    def report_download_api(
        request: Request,
        report_id: IdPath,
        fmt: Annotated[str, Path(json_schema_extra={"enum": list(MEDIA_TYPES)})],
    ) -> Response:
        return _download(request, report_id, fmt)

    def _download(request: Request, report_id: int, fmt: str) -> Response:
        can_read(request)
        from watchfloor.report.render import FILENAMES, render

        if fmt not in FILENAMES:
            raise HTTPException(404, f"no format {fmt!r}: one of {', '.join(FILENAMES)}")
        report = report_service.get(store, report_id)
        body = render(report, fmt)
        name = f"{report.country}-{report.period.end}-{FILENAMES[fmt]}"
        return Response(
            body,
            media_type=MEDIA_TYPES.get(fmt, "application/octet-stream"),
            headers={
                "content-disposition": f'attachment; filename="{name}"',
                # A downloaded HTML report runs its own inline scripts only when opened
                # as a file; served here it is a download, never a page.
                "content-security-policy": "default-src 'none'; sandbox",
            },
        )

    @app.get("/reports/{report_id}/diff", response_class=HTMLResponse, include_in_schema=False)
    def diff_page(request: Request, report_id: IdPath) -> Response:
        can_read(request)
        d = dashboard.report_diff(store, report_id)
        report = report_service.get(store, report_id)
        return page(request, "diff.html.j2", d=d, r=report)

    @app.get("/api/reports", summary="Stored reports, newest first", responses=errors(400, 401))
    def reports_api(request: Request, country: CountryQuery = None) -> JSONResponse:
        can_read(request)
        return JSONResponse(_jsonable(report_service.list_reports(store, country=country)))

    @app.get(
        "/api/reports/{report_id}",
        summary="A stored report (the report JSON schema)",
        responses=errors(401, 404),
    )
    def report_api(request: Request, report_id: IdPath) -> JSONResponse:
        can_read(request)
        return JSONResponse(report_service.get(store, report_id).model_dump(mode="json"))

    @app.get(
        "/api/reports/{report_id}/diff",
        summary="What changed since the previous report",
        responses=errors(401, 404),
    )
    def diff_api(request: Request, report_id: IdPath) -> JSONResponse:
        can_read(request)
        d = dashboard.report_diff(store, report_id)
        return JSONResponse(_jsonable(d) | {"level_changed": d.level_changed})

    # --- articles --------------------------------------------------------------------

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def articles_page(
        request: Request, query: Annotated[SearchQuery, Depends(search_query)]
    ) -> Response:
        can_read(request)
        filters = query.filters()
        return page(
            request,
            "articles.html.j2",
            f=filters,
            raw=query.raw(),
            hits=dashboard.search(store, filters),
            categories=CATEGORIES,
            sources=source_service.list_sources(store),
        )

    @app.get("/api/articles", summary="Full-text search with filters", responses=errors(400, 401))
    def articles_api(
        request: Request, query: Annotated[SearchQuery, Depends(search_query)]
    ) -> JSONResponse:
        can_read(request)
        return JSONResponse(_jsonable(dashboard.search(store, query.filters())))

    def _article(article_id: int) -> Any:
        found = dashboard.article(store, article_id)
        if found is None:
            raise HTTPException(404, f"no article with id {article_id}")
        return found

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: IdPath) -> Response:
        can_read(request)
        a = _article(article_id)
        places_svg = None
        if a.places:
            from watchfloor.report.staticmap import render_svg_map

            spots = [
                Hotspot(
                    label=p["name"],
                    detail=p["text"],
                    lat=p["lat"],
                    lng=p["lng"],
                    intensity=1,
                    sources=[1],
                    country=p["country"],
                )
                for p in a.places
            ]
            home = a.places[0]["country"] if a.places[0]["country"] in known_countries() else None
            svg = render_svg_map(spots, _outlines(), width=480, height=280, country=home)
            places_svg = Markup(_strip_xml_declaration(svg))
        return page(
            request,
            "article.html.j2",
            a=a,
            places_svg=places_svg,
            security=set(SECURITY_CATEGORIES),
            names=known_countries(),
        )

    @app.get(
        "/api/articles/{article_id}",
        summary="An article with what enrichment found",
        responses=errors(401, 404),
    )
    def article_api(request: Request, article_id: IdPath) -> JSONResponse:
        can_read(request)
        return JSONResponse(_jsonable(_article(article_id)))

    # --- sources ---------------------------------------------------------------------

    @app.get("/sources", response_class=HTMLResponse, include_in_schema=False)
    def sources_page(request: Request) -> Response:
        can_read(request)
        return page(
            request,
            "sources.html.j2",
            rows=dashboard.sources_view(store),
            kinds=source_service.SOURCE_KINDS,
        )

    @app.get(
        "/api/sources", summary="Every source with its status and rejects", responses=errors(401)
    )
    def sources_api(request: Request) -> JSONResponse:
        can_read(request)
        return JSONResponse(
            _jsonable(
                [
                    r.source.as_dict() | {"status": r.status, "rejects": r.rejects}
                    for r in dashboard.sources_view(store)
                ]
            )
        )

    @app.get("/sources/{source_id}", response_class=HTMLResponse, include_in_schema=False)
    def source_page(
        request: Request, source_id: IdPath, old: IdQuery = None, new: IdQuery = None
    ) -> Response:
        can_read(request)
        versions = page_service.versions(store, source_id)
        change = None
        if versions.source.kind == "page" and len(versions.versions) > 1:
            change = page_service.diff(store, source_id, from_version=old, to_version=new)
        rows = {r.source.id: r for r in dashboard.sources_view(store, rejects_per_source=50)}
        return page(
            request,
            "source.html.j2",
            s=versions.source,
            row=rows.get(source_id),
            versions=versions.versions,
            change=change,
        )

    @app.get(
        "/api/sources/{source_id}/pages",
        summary="A page source's stored versions",
        responses=errors(400, 401, 404),
    )
    def source_pages_api(request: Request, source_id: IdPath) -> JSONResponse:
        can_read(request)
        v = page_service.versions(store, source_id)
        return JSONResponse(
            _jsonable(
                [
                    {"version": p.version, "title": p.title, "fetched_at": p.fetched_at}
                    for p in v.versions
                ]
            )
        )

    # --- writes: sources and jobs ----------------------------------------------------

    def _respond_write(
        request: Request, location: str, body: dict[str, Any], status: int
    ) -> Response:
        if is_api(request):
            return JSONResponse(_jsonable(body), status_code=status)
        return RedirectResponse(location, status_code=303)

    @app.post(
        "/api/sources",
        summary="Add a source (needs the token)",
        status_code=201,
        openapi_extra=request_body(AddSourceBody),
        responses=errors(400, 401, 403, 413),
    )
    @app.post("/actions/source", include_in_schema=False)
    async def add_source(request: Request) -> Response:
        data = await payload_of(request)
        caller = can_write(request, "add_source", data)
        url = str(data.get("url", "")).strip()
        if urlsplit(url).scheme not in ("http", "https"):
            audit(request, caller, "add_source", url, "refused", why="not http(s)")
            raise HTTPException(400, "a source added here must be an http(s) URL")
        countries = data.get("countries") or data.get("country") or []
        if isinstance(countries, str):
            countries = [c for c in re.split(r"[,\s]+", countries) if c]
        try:
            added = source_service.add_source(
                settings,
                store,
                url,
                kind=str(data.get("kind") or "feed"),
                name=str(data.get("name") or "") or None,
                countries=list(countries),
                language=str(data.get("language") or "") or None,
            )
        except WatchfloorError as exc:
            audit(request, caller, "add_source", url, "failed", why=str(exc))
            raise
        audit(
            request,
            caller,
            "add_source",
            url,
            "ok",
            source_id=added.source.id,
            created=added.created,
        )
        return _respond_write(
            request,
            f"/sources/{added.source.id}",
            {"source": added.source.as_dict(), "created": added.created},
            201,
        )

    def _job_json(job: Any) -> dict[str, Any]:
        body: dict[str, Any] = _jsonable(job)
        body["finished"] = job.finished
        return body

    async def _job_write(
        request: Request, kind: str, start: Callable[[dict[str, Any], Who], Any]
    ) -> Response:
        data = await payload_of(request)
        caller = can_write(request, kind, data)
        try:
            # a thread: starting writes the job's row and may talk to the broker
            job, created = await run_in_threadpool(start, data, caller)
        except JobNotSentError as exc:
            audit(request, caller, kind, request.url.path, "failed", why=str(exc))
            raise HTTPException(503, str(exc)) from None
        except WatchfloorError as exc:
            audit(request, caller, kind, request.url.path, "failed", why=str(exc))
            raise
        audit(
            request,
            caller,
            kind,
            job.key,
            "started" if created else "already running",
            job_id=job.id,
        )
        return _respond_write(
            request, f"/jobs/{job.id}", _job_json(job) | {"created": created}, 202
        )

    def _start_collect(data: dict[str, Any], caller: Who) -> Any:
        return runner.collect(country=str(data.get("country") or "") or None, actor=caller.actor)

    def _start_report(data: dict[str, Any], caller: Who) -> Any:
        country = str(data.get("country") or "")
        if not country:
            raise HTTPException(400, "a report needs a country")
        return runner.report(
            country=country,
            start=date_param(str(data.get("start") or ""), "start"),
            end=date_param(str(data.get("end") or ""), "end"),
            actor=caller.actor,
        )

    @app.post(
        "/api/jobs/collect",
        summary="Collect now, then enrich (needs the token)",
        status_code=202,
        openapi_extra=request_body(CollectBody),
        responses={202: {"model": JobBody}, **errors(400, 401, 403, 413, 503)},
    )
    @app.post("/actions/collect", include_in_schema=False)
    async def collect_now(request: Request) -> Response:
        return await _job_write(request, "collect", _start_collect)

    @app.post(
        "/api/jobs/report",
        summary="Write a report now (needs the token)",
        status_code=202,
        openapi_extra=request_body(ReportBody),
        responses={202: {"model": JobBody}, **errors(400, 401, 403, 413, 503)},
    )
    @app.post("/actions/report", include_in_schema=False)
    async def report_now(request: Request) -> Response:
        return await _job_write(request, "report", _start_report)

    @app.get(
        "/api/jobs",
        summary="The newest jobs",
        responses={200: {"model": list[JobBody]}, **errors(401)},
    )
    def jobs_api(request: Request) -> JSONResponse:
        can_read(request)
        return JSONResponse([_job_json(j) for j in dashboard.list_jobs(store)])

    @app.get(
        "/api/jobs/{job_id}",
        summary="One job: its stage, progress and result",
        responses={200: {"model": JobBody}, **errors(401, 404)},
    )
    def job_api(request: Request, job_id: IdPath) -> JSONResponse:
        can_read(request)
        job = dashboard.get_job(store, job_id)
        if job is None:
            raise HTTPException(404, f"no job with id {job_id}")
        return JSONResponse(_job_json(job))

    @app.get(
        "/api/jobs/{job_id}/events",
        summary="A job's progress as server-sent events, until it finishes",
        response_class=EventStream,
        responses={200: EVENT_STREAM, **json_errors(401, 404)},
    )
    async def job_events(request: Request, job_id: IdPath) -> Response:
        can_read(request)
        job = await run_in_threadpool(dashboard.get_job, store, job_id)
        if job is None:
            raise HTTPException(404, f"no job with id {job_id}")
        stream = job_event_stream(
            request,
            store,
            job,
            as_json=_job_json,
            interval=cfg.event_interval,
            max_seconds=cfg.event_stream_seconds,
            stop=runner.cancel,
        )
        return EventStream(
            stream,
            headers={"x-accel-buffering": "no"},  # a proxy in front must not buffer it
        )

    @app.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def job_page(request: Request, job_id: IdPath) -> Response:
        can_read(request)
        job = dashboard.get_job(store, job_id)
        if job is None:
            raise HTTPException(404, f"no job with id {job_id}")
        return page(request, "job.html.j2", job=job)

    @app.get(
        "/api/audit",
        summary="The audit log of writes (needs the token)",
        responses=errors(401),
        openapi_extra={"security": BEARER_SECURITY},
    )
    def audit_api(request: Request) -> JSONResponse:
        caller = who(request)
        if not caller.signed_in:
            raise HTTPException(401, "the audit log needs the token")
        return JSONResponse(_jsonable(dashboard.audit(store)))

    return app


class _LoginNeeded(Exception):
    """A page was asked for without signing in where reads need the token."""


def _strip_xml_declaration(svg: str) -> str:
    return re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", svg)

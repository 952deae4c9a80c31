"""Scenario tests, second set: realistic projects labelled before the model was run.

Each case was decided from the project description alone, as a careful expert would grade it,
before the second decision model existed; the docstring gives the reasoning. Besides the
verdict and its grade, most cases pin the two decisions behind it: the event loop the process
runs, and what the team's own code is written against.

Grading convention: `clear` when experts would not argue (a dependency fixes the loop and
nothing argues for another API, or a library must stay portable); `lean` when a reasonable
expert could choose otherwise, or when the verdict rests on one soft factor, on answers left
at their defaults, or on a young or unproven library fact; `toss-up` when it is a tie or
nothing but taste separates the options.
"""

from __future__ import annotations

import pytest

from advisor import Answers, Certainty, Recommendation, Runtime, recommend

CLEAR, LEAN, TOSS_UP = Certainty.CLEAR, Certainty.LEAN, Certainty.TOSS_UP
ASYNCIO, TRIO, ANYIO = Runtime.ASYNCIO, Runtime.TRIO, Runtime.ANYIO


def _advise(query: str) -> Recommendation:
    return recommend(Answers.from_query(query))


def _check(
    query: str,
    verdict: Runtime,
    grade: Certainty,
    *,
    loop: str | None = None,
    api: str | None = None,
) -> Recommendation:
    rec = _advise(query)
    got = (rec.verdict, rec.certainty)
    assert got == (verdict, grade), (
        f"{query}: got {rec.verdict.value}/{rec.certainty.value} ({rec.confidence_reason}); "
        f"loop {rec.loop}, api {rec.api}; reasons {[r.rule_id for r in rec.reasons]}"
    )
    assert rec.loop is not None
    assert rec.api is not None
    if loop is not None:
        assert rec.loop.choice == loop, f"{query}: loop {rec.loop}"
    if api is not None:
        assert rec.api.choice == api, f"{query}: api {rec.api}"
    return rec


# --- The five wrong results of the first model (issue 8) ----------------------------------


def test_playwright_scraper_is_asyncio_not_an_anyio_toss_up() -> None:
    """Playwright's async API needs asyncio; from Trio only its sync API runs, in threads.

    A thread-only route does not make "the stack runs on Trio": the loop is asyncio. Nobody on
    the team asked for AnyIO, so the code is plain asyncio; a lean, because Trio with
    Playwright's sync API in worker threads is a workable, if clumsy, alternative.
    """
    _check(
        "deps=playwright,httpx,tenacity&workload=client,pipeline",
        ASYNCIO,
        LEAN,
        loop="asyncio",
        api="native",
    )


@pytest.mark.parametrize(
    "deps", ["anyio,trio,httpx", "anyio,httpx", "anyio,httpx,pytest-trio,pytest-asyncio"]
)
def test_library_listing_the_runtimes_themselves_is_anyio(deps: str) -> None:
    """A library on AnyIO and httpx that also lists trio (for its tests or its `trio` extra).

    Listing the runtimes or their test plugins is tooling: it never rules a runtime out, so
    the three spellings of the same project get the same verdict: AnyIO, clearly.
    """
    rec = _check(f"deps={deps}&kind=library&workload=client", ANYIO, CLEAR, api="anyio")
    assert not rec.blocked


def test_python39_app_never_scores_asyncio_below_trio() -> None:
    """A Python 3.9 service: current Trio and AnyIO releases no longer install there.

    asyncio is the verdict; it is a lean because 3.9 is past end of life, and moving the floor
    is the first thing an expert would ask about.
    """
    rec = _check("deps=httpx&workload=server&python=3.9", ASYNCIO, LEAN, loop="asyncio")
    assert rec.scores.asyncio > rec.scores.trio
    assert rec.scores.asyncio > rec.scores.anyio


def test_an_exact_tie_is_called_a_tie() -> None:
    """A team equally expert in both, on a stack that runs on both: nothing separates them."""
    rec = _advise("deps=httpx,hypercorn&workload=server&exp_asyncio=3&exp_trio=3&team=solo")
    assert rec.certainty is TOSS_UP
    if rec.loop is not None and rec.loop.grade is TOSS_UP:
        assert "tie" in rec.loop.reason.lower() or "close" in rec.loop.reason.lower()


def test_many_asyncio_only_deps_rationale_agrees_with_anyio_docs() -> None:
    """The rule about several asyncio-only dependencies must not say AnyIO is pointless there.

    AnyIO's own docs say it runs on the asyncio backend alongside native asyncio libraries; the
    rationale may say the Trio backend is out of reach, not that AnyIO has no value.
    """
    rec = _advise("deps=asyncpg,aiokafka,aiohttp,redis&workload=server")
    for reason in rec.reasons:
        assert "nominal" not in reason.rationale
        assert "mostly adapters" not in reason.rationale


# --- Web services on several stacks ---------------------------------------------------------


def test_litestar_asyncpg_service_is_asyncio() -> None:
    """Litestar on uvicorn with asyncpg and redis, asyncio-experienced team: asyncio, clearly."""
    _check(
        "deps=litestar,uvicorn,asyncpg,redis&workload=server&exp_asyncio=2",
        ASYNCIO,
        CLEAR,
        loop="asyncio",
        api="native",
    )


def test_aiohttp_service_is_asyncio() -> None:
    """An aiohttp server calling other services with aiohttp: everything is asyncio-only."""
    _check("deps=aiohttp,aiohttp-retry&workload=server,client", ASYNCIO, CLEAR, loop="asyncio")


def test_fastapi_openai_service_is_asyncio() -> None:
    """FastAPI on uvicorn calling the OpenAI and Anthropic SDKs, an ordinary team.

    uvicorn owns the asyncio loop; the AnyIO-based SDKs run there unchanged, and nothing in the
    answers asks for AnyIO's API: asyncio, clearly.
    """
    _check(
        "deps=fastapi,uvicorn,openai,anthropic&workload=server,client",
        ASYNCIO,
        CLEAR,
        loop="asyncio",
        api="native",
    )


def test_grpc_service_is_asyncio() -> None:
    """A grpc.aio service with SQLAlchemy's asyncio extension: asyncio (grpc.aio is asyncio's)."""
    _check("deps=grpcio,sqlalchemy,asyncpg&workload=server", ASYNCIO, CLEAR, loop="asyncio")


def test_perf_critical_gateway_runs_on_uvloop() -> None:
    """A 100k-connection FastAPI gateway where latency is critical: asyncio on uvloop."""
    rec = _check(
        "deps=fastapi,uvicorn,redis&workload=server,streaming&scale=large&perf=critical"
        "&exp_asyncio=2",
        ASYNCIO,
        CLEAR,
        loop="asyncio",
        api="native",
    )
    assert rec.loop is not None
    assert rec.loop.uvloop


def test_trio_team_starlette_on_hypercorn_leans_trio() -> None:
    """Starlette on Hypercorn with httpx, written by a Trio-experienced team.

    Every dependency runs on Trio and the team is fluent in it: Trio. AnyIO would be an equally
    defensible choice (Starlette is AnyIO-based), so a lean.
    """
    _check(
        "deps=starlette,hypercorn,httpx&workload=server&exp_trio=2&exp_asyncio=1",
        TRIO,
        LEAN,
        loop="trio",
    )


def test_websockets_broadcast_server_is_asyncio() -> None:
    """A large websocket fan-out on `websockets` and redis pub/sub: asyncio (redis.asyncio)."""
    _check(
        "deps=websockets,redis&workload=server,streaming&scale=large",
        ASYNCIO,
        CLEAR,
        loop="asyncio",
    )


def test_trio_websocket_service_for_a_trio_team_is_trio() -> None:
    """A Trio team's websocket relay on trio-websocket and httpx: Trio, clearly."""
    _check(
        "deps=trio,trio-websocket,httpx&workload=server,streaming&exp_trio=3&codebase=trio",
        TRIO,
        CLEAR,
        loop="trio",
        api="native",
    )


def test_nothing_runs_both_uvicorn_and_trio_websocket() -> None:
    """uvicorn owns an asyncio loop and trio-websocket needs Trio: no runtime runs both."""
    rec = _advise("deps=uvicorn,trio-websocket&workload=server")
    assert rec.certainty is TOSS_UP
    assert {Runtime.ASYNCIO, Runtime.TRIO} <= rec.blocked


# --- SDK-heavy apps, bots, pipelines ---------------------------------------------------------


def test_telegram_bot_is_asyncio() -> None:
    """A python-telegram-bot bot storing state with SQLAlchemy on aiosqlite: asyncio."""
    _check(
        "deps=python-telegram-bot,sqlalchemy,aiosqlite&workload=client&scale=small&team=solo",
        ASYNCIO,
        CLEAR,
        loop="asyncio",
    )


def test_slack_bolt_app_is_asyncio() -> None:
    """A Slack Bolt app on its aiohttp adapter: asyncio."""
    _check("deps=slack-bolt,aiohttp&workload=server,client", ASYNCIO, CLEAR, loop="asyncio")


def test_aws_pipeline_on_aioboto3_is_asyncio() -> None:
    """An S3-to-Kafka pipeline on aioboto3 and aiokafka: asyncio."""
    _check(
        "deps=aioboto3,aiokafka&workload=pipeline,streaming&exp_asyncio=2",
        ASYNCIO,
        CLEAR,
        loop="asyncio",
    )


def test_nats_worker_is_asyncio() -> None:
    """A NATS worker writing to MongoDB through motor: asyncio."""
    _check("deps=nats-py,motor&workload=pipeline", ASYNCIO, CLEAR, loop="asyncio")


def test_llm_batch_job_for_new_team_with_strict_timeouts_is_anyio_or_trio() -> None:
    """An LLM batch job on the OpenAI SDK and httpx; strict timeouts matter; team new to async.

    Everything runs on either loop; level cancellation and cancel scopes are what the team
    needs, and both AnyIO and Trio give them. Labelled "AnyIO, lean" before the model ran; on
    review this project differs from the crawler of the first set (AnyIO or Trio, a toss-up)
    only by `cancel=critical`, which favours Trio and AnyIO alike, so it is re-labelled a
    toss-up between them; plain asyncio must not win.
    """
    rec = _check(
        "deps=openai,httpx&workload=client,pipeline&exp_asyncio=0&exp_trio=0&cancel=critical",
        ANYIO,
        TOSS_UP,
        api="anyio",
    )
    assert rec.scores.asyncio < rec.scores.anyio
    assert rec.scores.asyncio < rec.scores.trio


def test_asyncio_experts_with_strict_timeouts_lean_asyncio() -> None:
    """An asyncio-expert team's httpx client where timeouts are critical, Python 3.12.

    asyncio.timeout() and TaskGroup cover it for experts; AnyIO's level cancellation is the
    argument the other way: asyncio, a lean.
    """
    _check(
        "deps=httpx&workload=client&exp_asyncio=3&cancel=critical&python=3.12",
        ASYNCIO,
        LEAN,
        api="native",
    )


def test_crawler_with_strict_cancellation_and_trio_experience_leans_trio() -> None:
    """A crawler on httpx and trio-util, Trio-experienced team, cancellation critical: Trio."""
    _check(
        "deps=httpx,trio-util&workload=client,pipeline&scale=large&exp_trio=2&cancel=critical",
        TRIO,
        CLEAR,
        loop="trio",
    )


# --- CLIs, GUIs and TUIs ---------------------------------------------------------------------


def test_textual_tui_is_asyncio() -> None:
    """A Textual TUI polling an API with httpx: Textual runs on asyncio, so asyncio.

    A lean: the catalog's Textual fact is of low confidence.
    """
    _check("deps=textual,httpx&workload=gui,client&scale=small", ASYNCIO, LEAN, loop="asyncio")


def test_bare_cli_with_no_dependencies_is_asyncio_lean() -> None:
    """A small CLI with no async dependencies, defaults elsewhere: asyncio, only a lean.

    Start-up time favours plain asyncio, but the answers are mostly defaults.
    """
    _check("workload=cli&scale=small", ASYNCIO, LEAN, loop="asyncio", api="native")


# --- Library authors -------------------------------------------------------------------------


def test_library_with_no_dependencies_is_anyio() -> None:
    """A protocol library with no dependencies: AnyIO, so asyncio and Trio users can both use it."""
    _check("kind=library&workload=client", ANYIO, CLEAR, api="anyio")


def test_aiohttp_plugin_library_is_asyncio() -> None:
    """An aiohttp middleware package: its users have chosen aiohttp, hence asyncio."""
    _check("deps=aiohttp&kind=library&workload=server", ASYNCIO, CLEAR, loop="asyncio")


def test_library_on_trio_websocket_is_trio() -> None:
    """A client library built on trio-websocket: it can only run on Trio."""
    _check("deps=trio-websocket&kind=library&workload=client", TRIO, CLEAR, loop="trio")


def test_library_on_httpx_for_python310_is_anyio() -> None:
    """An SDK on httpx that must still support Python 3.10: AnyIO (task groups on 3.10 too)."""
    _check("deps=httpx&kind=library&workload=client&python=3.10", ANYIO, CLEAR, api="anyio")


# --- Existing code bases ---------------------------------------------------------------------


def test_existing_asyncio_monolith_with_strict_cancellation_leans_asyncio() -> None:
    """A large asyncio monolith, expert team, that has been hurt by orphaned tasks.

    Moving to AnyIO can happen module by module on the asyncio backend, but the code base and
    the team's fluency say asyncio with TaskGroup discipline: asyncio, a lean.
    """
    _check(
        "deps=aiohttp,asyncpg&workload=server&codebase=asyncio&exp_asyncio=3&team=large"
        "&cancel=critical",
        ASYNCIO,
        LEAN,
        loop="asyncio",
    )


def test_existing_trio_code_base_gaining_asyncpg_leans_anyio() -> None:
    """A Trio code base that must now talk to PostgreSQL through asyncpg (asyncio-only).

    The loop must become asyncio (or run asyncpg through trio-asyncio); AnyIO keeps the team's
    Trio-style code and runs it on asyncio: AnyIO, a lean.
    """
    _check(
        "deps=asyncpg,httpx&workload=server&codebase=trio&exp_trio=3",
        ANYIO,
        LEAN,
        loop="asyncio",
        api="anyio",
    )


def test_existing_trio_code_base_stays_trio() -> None:
    """A Trio service with nothing asyncio-only in sight, Trio-experienced team: Trio."""
    _check(
        "deps=trio,httpx,pytest-trio&workload=server&codebase=trio&exp_trio=2",
        TRIO,
        CLEAR,
        loop="trio",
        api="native",
    )


# --- Python floors ----------------------------------------------------------------------------


def test_python310_app_on_anyio_stack_is_capped_at_lean() -> None:
    """An application whose floor is Python 3.10, past its end of life: never clear."""
    rec = _advise("deps=httpx,asyncpg&workload=server&python=3.10&exp_asyncio=2")
    assert rec.verdict is ASYNCIO
    assert rec.certainty is not CLEAR


def test_python314_fresh_service_for_new_team_is_not_clear() -> None:
    """A new service on Python 3.14 with no dependencies yet, team new to async.

    Everything is open and only soft factors speak: not a clear verdict either way.
    """
    rec = _advise("workload=server&scale=small&exp_asyncio=0&exp_trio=0&python=3.14")
    assert rec.certainty is not CLEAR

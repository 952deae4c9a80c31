"""Scenario tests: realistic projects and the verdict a careful expert would give.

Each test states the project and the reasoning in its docstring. Close calls are pinned as
`toss-up` or `lean`, never `clear`: the advisor must not overstate its certainty. The
dependency lists are the ones such projects really carry; their facts come from the real
catalog, so a catalog or rule change that flips an expert's verdict fails here.
"""

from __future__ import annotations

from advisor import Answers, Certainty, Recommendation, Runtime, recommend


def _advise(query: str) -> Recommendation:
    return recommend(Answers.from_query(query))


def _assert(query: str, verdict: Runtime, certainty: Certainty) -> Recommendation:
    rec = _advise(query)
    assert (rec.verdict, rec.certainty) == (verdict, certainty), (
        f"{query}: got {rec.verdict.value}/{rec.certainty.value}, "
        f"scores {rec.scores}, reasons {[r.rule_id for r in rec.reasons]}"
    )
    return rec


def test_fastapi_postgres_service_is_asyncio() -> None:
    """FastAPI on uvicorn with asyncpg, SQLAlchemy and redis-py: asyncio, clearly.

    FastAPI itself runs on Trio, but uvicorn owns the asyncio loop and asyncpg and redis.asyncio
    are asyncio-only: the usual stack around the framework rules Trio out.
    """
    rec = _assert(
        "deps=fastapi,uvicorn,asyncpg,sqlalchemy,redis,httpx,pytest-asyncio&workload=server",
        Runtime.ASYNCIO,
        Certainty.CLEAR,
    )
    assert {b.dependency for b in rec.blockers if b.runtime is Runtime.TRIO} >= {
        "uvicorn",
        "asyncpg",
        "redis",
    }
    assert "fastapi" not in {b.dependency for b in rec.blockers}


def test_existing_aiohttp_monolith_stays_on_asyncio() -> None:
    """A large team's aiohttp + aiopg + aiokafka monolith, experienced in asyncio: asyncio.

    Rewriting working asyncio code for Trio rarely pays, and every dependency is asyncio-only.
    """
    _assert(
        "deps=aiohttp,aiopg,aiokafka,aiofiles&workload=server,pipeline&codebase=asyncio"
        "&exp_asyncio=2&team=large",
        Runtime.ASYNCIO,
        Certainty.CLEAR,
    )


def test_http_sdk_library_is_anyio() -> None:
    """A client SDK library built on httpx: AnyIO, so users on asyncio and Trio can both use it."""
    _assert("deps=httpx,anyio&kind=library&workload=client", Runtime.ANYIO, Certainty.CLEAR)


def test_trio_shop_websocket_gateway_is_trio() -> None:
    """An existing Trio code base with trio-websocket and pytest-trio, a Trio-expert team: Trio."""
    rec = _assert(
        "deps=trio,trio-websocket,pytest-trio,httpx&workload=server,streaming&codebase=trio"
        "&exp_trio=3",
        Runtime.TRIO,
        Certainty.CLEAR,
    )
    assert Runtime.ASYNCIO in rec.blocked


def test_qt_desktop_app_on_qtrio_is_trio() -> None:
    """A Qt desktop tool using QTrio (Trio guest mode on the Qt loop): Trio.

    QTrio is Trio-only, and guest mode is Trio's answer to GUI loop integration.
    """
    _assert(
        "deps=qtrio&workload=gui,client&scale=small&exp_trio=1&team=solo",
        Runtime.TRIO,
        Certainty.CLEAR,
    )


def test_qt_desktop_app_on_qasync_is_asyncio() -> None:
    """The same kind of app built on qasync and aiohttp: asyncio (qasync runs asyncio on Qt)."""
    _assert("deps=qasync,aiohttp&workload=gui,client&scale=small", Runtime.ASYNCIO, Certainty.CLEAR)


def test_httpx_cli_tool_is_a_close_call() -> None:
    """A solo developer's CLI on httpx and asyncclick: a toss-up, asyncio marginally ahead.

    Both dependencies run on AnyIO, so nothing forces a runtime; start-up time and the stdlib
    default tip it to asyncio, but an expert would accept AnyIO or Trio here too.
    """
    _assert(
        "deps=httpx,asyncclick&workload=cli,client&scale=small&team=solo",
        Runtime.ASYNCIO,
        Certainty.TOSS_UP,
    )


def test_uvloop_websocket_gateway_is_asyncio() -> None:
    """A 50k-connection websocket gateway on uvloop where throughput is critical: asyncio.

    Only asyncio can run on uvloop, and the stored benchmarks show Trio slower on this work.
    """
    _assert(
        "deps=uvloop,websockets,redis&workload=server,streaming&scale=large&perf=critical"
        "&exp_asyncio=3&team=large",
        Runtime.ASYNCIO,
        Certainty.CLEAR,
    )


def test_crawler_for_a_team_new_to_async_is_a_toss_up() -> None:
    """A large-scale crawler on httpx for a team new to async: a toss-up between AnyIO and Trio.

    Everything runs on Trio, and structured cancellation suits fan-out with deadlines; whether
    to keep asyncio's ecosystem reachable (AnyIO) is a judgement call.
    """
    rec = _assert(
        "deps=httpx,aiometer&workload=client,pipeline&scale=large&exp_asyncio=0&exp_trio=0",
        Runtime.ANYIO,
        Certainty.TOSS_UP,
    )
    assert rec.scores.trio > rec.scores.asyncio


def test_kafka_pipeline_is_asyncio() -> None:
    """A Kafka-to-PostgreSQL pipeline on aiokafka and asyncpg: asyncio, despite streaming.

    Trio's channels would suit the pipeline, but both drivers are asyncio-only.
    """
    _assert(
        "deps=aiokafka,asyncpg&workload=pipeline,streaming&exp_asyncio=2",
        Runtime.ASYNCIO,
        Certainty.CLEAR,
    )


def test_python39_aiohttp_service_is_asyncio() -> None:
    """A Python 3.9 aiohttp service on the old aioredis package: asyncio.

    Current Trio and AnyIO need 3.10, and the code base and team are asyncio already. Graded
    `lean`, not `clear`, since the second decision model: 3.9 is past its end of life, and for
    an application raising the floor is the first thing an expert would settle (issue 8).
    """
    rec = _assert(
        "deps=aiohttp,aioredis&workload=server&python=3.9&exp_asyncio=2&codebase=asyncio",
        Runtime.ASYNCIO,
        Certainty.LEAN,
    )
    # aioredis is a separate, archived project with its own catalog entry (second edition).
    assert any(d.catalog_name == "aioredis" and d.trio == "bridge" for d in rec.dependencies)


def test_python310_anyio_stack_is_a_toss_up() -> None:
    """Starlette on Hypercorn with httpx, Python 3.10: a toss-up between AnyIO and Trio.

    On 3.10 asyncio has no TaskGroup or timeout(); the whole stack runs on Trio or AnyIO.
    """
    rec = _assert(
        "deps=starlette,hypercorn,httpx&workload=server&python=3.10",
        Runtime.ANYIO,
        Certainty.TOSS_UP,
    )
    assert rec.scores.asyncio < rec.scores.anyio


def test_large_team_fastapi_sqlalchemy_is_asyncio() -> None:
    """A large, asyncio-experienced team on FastAPI, uvicorn, SQLAlchemy and asyncpg: asyncio."""
    _assert(
        "deps=fastapi,uvicorn,sqlalchemy,asyncpg,celery&workload=server&team=large&exp_asyncio=2",
        Runtime.ASYNCIO,
        Certainty.CLEAR,
    )


def test_django_port_leans_asyncio() -> None:
    """Porting a sync Django app with Channels: lean asyncio.

    Django's async views and Channels run on asyncio, ruling Trio out; AnyIO on its asyncio
    backend stays a credible choice for new async code, hence a lean, not clear.
    """
    _assert(
        "deps=django,channels,requests,boto3&workload=server&codebase=sync",
        Runtime.ASYNCIO,
        Certainty.LEAN,
    )


def test_library_wrapping_asyncpg_is_asyncio() -> None:
    """A library wrapping asyncpg: asyncio; AnyIO's portability promise can't be kept."""
    _assert("deps=asyncpg&kind=library", Runtime.ASYNCIO, Certainty.CLEAR)


def test_team_equally_strong_in_both_is_a_toss_up() -> None:
    """A team experienced in both, on httpx and Hypercorn (both Trio-capable): a toss-up."""
    rec = _assert(
        "deps=httpx,hypercorn&workload=server&exp_asyncio=2&exp_trio=2",
        Runtime.TRIO,
        Certainty.TOSS_UP,
    )
    assert rec.flips, "a close call must say what would flip it"


def test_discord_bot_is_asyncio() -> None:
    """A solo developer's discord.py bot with aiosqlite: asyncio (both are asyncio-only)."""
    _assert(
        "deps=discord.py,aiosqlite&workload=client,streaming&scale=small&team=solo",
        Runtime.ASYNCIO,
        Certainty.CLEAR,
    )


def test_trio_team_on_asyncpg_leans_anyio() -> None:
    """Trio experts whose service needs asyncpg: lean AnyIO on its asyncio backend.

    They keep Trio-style task groups and cancel scopes and call asyncpg directly, without
    trio-asyncio; plain asyncio is the runner-up.
    """
    rec = _assert(
        "deps=asyncpg,httpx&workload=server&exp_trio=3&exp_asyncio=0",
        Runtime.ANYIO,
        Certainty.LEAN,
    )
    assert Runtime.TRIO in rec.blocked


def test_llm_agent_on_anyio_sdks_is_a_toss_up() -> None:
    """An LLM agent on the OpenAI, Anthropic and MCP SDKs (all AnyIO-based): a toss-up.

    The SDKs declare only the AsyncIO classifier but run on Trio through AnyIO, so nothing
    forces the choice.
    """
    rec = _assert(
        "deps=openai,anthropic,httpx,mcp&workload=client,pipeline&exp_trio=1",
        Runtime.ANYIO,
        Certainty.TOSS_UP,
    )
    assert not rec.blockers


def test_cpu_heavy_batch_leans_anyio() -> None:
    """A CPU-heavy batch job fetching with httpx: lean AnyIO, for its process pool on both."""
    _assert("deps=httpx&workload=cpu,pipeline&scale=small", Runtime.ANYIO, Certainty.LEAN)

"""Shared helpers for the livekit-api (Python SDK) conformance suite.

The SDK under test speaks Twirp with binary protobuf bodies
(``Content-Type: application/protobuf``; see ``livekit/api/twirp_client.py``), so
every response here is decoded by the SDK itself into its protobuf types.
"""

from __future__ import annotations

import json
import os
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, AsyncIterator, Optional

import aiohttp
from google.protobuf import text_format
from google.protobuf.message import Message
from livekit import api

# "real" is the real LiveKit server, which only the stateful tests (stateful/) run against.
TARGETS = ("ours", "original", "real")


@dataclass(frozen=True)
class ServerUnderTest:
    """Where the server under test listens, read from LK_TEST_SERVER_* variables."""

    url: Optional[str]
    api_key: str
    api_secret: str
    target: str

    @classmethod
    def from_env(cls) -> "ServerUnderTest":
        return cls(
            url=os.environ.get("LK_TEST_SERVER_URL") or None,
            api_key=os.environ.get("LK_TEST_SERVER_API_KEY") or "devkey",
            api_secret=os.environ.get("LK_TEST_SERVER_API_SECRET") or "secret",
            target=os.environ.get("LK_TEST_SERVER_TARGET") or "ours",
        )

    @property
    def is_ours(self) -> bool:
        return self.target == "ours"

    def config_error(self) -> Optional[str]:
        """Why the suite cannot run, or None. Reported as a test failure, never a skip."""
        if not self.url:
            return (
                "LK_TEST_SERVER_URL is not set: point it at region 0 of a running "
                "test server, e.g. LK_TEST_SERVER_URL=http://127.0.0.1:9999"
            )
        if self.target not in TARGETS:
            return f"LK_TEST_SERVER_TARGET must be one of {TARGETS}, got {self.target!r}"
        return None

    def describe(self) -> str:
        return f"url={self.url or '<unset>'} target={self.target} api_key={self.api_key}"


SERVER = ServerUnderTest.from_env()


def mock_header(**fields: Any) -> dict[str, str]:
    """The X-Lk-Mock control header carrying ``fields`` as compact JSON."""
    return {"X-Lk-Mock": json.dumps(fields, separators=(",", ":"))}


@asynccontextmanager
async def connect(
    *,
    mock: Optional[dict[str, Any]] = None,
    api_secret: Optional[str] = None,
    timeout: float = 10.0,
    trace_configs: Optional[list[aiohttp.TraceConfig]] = None,
) -> AsyncIterator[api.LiveKitAPI]:
    """A LiveKitAPI client on its own aiohttp session.

    The control header travels through the SDK's own request layer: the SDK posts
    every call through the session we hand it, and aiohttp merges the session's
    default headers into each request (API calls and region discovery alike).
    """
    session = aiohttp.ClientSession(
        headers=mock_header(**mock) if mock is not None else None,
        timeout=aiohttp.ClientTimeout(total=timeout),
        trace_configs=trace_configs,
    )
    try:
        yield api.LiveKitAPI(
            SERVER.url,
            SERVER.api_key,
            SERVER.api_secret if api_secret is None else api_secret,
            session=session,
        )
    finally:
        await session.close()


async def read_journal(key: str) -> list[dict[str, Any]]:
    """The entries the server recorded under journal ``key``, in arrival order."""
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{SERVER.url}/_test/journal/{key}") as resp:
            assert resp.status == 200, await resp.text()
            return (await resp.json())["entries"]


def make_token(
    video: Optional[api.VideoGrants] = None,
    sip: Optional[api.SIPGrants] = None,
    *,
    secret: Optional[str] = None,
) -> str:
    """A token signed like the SDK signs its own, but with exactly these grants."""
    tok = api.AccessToken(SERVER.api_key, SERVER.api_secret if secret is None else secret)
    if video is not None:
        tok.with_grants(video)
    if sip is not None:
        tok.with_sip_grants(sip)
    return tok.to_jwt()


async def raw_call(
    lk: api.LiveKitAPI,
    service: str,
    method: str,
    request: Message,
    response_type: type[Message],
    *,
    token: Optional[str],
) -> Message:
    """Calls ``livekit.<service>/<method>`` through the SDK's internal Twirp client,
    authorised by a hand-made token (or by none at all when ``token`` is None).

    This is exactly what the SDK's service methods do, minus their auto-signed
    ``_auth_header(VideoGrants(...))``."""
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    # Any service's client will do: they share the host and the "livekit" package.
    return await lk.room._client.request(service, method, request, headers, response_type)


def assert_proto_equal(actual: Message, expected: Message) -> None:
    """Exact equality of two protobuf messages: every field, presence included.

    Fields that the server's (possibly newer) protocol sends but this SDK's
    protocol does not know arrive as unknown fields; they are invisible to SDK
    users, so they are dropped before comparing."""
    assert type(actual) is type(expected), f"{type(actual).__name__} != {type(expected).__name__}"
    known = type(actual)()
    known.CopyFrom(actual)
    known.DiscardUnknownFields()
    assert known == expected, (
        f"\n--- actual {type(actual).__name__} ---\n{text_format.MessageToString(known)}"
        f"--- expected ---\n{text_format.MessageToString(expected)}"
    )


def assert_unauthenticated(err: api.TwirpError) -> None:
    assert (err.code, err.status) == ("unauthenticated", 401), str(err)
    if SERVER.is_ours:
        assert err.message.startswith("mock: unauthenticated"), err.message
    else:
        assert err.message == "mock: unauthenticated"


def assert_permission_denied(err: api.TwirpError, grant: Optional[str] = None) -> None:
    """403 permission_denied. The original says exactly ``mock: permission_denied``;
    ours appends which grant is missing, so only the prefix is common."""
    assert (err.code, err.status) == ("permission_denied", 403), str(err)
    if SERVER.is_ours:
        assert err.message.startswith("mock: permission_denied"), err.message
        if grant is not None:
            assert grant in err.message, f"{grant!r} not named in {err.message!r}"
    else:
        assert err.message == "mock: permission_denied"

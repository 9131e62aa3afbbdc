"""What the stateful tests share: names no other test or run uses, polling for changes a server
makes a moment later, and the Twirp error a call ends with."""

from __future__ import annotations

import asyncio
import uuid
from typing import Awaitable, Callable, TypeVar

import pytest
from livekit import api

T = TypeVar("T")


def unique_room(what: str) -> str:
    """A room no other test or run uses: the world outlives a test."""
    return f"py-{what}-{uuid.uuid4().hex[:8]}"


async def eventually(read: Callable[[], Awaitable[T]], done: Callable[[T], bool], timeout: float = 10.0) -> T:
    """Polls ``read`` until ``done`` holds; the real server applies some changes a moment later."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await read()
        if done(value) or asyncio.get_running_loop().time() > deadline:
            return value
        await asyncio.sleep(0.1)


async def twirp_error(call: Awaitable[object]) -> api.TwirpError:
    with pytest.raises(api.TwirpError) as raised:
        await call
    return raised.value

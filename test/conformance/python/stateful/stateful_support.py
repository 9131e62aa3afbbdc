"""What the SIP and agent dispatch stateful tests share."""

from __future__ import annotations

import uuid
from typing import Awaitable

import pytest
from livekit import api


def unique_room(what: str) -> str:
    """A room no other test or run uses: the world outlives a test."""
    return f"py-{what}-{uuid.uuid4().hex[:8]}"


async def twirp_error(call: Awaitable[object]) -> tuple[int, str, str]:
    """The status, code and message of the Twirp error ``call`` raises."""
    with pytest.raises(api.TwirpError) as raised:
        await call
    return raised.value.status, raised.value.code, raised.value.message

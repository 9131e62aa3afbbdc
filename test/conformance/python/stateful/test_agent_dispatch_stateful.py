"""Agent dispatch through livekit-api in stateful mode, as an application's test suite uses it.

devkey / secret, no control header, one world that every call shares: the same tests run against
ours started with ``livekit-test-server --stateful --ports <port>`` and against the real LiveKit
server (LK_TEST_SERVER_TARGET=ours|real)::

    LK_TEST_SERVER_URL=http://127.0.0.1:7880 test/conformance/python/run.sh stateful
"""

from __future__ import annotations

from typing import Awaitable

from livekit import api

from stateful_support import twirp_error, unique_room


async def failure(call: Awaitable[object]) -> tuple[int, str, str]:
    """The status, code and message of the Twirp error ``call`` ends with."""
    error = await twirp_error(call)
    return error.status, error.code, error.message


async def test_agent_dispatch_create_list_get_delete_list(lkapi: api.LiveKitAPI) -> None:
    room = unique_room("dispatch")
    created = await lkapi.agent_dispatch.create_dispatch(
        api.CreateAgentDispatchRequest(room=room, agent_name="helper", metadata="job")
    )
    assert created.id.startswith("AD_")
    assert (created.room, created.agent_name, created.metadata) == (room, "helper", "job")
    assert [r.name for r in (await lkapi.room.list_rooms(api.ListRoomsRequest(names=[room]))).rooms] == [room]
    assert sorted(d.agent_name for d in await lkapi.agent_dispatch.list_dispatch(room)) == ["", "helper"]
    found = await lkapi.agent_dispatch.get_dispatch(created.id, room)
    assert found is not None and found.agent_name == "helper"
    await lkapi.agent_dispatch.delete_dispatch(created.id, room)
    assert await failure(lkapi.agent_dispatch.delete_dispatch(created.id, room)) == (
        404,
        "not_found",
        "twirp error unknown: dispatch ID not found",
    )
    assert await lkapi.agent_dispatch.get_dispatch(created.id, room) is None
    assert [d.agent_name for d in await lkapi.agent_dispatch.list_dispatch(room)] == [""]
    await lkapi.room.delete_room(api.DeleteRoomRequest(room=room))

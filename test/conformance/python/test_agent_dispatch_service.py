"""Every AgentDispatchService method of LiveKitAPI, with the SDK's auto-signed tokens.

The servers intentionally differ here (docs/spec/auth.md#grant-table): the original has no
handler for this service and answers an empty success after a roomAdmin check
without a room match; ours populates the reply like its siblings (docs/spec/twirp.md#populate) and checks
the room like every other roomAdmin method."""

import pytest
from livekit import api

from support import SERVER, assert_permission_denied, assert_proto_equal, make_token, raw_call


async def test_create_dispatch(lkapi):
    dispatch = await lkapi.agent_dispatch.create_dispatch(
        api.CreateAgentDispatchRequest(
            agent_name="agent-x", room="room-a", metadata="md", deployment="staging"
        )
    )
    if SERVER.is_ours:
        expected = api.AgentDispatch(
            id="MOCK_ID", agent_name="agent-x", room="room-a", metadata="md", deployment="staging"
        )
    else:
        expected = api.AgentDispatch()
    assert_proto_equal(dispatch, expected)


async def test_delete_dispatch(lkapi):
    # The request carries `dispatch_id`, the reply `id`: no echo, a placeholder.
    dispatch = await lkapi.agent_dispatch.delete_dispatch("AD_1", "room-a")
    expected = api.AgentDispatch(id="MOCK_ID", room="room-a") if SERVER.is_ours else api.AgentDispatch()
    assert_proto_equal(dispatch, expected)


async def test_list_dispatch(lkapi):
    dispatches = await lkapi.agent_dispatch.list_dispatch("room-a")
    assert len(dispatches) == (1 if SERVER.is_ours else 0)
    for dispatch in dispatches:
        assert_proto_equal(dispatch, api.AgentDispatch(id="MOCK_ID"))


async def test_get_dispatch(lkapi):
    # get_dispatch is ListDispatch filtered by id; it returns the first element or None.
    dispatch = await lkapi.agent_dispatch.get_dispatch("AD_1", "room-a")
    if SERVER.is_ours:
        assert dispatch is not None
        assert_proto_equal(dispatch, api.AgentDispatch(id="MOCK_ID"))
    else:
        assert dispatch is None


async def test_a_dispatch_call_for_another_room_than_the_token_grants(lkapi):
    token = make_token(api.VideoGrants(room_admin=True, room="room-a"))
    call = raw_call(
        lkapi,
        "AgentDispatchService",
        "CreateDispatch",
        api.CreateAgentDispatchRequest(agent_name="agent-x", room="room-b"),
        api.AgentDispatch,
        token=token,
    )
    if SERVER.is_ours:
        with pytest.raises(api.TwirpError) as exc:
            await call
        assert_permission_denied(exc.value)
    else:
        # The original decodes no request for this service, so it sees no room.
        assert_proto_equal(await call, api.AgentDispatch())

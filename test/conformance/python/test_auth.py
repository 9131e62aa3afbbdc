"""Authentication and grant checks (docs/spec/auth.md#grant-check), seen through the SDK's errors."""

import pytest
from livekit import api

from support import (
    assert_permission_denied,
    assert_proto_equal,
    assert_unauthenticated,
    connect,
    make_token,
    raw_call,
)

ONE_CALL_PER_SERVICE = [
    pytest.param(lambda lk: lk.room.list_rooms(api.ListRoomsRequest()), id="room"),
    pytest.param(lambda lk: lk.egress.list_egress(api.ListEgressRequest()), id="egress"),
    pytest.param(lambda lk: lk.ingress.list_ingress(api.ListIngressRequest()), id="ingress"),
    pytest.param(
        lambda lk: lk.sip.list_inbound_trunk(api.ListSIPInboundTrunkRequest()), id="sip"
    ),
    pytest.param(lambda lk: lk.agent_dispatch.list_dispatch("room-a"), id="agent_dispatch"),
]


@pytest.mark.parametrize("call", ONE_CALL_PER_SERVICE)
async def test_a_wrong_secret_is_unauthenticated(call):
    async with connect(api_secret="not-the-secret") as lk:
        with pytest.raises(api.TwirpError) as exc:
            await call(lk)
    assert_unauthenticated(exc.value)


async def test_a_missing_authorization_header_is_unauthenticated(lkapi):
    with pytest.raises(api.TwirpError) as exc:
        await raw_call(
            lkapi, "RoomService", "ListRooms", api.ListRoomsRequest(), api.ListRoomsResponse,
            token=None,
        )
    assert_unauthenticated(exc.value)


async def test_a_hand_made_token_with_the_right_grant_is_accepted(lkapi):
    rooms = await raw_call(
        lkapi,
        "RoomService",
        "ListRooms",
        api.ListRoomsRequest(),
        api.ListRoomsResponse,
        token=make_token(api.VideoGrants(room_list=True)),
    )
    assert_proto_equal(rooms, api.ListRoomsResponse(rooms=[api.Room(sid="MOCK_SID")]))


# Each token carries every grant the method needs except the one named in `missing`
# (ours names the missing grant in its message; the original does not).
MISSING_GRANT = [
    pytest.param(
        "RoomService", "CreateRoom", api.CreateRoomRequest(name="r"), api.Room,
        api.VideoGrants(room_list=True, room_admin=True), None, "video.roomCreate",
        id="CreateRoom-roomCreate",
    ),
    pytest.param(
        "RoomService", "ListRooms", api.ListRoomsRequest(), api.ListRoomsResponse,
        api.VideoGrants(room_create=True), None, "video.roomList",
        id="ListRooms-roomList",
    ),
    pytest.param(
        "RoomService", "ListParticipants", api.ListParticipantsRequest(room="r"),
        api.ListParticipantsResponse,
        api.VideoGrants(room_create=True, room_list=True, room="r"), None, "video.roomAdmin",
        id="ListParticipants-roomAdmin",
    ),
    pytest.param(
        "Egress", "StartRoomCompositeEgress", api.RoomCompositeEgressRequest(room_name="r"),
        api.EgressInfo,
        api.VideoGrants(room_create=True, room_admin=True, room="r"), None, "video.roomRecord",
        id="StartRoomCompositeEgress-roomRecord",
    ),
    pytest.param(
        "Ingress", "CreateIngress", api.CreateIngressRequest(room_name="r"), api.IngressInfo,
        api.VideoGrants(room_create=True, room_admin=True, room="r"), None, "video.ingressAdmin",
        id="CreateIngress-ingressAdmin",
    ),
    pytest.param(
        "SIP", "CreateSIPInboundTrunk", api.CreateSIPInboundTrunkRequest(),
        api.SIPInboundTrunkInfo,
        api.VideoGrants(room_admin=True), api.SIPGrants(call=True), "sip.admin",
        id="CreateSIPInboundTrunk-sip.admin",
    ),
    pytest.param(
        "SIP", "CreateSIPParticipant", api.CreateSIPParticipantRequest(room_name="r"),
        api.SIPParticipantInfo,
        api.VideoGrants(room_admin=True, room="r"), api.SIPGrants(admin=True), "sip.call",
        id="CreateSIPParticipant-sip.call",
    ),
    pytest.param(
        # Auth runs before the 11 s natural latency, so this answers at once.
        "SIP", "TransferSIPParticipant",
        api.TransferSIPParticipantRequest(room_name="r", participant_identity="p"),
        api.TransferSIPParticipantResponse,
        api.VideoGrants(), api.SIPGrants(call=True), "video.roomAdmin",
        id="TransferSIPParticipant-roomAdmin",
    ),
    pytest.param(
        "AgentDispatchService", "CreateDispatch",
        api.CreateAgentDispatchRequest(room="r", agent_name="a"), api.AgentDispatch,
        api.VideoGrants(room_create=True, room="r"), None, "video.roomAdmin",
        id="CreateDispatch-roomAdmin",
    ),
]


@pytest.mark.parametrize(
    "service, method, request_, response_type, video, sip, missing", MISSING_GRANT
)
async def test_a_token_lacking_the_required_grant_is_permission_denied(
    lkapi, service, method, request_, response_type, video, sip, missing
):
    with pytest.raises(api.TwirpError) as exc:
        await raw_call(
            lkapi, service, method, request_, response_type, token=make_token(video, sip)
        )
    assert_permission_denied(exc.value, missing)


async def test_room_admin_for_another_room_is_permission_denied(lkapi):
    with pytest.raises(api.TwirpError) as exc:
        await raw_call(
            lkapi,
            "RoomService",
            "RemoveParticipant",
            api.RoomParticipantIdentity(room="room-b", identity="alice"),
            api.RemoveParticipantResponse,
            token=make_token(api.VideoGrants(room_admin=True, room="room-a")),
        )
    assert_permission_denied(exc.value)


async def test_the_room_is_checked_only_when_the_request_names_one(lkapi):
    # A token without a room does not cover a request that names one...
    with pytest.raises(api.TwirpError) as exc:
        await raw_call(
            lkapi,
            "RoomService",
            "RemoveParticipant",
            api.RoomParticipantIdentity(room="room-b", identity="alice"),
            api.RemoveParticipantResponse,
            token=make_token(api.VideoGrants(room_admin=True)),
        )
    assert_permission_denied(exc.value)
    # ...while a request without a room passes whatever room the token names.
    resp = await raw_call(
        lkapi,
        "RoomService",
        "RemoveParticipant",
        api.RoomParticipantIdentity(identity="alice"),
        api.RemoveParticipantResponse,
        token=make_token(api.VideoGrants(room_admin=True, room="room-a")),
    )
    assert_proto_equal(resp, api.RemoveParticipantResponse())


async def test_a_move_to_a_destination_the_token_does_not_grant_is_permission_denied(lkapi):
    with pytest.raises(api.TwirpError) as exc:
        await raw_call(
            lkapi,
            "RoomService",
            "MoveParticipant",
            api.MoveParticipantRequest(room="room-a", identity="alice", destination_room="room-c"),
            api.MoveParticipantResponse,
            token=make_token(
                api.VideoGrants(room_admin=True, room="room-a", destination_room="room-b")
            ),
        )
    assert_permission_denied(exc.value)

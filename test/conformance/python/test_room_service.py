"""Every RoomService method of LiveKitAPI, with the SDK's auto-signed tokens.

Expected values follow the populate rules (docs/spec/twirp.md#populate): same-named scalar
request fields are echoed, id-like strings get MOCK_<NAME>, and each top-level
list of messages gets one element holding only its placeholders."""

from livekit import api

from support import assert_proto_equal


def participant(**echo: str) -> api.ParticipantInfo:
    return api.ParticipantInfo(
        sid="MOCK_SID",
        tracks=[api.TrackInfo(sid="MOCK_SID")],
        data_tracks=[api.DataTrackInfo(sid="MOCK_SID")],
        **echo,
    )


async def test_create_room_echoes_request_scalars_and_fills_the_sid(lkapi):
    room = await lkapi.room.create_room(
        api.CreateRoomRequest(
            name="my-room",
            metadata="meta",
            empty_timeout=30,
            departure_timeout=15,
            max_participants=7,
            sync_streams=True,
        )
    )
    assert_proto_equal(
        room,
        api.Room(
            sid="MOCK_SID",
            name="my-room",
            empty_timeout=30,
            departure_timeout=15,
            max_participants=7,
            metadata="meta",
            enabled_codecs=[api.Codec()],
        ),
    )


async def test_list_rooms_returns_one_room_with_only_a_placeholder_sid(lkapi):
    rooms = await lkapi.room.list_rooms(api.ListRoomsRequest(names=["a", "b"]))
    assert_proto_equal(rooms, api.ListRoomsResponse(rooms=[api.Room(sid="MOCK_SID")]))


async def test_delete_room_returns_an_empty_response(lkapi):
    resp = await lkapi.room.delete_room(api.DeleteRoomRequest(room="my-room"))
    assert_proto_equal(resp, api.DeleteRoomResponse())


async def test_update_room_metadata_echoes_metadata_but_not_the_room_name(lkapi):
    # The request's field is `room`, the Room's is `name`: different names, no echo.
    room = await lkapi.room.update_room_metadata(
        api.UpdateRoomMetadataRequest(room="my-room", metadata="new-meta")
    )
    assert_proto_equal(
        room, api.Room(sid="MOCK_SID", metadata="new-meta", enabled_codecs=[api.Codec()])
    )


async def test_list_participants_returns_one_participant_with_a_placeholder_sid(lkapi):
    resp = await lkapi.room.list_participants(api.ListParticipantsRequest(room="my-room"))
    assert_proto_equal(
        resp, api.ListParticipantsResponse(participants=[api.ParticipantInfo(sid="MOCK_SID")])
    )


async def test_get_participant_echoes_the_identity(lkapi):
    info = await lkapi.room.get_participant(
        api.RoomParticipantIdentity(room="my-room", identity="alice")
    )
    assert_proto_equal(info, participant(identity="alice"))


async def test_remove_participant_returns_an_empty_response(lkapi):
    resp = await lkapi.room.remove_participant(
        api.RoomParticipantIdentity(room="my-room", identity="alice")
    )
    assert_proto_equal(resp, api.RemoveParticipantResponse())


async def test_forward_participant_succeeds(lkapi):
    # The SDK discards ForwardParticipantResponse and returns None.
    assert (
        await lkapi.room.forward_participant(
            api.ForwardParticipantRequest(
                room="my-room", identity="alice", destination_room="other-room"
            )
        )
        is None
    )


async def test_move_participant_succeeds(lkapi):
    # The SDK discards MoveParticipantResponse and returns None.
    assert (
        await lkapi.room.move_participant(
            api.MoveParticipantRequest(
                room="my-room", identity="alice", destination_room="other-room"
            )
        )
        is None
    )


async def test_mute_published_track_leaves_the_track_message_unset(lkapi):
    resp = await lkapi.room.mute_published_track(
        api.MuteRoomTrackRequest(room="my-room", identity="alice", track_sid="TR_1", muted=True)
    )
    assert_proto_equal(resp, api.MuteRoomTrackResponse())
    assert not resp.HasField("track")


async def test_update_participant_echoes_identity_metadata_and_name(lkapi):
    info = await lkapi.room.update_participant(
        api.UpdateParticipantRequest(
            room="my-room",
            identity="alice",
            metadata="m",
            name="Alice",
            attributes={"k": "v"},
        )
    )
    # Maps are never populated, so the attributes are not echoed.
    assert_proto_equal(info, participant(identity="alice", metadata="m", name="Alice"))


async def test_update_subscriptions_returns_an_empty_response(lkapi):
    resp = await lkapi.room.update_subscriptions(
        api.UpdateSubscriptionsRequest(
            room="my-room", identity="alice", track_sids=["TR_1"], subscribe=True
        )
    )
    assert_proto_equal(resp, api.UpdateSubscriptionsResponse())


async def test_send_data_returns_an_empty_response(lkapi):
    resp = await lkapi.room.send_data(
        api.SendDataRequest(
            room="my-room",
            data=b"hello",
            kind=api.DataPacket.Kind.RELIABLE,
            destination_identities=["alice"],
            topic="chat",
        )
    )
    assert_proto_equal(resp, api.SendDataResponse())

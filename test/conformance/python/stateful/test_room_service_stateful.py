"""RoomService through livekit-api in stateful mode, as an application's test suite uses it.

devkey / secret, no control header, one world that every call shares: the same tests run against
ours started with ``livekit-test-server --stateful --ports <port>`` and against the real LiveKit
server (LK_TEST_SERVER_TARGET=ours|real)::

    LK_TEST_SERVER_URL=http://127.0.0.1:7880 test/conformance/python/run.sh stateful
"""

from __future__ import annotations

import asyncio
from typing import Callable
from urllib.parse import urlencode

import aiohttp
from livekit import api
from livekit.protocol import models, rtc

from stateful_support import eventually, twirp_error, unique_room
from support import SERVER


async def test_create_list_update_delete_list(lkapi: api.LiveKitAPI) -> None:
    name = unique_room("crud")
    unknown = unique_room("unknown")
    created = await lkapi.room.create_room(api.CreateRoomRequest(name=name, metadata="one", empty_timeout=60))
    assert created.sid.startswith("RM_")
    assert (created.name, created.metadata, created.empty_timeout, created.departure_timeout) == (name, "one", 60, 20)

    again = await lkapi.room.create_room(api.CreateRoomRequest(name=name, metadata="two", empty_timeout=5))
    assert (again.sid, again.metadata, again.empty_timeout) == (created.sid, "one", 60), "an existing name returns the room unchanged"

    listed = await lkapi.room.list_rooms(api.ListRoomsRequest(names=[name, unknown]))
    assert [room.sid for room in listed.rooms] == [created.sid]
    assert list((await lkapi.room.list_rooms(api.ListRoomsRequest(names=[unknown]))).rooms) == []
    participants = await lkapi.room.list_participants(api.ListParticipantsRequest(room=name))
    assert list(participants.participants) == [], "a new room has no participants"

    updated = await lkapi.room.update_room_metadata(api.UpdateRoomMetadataRequest(room=name, metadata="three"))
    assert (updated.sid, updated.metadata) == (created.sid, "three")

    await lkapi.room.delete_room(api.DeleteRoomRequest(room=name))
    gone = await eventually(
        lambda: lkapi.room.list_rooms(api.ListRoomsRequest(names=[name])),
        lambda r: len(r.rooms) == 0,
    )
    assert list(gone.rooms) == []


async def test_each_error_as_the_real_server_answers_it(lkapi: api.LiveKitAPI) -> None:
    missing = unique_room("missing")
    for call in (
        lkapi.room.delete_room(api.DeleteRoomRequest(room=missing)),
        lkapi.room.update_room_metadata(api.UpdateRoomMetadataRequest(room=missing, metadata="m")),
    ):
        error = await twirp_error(call)
        assert (error.status, error.code, error.message) == (404, "not_found", "twirp error unknown: requested room does not exist")
    assert list((await lkapi.room.list_participants(api.ListParticipantsRequest(room=missing))).participants) == []

    name = unique_room("errors")
    await lkapi.room.create_room(api.CreateRoomRequest(name=name))
    for call in (
        lkapi.room.get_participant(api.RoomParticipantIdentity(room=name, identity="nobody")),
        lkapi.room.remove_participant(api.RoomParticipantIdentity(room=name, identity="nobody")),
        lkapi.room.update_participant(api.UpdateParticipantRequest(room=name, identity="nobody", metadata="m")),
    ):
        error = await twirp_error(call)
        assert (error.status, error.code, error.message) == (404, "not_found", "twirp error unknown: participant does not exist")
    error = await twirp_error(lkapi.room.create_room(api.CreateRoomRequest(name="x" * 257)))
    assert (error.status, error.code, error.message) == (
        400,
        "invalid_argument",
        "twirp error unknown: room name length exceeds limits: max length 256",
    )
    await lkapi.room.delete_room(api.DeleteRoomRequest(room=name))


class SignalConnection:
    """A signal WebSocket that keeps every SignalResponse it reads."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.received: list[rtc.SignalResponse] = []
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                response = rtc.SignalResponse()
                response.ParseFromString(message.data)
                self.received.append(response)

    async def heard(self, match: Callable[[rtc.SignalResponse], bool], timeout: float = 10.0) -> rtc.SignalResponse:
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            for response in self.received:
                if match(response):
                    return response
            await asyncio.sleep(0.02)
        raise AssertionError(f"never heard it; heard {[r.WhichOneof('message') for r in self.received]}")


async def test_a_signal_clients_join_is_listed_changed_and_removed(lkapi: api.LiveKitAPI) -> None:
    room = unique_room("join")
    token = (
        api.AccessToken(SERVER.api_key, SERVER.api_secret)
        .with_identity("alice")
        .with_name("alice name")
        .with_metadata("hello")
        .with_grants(api.VideoGrants(room_join=True, room=room))
        .to_jwt()
    )
    url = SERVER.url.replace("http", "ws", 1) + "/rtc?" + urlencode({"access_token": token, "protocol": "16"})
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url) as ws:
            alice = SignalConnection(ws)
            join = (await alice.heard(lambda m: m.HasField("join"))).join
            assert (join.room.name, join.participant.identity) == (room, "alice")

            listed = await eventually(
                lambda: lkapi.room.list_participants(api.ListParticipantsRequest(room=room)),
                lambda r: len(r.participants) == 1,
            )
            [participant] = listed.participants
            assert (participant.identity, participant.name, participant.metadata, participant.state) == (
                "alice",
                "alice name",
                "hello",
                models.ParticipantInfo.JOINED,
            )
            assert participant.sid == join.participant.sid and participant.sid.startswith("PA_")

            updated = await lkapi.room.update_participant(
                api.UpdateParticipantRequest(room=room, identity="alice", metadata="changed")
            )
            assert updated.metadata == "changed"
            await alice.heard(
                lambda m: m.HasField("update") and any(p.identity == "alice" and p.metadata == "changed" for p in m.update.participants)
            )

            await lkapi.room.remove_participant(api.RoomParticipantIdentity(room=room, identity="alice"))
            leave = (await alice.heard(lambda m: m.HasField("leave"))).leave
            assert leave.reason == models.DisconnectReason.PARTICIPANT_REMOVED
            await asyncio.wait_for(alice.reader, timeout=10)
            assert ws.close_code == 1000
    after = await eventually(
        lambda: lkapi.room.list_participants(api.ListParticipantsRequest(room=room)),
        lambda r: len(r.participants) == 0,
    )
    assert list(after.participants) == []
    await lkapi.room.delete_room(api.DeleteRoomRequest(room=room))

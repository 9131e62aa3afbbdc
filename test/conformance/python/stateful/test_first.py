"""The first test of docs/stateful.md, run as shown against ``livekit-test-server --stateful`` and
the real LiveKit server (LIVEKIT_URL, e.g. http://localhost:7880)."""

import os

from livekit import api


async def test_a_created_room_is_listed_and_has_no_participants() -> None:
    async with api.LiveKitAPI(os.environ["LIVEKIT_URL"], "devkey", "secret") as lkapi:
        room = await lkapi.room.create_room(api.CreateRoomRequest(name="first-test", metadata="hello"))
        listed = await lkapi.room.list_rooms(api.ListRoomsRequest(names=["first-test"]))
        assert [(r.sid, r.metadata) for r in listed.rooms] == [(room.sid, "hello")]
        participants = await lkapi.room.list_participants(api.ListParticipantsRequest(room="first-test"))
        assert list(participants.participants) == []
        await lkapi.room.delete_room(api.DeleteRoomRequest(room="first-test"))

"""Egress through livekit-api in stateful mode, as an application's test suite uses it.

The real LiveKit server starts no egress without an egress worker (it answers 503 after about
23 s); ours simulates one. So the life of an egress runs against ours only, and what the real
server answers without a worker (a missing egress, a missing room, a list of nothing) against
both::

    LK_TEST_SERVER_URL=http://127.0.0.1:7880 test/conformance/python/run.sh stateful
"""

from __future__ import annotations

import pytest
from livekit import api

from stateful_support import eventually, twirp_error, unique_room
from support import SERVER

ours_only = pytest.mark.skipif(
    SERVER.target != "ours", reason="the real LiveKit server starts no egress without an egress worker"
)


async def egress_reaches(lkapi: api.LiveKitAPI, egress_id: str, status: int) -> api.EgressInfo:
    listed = await eventually(
        lambda: lkapi.egress.list_egress(api.ListEgressRequest(egress_id=egress_id)),
        lambda r: r.items[0].status == status,
    )
    return listed.items[0]


@ours_only
async def test_start_list_update_stop_list(lkapi: api.LiveKitAPI) -> None:
    room = unique_room("egress")
    await lkapi.room.create_room(api.CreateRoomRequest(name=room))
    started = await lkapi.egress.start_room_composite_egress(
        api.RoomCompositeEgressRequest(
            room_name=room,
            layout="grid",
            file_outputs=[api.EncodedFileOutput(filepath="py/{room_name}.mp4")],
            stream_outputs=[api.StreamOutput(urls=["rtmp://live.example.com/app/first-key"])],
        )
    )
    assert started.egress_id.startswith("EG_")
    assert (started.status, started.room_name) == (api.EgressStatus.EGRESS_STARTING, room)
    assert started.file_results[0].filename == f"py/{room}.mp4"
    listed = await lkapi.egress.list_egress(api.ListEgressRequest(room_name=room, active=True))
    assert [info.egress_id for info in listed.items] == [started.egress_id]

    await egress_reaches(lkapi, started.egress_id, api.EgressStatus.EGRESS_ACTIVE)
    await lkapi.egress.update_layout(api.UpdateLayoutRequest(egress_id=started.egress_id, layout="speaker"))
    recorder = await lkapi.room.get_participant(api.RoomParticipantIdentity(room=room, identity=started.egress_id))
    assert recorder.metadata == '{"layout":"speaker"}'
    updated = await lkapi.egress.update_stream(
        api.UpdateStreamRequest(
            egress_id=started.egress_id,
            add_output_urls=["rtmp://live.example.com/app/second-key"],
            remove_output_urls=["rtmp://live.example.com/app/first-key"],
        )
    )
    assert [(s.url, s.status) for s in updated.stream_results] == [
        ("rtmp://live.example.com/app/{fir...key}", api.StreamInfo.FINISHED),
        ("rtmp://live.example.com/app/{sec...key}", api.StreamInfo.ACTIVE),
    ]

    stopped = await lkapi.egress.stop_egress(api.StopEgressRequest(egress_id=started.egress_id))
    assert (stopped.status, stopped.details) == (api.EgressStatus.EGRESS_ENDING, "End reason: StopEgress API")
    done = await egress_reaches(lkapi, started.egress_id, api.EgressStatus.EGRESS_COMPLETE)
    assert done.status == api.EgressStatus.EGRESS_COMPLETE
    assert done.file_results[0].location == f"py/{room}.mp4"
    assert list((await lkapi.egress.list_egress(api.ListEgressRequest(room_name=room, active=True))).items) == []
    error = await twirp_error(lkapi.egress.stop_egress(api.StopEgressRequest(egress_id=started.egress_id)))
    assert (error.status, error.code, error.message) == (412, "failed_precondition", "egress with status EGRESS_COMPLETE cannot be stopped")
    await lkapi.room.delete_room(api.DeleteRoomRequest(room=room))


async def test_what_a_missing_egress_or_room_answers(lkapi: api.LiveKitAPI) -> None:
    room = unique_room("egress-none")
    assert list((await lkapi.egress.list_egress(api.ListEgressRequest(room_name=room))).items) == []
    missing = "EG_missing"
    for call in (
        lkapi.egress.list_egress(api.ListEgressRequest(egress_id=missing)),
        lkapi.egress.update_layout(api.UpdateLayoutRequest(egress_id=missing, layout="grid")),
        lkapi.egress.stop_egress(api.StopEgressRequest(egress_id=missing)),
    ):
        error = await twirp_error(call)
        assert (error.status, error.code, error.message) == (404, "not_found", "twirp error unknown: egress does not exist")
    error = await twirp_error(
        lkapi.egress.start_participant_egress(
            api.ParticipantEgressRequest(room_name=room, identity="alice", file_outputs=[api.EncodedFileOutput(filepath="x.mp4")])
        )
    )
    assert (error.status, error.code, error.message) == (404, "not_found", "twirp error unknown: requested room does not exist")

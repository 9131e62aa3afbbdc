"""Every EgressService method of LiveKitAPI, with the SDK's auto-signed tokens."""

import pytest
from livekit import api

from support import assert_proto_equal


def egress_info(**echo: str) -> api.EgressInfo:
    """EgressInfo as populated for any request: placeholders for egress_id and
    room_id, one element in each top-level result list, plus the echoes.

    StreamInfo has an id-like `id` field (protocol >= 1.53), so its one element
    carries the MOCK_ID placeholder; the other result elements have none."""
    fields = dict(egress_id="MOCK_EGRESS_ID", room_id="MOCK_ROOM_ID")
    fields.update(echo)
    return api.EgressInfo(
        **fields,
        stream_results=[api.StreamInfo(id="MOCK_ID")],
        file_results=[api.FileInfo()],
        segment_results=[api.SegmentsInfo()],
        image_results=[api.ImagesInfo()],
    )


def mp4(path: str = "out.mp4") -> api.EncodedFileOutput:
    return api.EncodedFileOutput(filepath=path)


START_CALLS = [
    pytest.param(
        "start_room_composite_egress",
        api.RoomCompositeEgressRequest(
            room_name="my-room", layout="speaker", audio_only=True, file_outputs=[mp4()]
        ),
        egress_info(room_name="my-room"),
        id="start_room_composite_egress",
    ),
    pytest.param(
        # WebEgressRequest has no room_name, so there is nothing to echo.
        "start_web_egress",
        api.WebEgressRequest(url="http://127.0.0.1/page", video_only=True, file_outputs=[mp4()]),
        egress_info(),
        id="start_web_egress",
    ),
    pytest.param(
        "start_participant_egress",
        api.ParticipantEgressRequest(
            room_name="my-room", identity="alice", screen_share=True, file_outputs=[mp4()]
        ),
        egress_info(room_name="my-room"),
        id="start_participant_egress",
    ),
    pytest.param(
        "start_track_composite_egress",
        api.TrackCompositeEgressRequest(
            room_name="my-room",
            audio_track_id="TR_audio",
            video_track_id="TR_video",
            file_outputs=[mp4()],
        ),
        egress_info(room_name="my-room"),
        id="start_track_composite_egress",
    ),
    pytest.param(
        "start_track_egress",
        api.TrackEgressRequest(
            room_name="my-room", track_id="TR_1", websocket_url="ws://127.0.0.1/ws"
        ),
        egress_info(room_name="my-room"),
        id="start_track_egress",
    ),
    pytest.param(
        "start_egress",
        api.StartEgressRequest(room_name="my-room"),
        egress_info(room_name="my-room"),
        id="start_egress",
    ),
]


@pytest.mark.parametrize("method, request_, expected", START_CALLS)
async def test_start_methods_return_placeholder_ids_and_echo_the_room_name(
    lkapi, method, request_, expected
):
    info = await getattr(lkapi.egress, method)(request_)
    assert_proto_equal(info, expected)


async def test_update_layout_echoes_the_egress_id(lkapi):
    info = await lkapi.egress.update_layout(
        api.UpdateLayoutRequest(egress_id="EG_1", layout="grid")
    )
    assert_proto_equal(info, egress_info(egress_id="EG_1"))


async def test_update_stream_echoes_the_egress_id(lkapi):
    info = await lkapi.egress.update_stream(
        api.UpdateStreamRequest(egress_id="EG_1", add_output_urls=["rtmp://127.0.0.1/live"])
    )
    assert_proto_equal(info, egress_info(egress_id="EG_1"))


async def test_stop_egress_echoes_the_egress_id(lkapi):
    info = await lkapi.egress.stop_egress(api.StopEgressRequest(egress_id="EG_1"))
    assert_proto_equal(info, egress_info(egress_id="EG_1"))


async def test_list_egress_returns_one_item_with_only_placeholders(lkapi):
    # List elements are populated without the request and without nested lists.
    resp = await lkapi.egress.list_egress(
        api.ListEgressRequest(room_name="my-room", egress_id="EG_1", active=True)
    )
    assert_proto_equal(
        resp,
        api.ListEgressResponse(
            items=[api.EgressInfo(egress_id="MOCK_EGRESS_ID", room_id="MOCK_ROOM_ID")]
        ),
    )

"""Ingress through livekit-api in stateful mode, as an application's test suite uses it: the same
tests run against ours (``livekit-test-server --stateful``) and the real LiveKit server::

    LK_TEST_SERVER_URL=http://127.0.0.1:7880 test/conformance/python/run.sh stateful
"""

from __future__ import annotations

from livekit import api

from stateful_support import twirp_error, unique_room


async def test_create_list_update_delete_list(lkapi: api.LiveKitAPI) -> None:
    room = unique_room("ingress")
    moved = unique_room("ingress-moved")
    created = await lkapi.ingress.create_ingress(
        api.CreateIngressRequest(input_type=api.IngressInput.RTMP_INPUT, name="py-cam", room_name=room, participant_identity="cam")
    )
    assert created.ingress_id.startswith("IN_")
    assert (len(created.stream_key), created.url, created.reusable, created.enable_transcoding) == (12, "", True, True)
    assert created.state.status == api.IngressState.ENDPOINT_INACTIVE
    listed = await lkapi.ingress.list_ingress(api.ListIngressRequest(room_name=room))
    assert [info.ingress_id for info in listed.items] == [created.ingress_id]

    updated = await lkapi.ingress.update_ingress(api.UpdateIngressRequest(ingress_id=created.ingress_id, name="py-cam-2", room_name=moved))
    assert (updated.name, updated.room_name, updated.stream_key) == ("py-cam-2", moved, created.stream_key)
    assert list((await lkapi.ingress.list_ingress(api.ListIngressRequest(room_name=room))).items) == []
    by_id = await lkapi.ingress.list_ingress(api.ListIngressRequest(ingress_id=created.ingress_id))
    assert [info.room_name for info in by_id.items] == [moved]

    deleted = await lkapi.ingress.delete_ingress(api.DeleteIngressRequest(ingress_id=created.ingress_id))
    assert (deleted.ingress_id, deleted.name) == (created.ingress_id, "py-cam-2")
    assert list((await lkapi.ingress.list_ingress(api.ListIngressRequest(room_name=moved))).items) == []


async def test_each_error_as_the_real_server_answers_it(lkapi: api.LiveKitAPI) -> None:
    room = unique_room("ingress-errors")
    created = await lkapi.ingress.create_ingress(
        api.CreateIngressRequest(input_type=api.IngressInput.WHIP_INPUT, room_name=room, participant_identity="web")
    )
    await lkapi.ingress.delete_ingress(api.DeleteIngressRequest(ingress_id=created.ingress_id))
    for call in (
        lkapi.ingress.delete_ingress(api.DeleteIngressRequest(ingress_id=created.ingress_id)),
        lkapi.ingress.update_ingress(api.UpdateIngressRequest(ingress_id=created.ingress_id, name="x")),
        lkapi.ingress.list_ingress(api.ListIngressRequest(ingress_id=created.ingress_id)),
    ):
        error = await twirp_error(call)
        assert (error.status, error.code, error.message) == (404, "not_found", "twirp error unknown: ingress does not exist")

    for request, message in (
        (api.CreateIngressRequest(input_type=api.IngressInput.RTMP_INPUT, room_name=room), "invalid ingress: no participant identity"),
        (
            api.CreateIngressRequest(input_type=api.IngressInput.URL_INPUT, room_name=room, participant_identity="p", url="ftp://x/y"),
            "invalid ingress: invalid url scheme ftp",
        ),
        (
            api.CreateIngressRequest(input_type=api.IngressInput.URL_INPUT, participant_identity="p", url="https://x/y"),
            "invalid ingress: no room name",
        ),
        (
            api.CreateIngressRequest(
                input_type=api.IngressInput.RTMP_INPUT, room_name=room, participant_identity="p", enable_transcoding=False
            ),
            "invalid transcoding bypass configuration: bypassing transcoding impossible with selected input type",
        ),
    ):
        error = await twirp_error(lkapi.ingress.create_ingress(request))
        assert (error.status, error.code, error.message) == (400, "invalid_argument", f"twirp error unknown: {message}")
    assert list((await lkapi.ingress.list_ingress(api.ListIngressRequest(room_name=room))).items) == []

"""Every IngressService method of LiveKitAPI, with the SDK's auto-signed tokens."""

from livekit import api

from support import assert_proto_equal


async def test_create_ingress_echoes_scalars_but_not_the_input_type_enum(lkapi):
    info = await lkapi.ingress.create_ingress(
        api.CreateIngressRequest(
            input_type=api.IngressInput.RTMP_INPUT,
            name="my-ingress",
            room_name="my-room",
            participant_identity="streamer",
            participant_name="Streamer",
            participant_metadata="pm",
            enable_transcoding=True,
            enabled=False,
        )
    )
    assert_proto_equal(
        info,
        api.IngressInfo(
            ingress_id="MOCK_INGRESS_ID",
            name="my-ingress",
            room_name="my-room",
            participant_identity="streamer",
            participant_name="Streamer",
            participant_metadata="pm",
            enable_transcoding=True,
            enabled=False,
        ),
    )
    # `enabled` is optional in both messages, so an explicit false is echoed.
    assert info.HasField("enabled") and info.enabled is False
    assert info.input_type == api.IngressInput.RTMP_INPUT  # enum 0: never echoed


async def test_update_ingress_echoes_the_ingress_id_and_set_fields(lkapi):
    info = await lkapi.ingress.update_ingress(
        api.UpdateIngressRequest(
            ingress_id="IN_1",
            name="renamed",
            room_name="other-room",
            bypass_transcoding=True,
            enabled=True,
        )
    )
    assert_proto_equal(
        info,
        api.IngressInfo(
            ingress_id="IN_1",
            name="renamed",
            room_name="other-room",
            bypass_transcoding=True,
            enabled=True,
        ),
    )


async def test_list_ingress_returns_one_item_with_a_placeholder_id(lkapi):
    resp = await lkapi.ingress.list_ingress(api.ListIngressRequest(room_name="my-room"))
    assert_proto_equal(
        resp, api.ListIngressResponse(items=[api.IngressInfo(ingress_id="MOCK_INGRESS_ID")])
    )


async def test_delete_ingress_echoes_the_ingress_id(lkapi):
    info = await lkapi.ingress.delete_ingress(api.DeleteIngressRequest(ingress_id="IN_1"))
    assert_proto_equal(info, api.IngressInfo(ingress_id="IN_1"))

"""What the SDK puts on the wire, and a guard that the suite covers its whole surface."""

import inspect

import aiohttp
import pytest
from livekit import api
from livekit.api import (
    agent_dispatch_service,
    egress_service,
    ingress_service,
    room_service,
    sip_service,
)

from support import connect


async def test_the_sdk_speaks_binary_protobuf_and_the_server_mirrors_it():
    seen: list[tuple[str, str, str]] = []

    async def on_request_end(session, ctx, params):
        seen.append(
            (
                params.headers.get("Content-Type", ""),
                params.response.headers.get("Content-Type", ""),
                params.response.headers.get("X-Lk-Mock-Region", "<absent>"),
            )
        )

    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(on_request_end)
    async with connect(trace_configs=[trace]) as lk:
        await lk.room.list_rooms(api.ListRoomsRequest())
        with pytest.raises(api.TwirpError):
            await lk.room._client.request(
                "RoomService", "ListRooms", api.ListRoomsRequest(), {}, api.ListRoomsResponse
            )
    assert seen == [
        ("application/protobuf", "application/protobuf", "0"),
        # Errors are always Twirp JSON, with the region header present but empty.
        ("application/protobuf", "application/json", ""),
    ]


# Public service methods this suite calls, per LiveKitAPI service. If a new SDK
# version adds a method, this fails until the suite covers it.
COVERED = {
    room_service.RoomService: {
        "create_room", "list_rooms", "delete_room", "update_room_metadata",
        "list_participants", "get_participant", "remove_participant",
        "forward_participant", "move_participant", "mute_published_track",
        "update_participant", "update_subscriptions", "send_data",
    },
    egress_service.EgressService: {
        "start_room_composite_egress", "start_web_egress", "start_participant_egress",
        "start_track_composite_egress", "start_track_egress", "start_egress",
        "update_layout", "update_stream", "list_egress", "stop_egress",
    },
    ingress_service.IngressService: {
        "create_ingress", "update_ingress", "list_ingress", "delete_ingress",
    },
    sip_service.SipService: {
        "create_inbound_trunk", "create_sip_inbound_trunk",
        "update_inbound_trunk", "update_sip_inbound_trunk",
        "update_inbound_trunk_fields", "update_sip_inbound_trunk_fields",
        "list_inbound_trunk", "list_sip_inbound_trunk",
        "create_outbound_trunk", "create_sip_outbound_trunk",
        "update_outbound_trunk", "update_sip_outbound_trunk",
        "update_outbound_trunk_fields", "update_sip_outbound_trunk_fields",
        "list_outbound_trunk", "list_sip_outbound_trunk",
        "delete_trunk", "delete_sip_trunk",
        "create_dispatch_rule", "create_sip_dispatch_rule",
        "update_dispatch_rule", "update_sip_dispatch_rule",
        "update_dispatch_rule_fields", "update_sip_dispatch_rule_fields",
        "list_dispatch_rule", "list_sip_dispatch_rule",
        "delete_dispatch_rule", "delete_sip_dispatch_rule",
        "create_sip_participant", "transfer_sip_participant",
    },
    agent_dispatch_service.AgentDispatchService: {
        "create_dispatch", "delete_dispatch", "list_dispatch", "get_dispatch",
    },
}


@pytest.mark.parametrize("service", list(COVERED), ids=lambda s: s.__name__)
def test_the_suite_covers_every_public_method_of_the_service(service):
    public = {
        name
        for name, _ in inspect.getmembers(service, inspect.iscoroutinefunction)
        if not name.startswith("_")
    }
    assert public == COVERED[service]

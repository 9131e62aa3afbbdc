"""The X-Lk-Mock control header (REFERENCE §4), sent through the SDK's request layer.

`connect(mock=...)` gives the SDK an aiohttp session whose default headers carry
X-Lk-Mock, so the SDK's own calls (and its region discovery) send it."""

import base64
import time

import aiohttp
import pytest
from livekit import api
from livekit.api.twirp_client import TwirpClient

from support import SERVER, assert_proto_equal, connect

SIP_DIAL = api.CreateSIPParticipantRequest(
    sip_trunk_id="ST_abc",
    sip_call_to="+15551234567",
    room_name="call-room",
    participant_identity="caller",
    wait_until_answered=True,
)
SIP_DIAL_REPLY = api.SIPParticipantInfo(
    participant_id="MOCK_PARTICIPANT_ID",
    participant_identity="caller",
    room_name="call-room",
    sip_call_id="MOCK_SIP_CALL_ID",
)


def dial() -> api.CreateSIPParticipantRequest:
    request = api.CreateSIPParticipantRequest()
    request.CopyFrom(SIP_DIAL)
    return request


# --- failRegions ---------------------------------------------------------------------


async def test_a_failed_region_answers_unavailable_503():
    async with connect(mock={"failRegions": [0]}) as lk:
        with pytest.raises(api.TwirpError) as exc:
            await lk.room.list_rooms(api.ListRoomsRequest())
    err = exc.value
    assert (err.code, err.status, err.message) == (
        "unavailable",
        503,
        "mock failure (status 503)",
    )


@pytest.mark.parametrize(
    "fail, code, status",
    [
        pytest.param({"failTwirpCode": "already_exists", "failStatus": 409},
                     "already_exists", 409, id="code-and-status"),
        pytest.param({"failTwirpCode": "not_found"}, "not_found", 503, id="code-only"),
        pytest.param({"failStatus": 429}, "resource_exhausted", 429, id="status-only"),
        pytest.param({"failStatus": 412}, "internal", 412, id="status-without-derived-code"),
    ],
)
async def test_fail_twirp_code_and_status_shape_the_failure(fail, code, status):
    async with connect(mock={"failRegions": [0], **fail}) as lk:
        with pytest.raises(api.TwirpError) as exc:
            await lk.egress.list_egress(api.ListEgressRequest())
    err = exc.value
    assert (err.code, err.status, err.message) == (code, status, f"mock failure (status {status})")


async def test_only_the_listed_regions_fail():
    async with connect(mock={"failRegions": [1, 2, 3]}) as lk:
        rooms = await lk.room.list_rooms(api.ListRoomsRequest())
    assert_proto_equal(rooms, api.ListRoomsResponse(rooms=[api.Room(sid="MOCK_SID")]))


async def test_sdk_region_failover_moves_past_a_failed_region():
    # The SDK fails over only for LiveKit Cloud hosts; its internal test knob
    # `_failover_force` turns it on for a loopback server. Region discovery goes
    # to /settings/regions, which failRegions does not affect.
    answered_by: list[str] = []

    async def on_request_end(session, ctx, params):
        if "/twirp/" in str(params.url):
            answered_by.append(params.response.headers.get("X-Lk-Mock-Region", "<absent>"))

    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(on_request_end)
    async with connect(mock={"failRegions": [0]}, trace_configs=[trace]) as lk:
        client = TwirpClient(
            lk._session, SERVER.url, "livekit", _failover_force=True, _failover_backoff=0.01
        )
        rooms = await client.request(
            "RoomService",
            "ListRooms",
            api.ListRoomsRequest(),
            lk.room._auth_header(api.VideoGrants(room_list=True)),
            api.ListRoomsResponse,
        )
    assert_proto_equal(rooms, api.ListRoomsResponse(rooms=[api.Room(sid="MOCK_SID")]))
    # Region 0 failed (its error carries an empty region header); a later one answered.
    assert answered_by[0] == "" and answered_by[-1] not in ("", "0"), answered_by


# --- pinnedRegions -------------------------------------------------------------------


async def test_a_region_outside_pinned_regions_answers_451():
    async with connect(mock={"pinnedRegions": ["region-1"]}) as lk:
        with pytest.raises(api.TwirpError) as exc:
            await lk.room.list_rooms(api.ListRoomsRequest())
    # The 451 body is plain text, not Twirp JSON: the SDK falls back to code "unknown".
    assert (exc.value.code, exc.value.status) == ("unknown", 451)


async def test_a_pinned_region_serves_normally():
    async with connect(mock={"pinnedRegions": ["region-0"]}) as lk:
        rooms = await lk.room.list_rooms(api.ListRoomsRequest())
    assert_proto_equal(rooms, api.ListRoomsResponse(rooms=[api.Room(sid="MOCK_SID")]))


# --- response override ---------------------------------------------------------------


async def test_a_response_override_replaces_the_populated_reply():
    override = {
        "rooms": [
            {"sid": "RM_override", "name": "from-override", "numParticipants": 3},
            {"sid": "RM_second", "empty_timeout": 60},
        ]
    }
    async with connect(mock={"response": override}) as lk:
        rooms = await lk.room.list_rooms(api.ListRoomsRequest())
    assert_proto_equal(
        rooms,
        api.ListRoomsResponse(
            rooms=[
                api.Room(sid="RM_override", name="from-override", num_participants=3),
                api.Room(sid="RM_second", empty_timeout=60),
            ]
        ),
    )


async def test_a_response_override_is_not_merged_with_the_request_echo():
    async with connect(mock={"response": {"sid": "RM_custom"}}) as lk:
        room = await lk.room.create_room(api.CreateRoomRequest(name="ignored", empty_timeout=5))
    # No echo of name/empty_timeout and no enabled_codecs element: no populate at all.
    assert_proto_equal(room, api.Room(sid="RM_custom"))


async def test_an_undecodable_response_override_is_refused_by_ours_and_ignored_by_the_original():
    async with connect(mock={"response": "not an object"}) as lk:
        if SERVER.is_ours:
            # Intended difference: a silently ignored override would hide a broken test.
            with pytest.raises(api.TwirpError) as exc:
                await lk.room.create_room(api.CreateRoomRequest(name="my-room"))
            assert (exc.value.code, exc.value.status) == ("invalid_argument", 400)
            assert exc.value.message.startswith("mock: invalid control: response")
            return
        room = await lk.room.create_room(api.CreateRoomRequest(name="my-room"))
    assert_proto_equal(
        room, api.Room(sid="MOCK_SID", name="my-room", enabled_codecs=[api.Codec()])
    )


async def test_an_unknown_field_in_a_response_override_is_refused_by_ours_and_dropped_by_the_original():
    override = {"rooms": [{"sid": "RM_x", "nmae": "typo"}]}
    async with connect(mock={"response": override}) as lk:
        if SERVER.is_ours:
            # Intended difference: the typo would otherwise pass as a room without a name.
            with pytest.raises(api.TwirpError) as exc:
                await lk.room.list_rooms(api.ListRoomsRequest())
            assert (exc.value.code, exc.value.status) == ("invalid_argument", 400)
            assert exc.value.message == (
                'mock: invalid control: unknown field "nmae" in response.rooms[0] '
                '(protojson livekit.Room) (did you mean "name"?)'
            )
            return
        rooms = await lk.room.list_rooms(api.ListRoomsRequest())
    assert_proto_equal(rooms, api.ListRoomsResponse(rooms=[api.Room(sid="RM_x")]))


# --- sipStatus -----------------------------------------------------------------------


# Ours answers SIP statuses exactly as the reference documents the original (mid-2026): 486
# maps to resource_exhausted and msg carries xtwirp's "twirp error unknown: " prefix. The newest
# original on the Go proxy (livekit-server v1.13.11, protocol v1.53.1) maps 486 to
# failed_precondition and drops the prefix; that is a listed intended difference.
SIP_MSG_PREFIX = "twirp error unknown: " if SERVER.is_ours else ""


async def test_sip_status_486_fails_the_dial_as_busy():
    async with connect(mock={"sipStatus": {"code": 486, "status": "Busy Here"}, "delayMs": 0}) as lk:
        with pytest.raises(api.SipCallError) as exc:
            await lk.sip.create_sip_participant(dial())
    err = exc.value
    assert isinstance(err, api.TwirpError)
    if SERVER.is_ours:
        assert (err.code, err.status) == ("resource_exhausted", 429)
        grpc_code, details_b64 = b"\x08\x08", "CAgSGXNpcCBzdGF0dXMgNDg2OiBCdXN5IEhlcmUaNwoldHlwZS5nb29nbGVhcGlzLmNvbS9saXZla2l0LlNJUFN0YXR1cxIOCOYDEglCdXN5IEhlcmU="
    else:
        assert (err.code, err.status) == ("failed_precondition", 412)
        grpc_code, details_b64 = b"\x08\x09", "CAkSGXNpcCBzdGF0dXMgNDg2OiBCdXN5IEhlcmUaNwoldHlwZS5nb29nbGVhcGlzLmNvbS9saXZla2l0LlNJUFN0YXR1cxIOCOYDEglCdXN5IEhlcmU="
    assert err.message == SIP_MSG_PREFIX + "sip status: 486: Busy Here"
    assert (err.sip_status_code, err.sip_status) == (486, "Busy Here")
    assert err.metadata == {
        "sip_status_code": "486",
        "sip_status": "Busy Here",
        "error_details": details_b64,
    }
    # error_details is a google.rpc.Status (field 1: the gRPC code) wrapping a livekit.SIPStatus.
    details = base64.b64decode(err.metadata["error_details"])
    assert details[:2] == grpc_code
    assert b"type.googleapis.com/livekit.SIPStatus" in details


async def test_sip_status_without_text_uses_the_enum_name():
    async with connect(mock={"sipStatus": {"code": 603}, "delayMs": 0}) as lk:
        with pytest.raises(api.SipCallError) as exc:
            await lk.sip.create_sip_participant(dial())
    err = exc.value
    assert (err.code, err.status) == ("permission_denied", 403)
    assert err.message == SIP_MSG_PREFIX + "sip status: 603 (GLOBAL_DECLINE)"
    assert err.metadata == {
        "sip_status_code": "603",
        "sip_status": "SIP_STATUS_GLOBAL_DECLINE",
        "error_details": "CAcSHnNpcCBzdGF0dXMgNjAzOiBHTE9CQUxfREVDTElORRosCiV0eXBlLmdvb2dsZWFwaXMuY29tL2xpdmVraXQuU0lQU3RhdHVzEgMI2wQ=",
    }


async def test_sip_status_also_fails_a_transfer():
    async with connect(mock={"sipStatus": {"code": 600, "status": "Busy Everywhere"}, "delayMs": 0}) as lk:
        with pytest.raises(api.SipCallError) as exc:
            await lk.sip.transfer_sip_participant(
                api.TransferSIPParticipantRequest(
                    room_name="call-room", participant_identity="caller", transfer_to="tel:+1555"
                )
            )
    err = exc.value
    assert (err.code, err.status) == ("resource_exhausted", 429)
    assert err.message == SIP_MSG_PREFIX + "sip status: 600: Busy Everywhere"
    assert (err.sip_status_code, err.sip_status) == (600, "Busy Everywhere")


async def test_sip_status_does_not_affect_other_methods():
    async with connect(mock={"sipStatus": {"code": 486}}) as lk:
        rooms = await lk.room.list_rooms(api.ListRoomsRequest())
    assert_proto_equal(rooms, api.ListRoomsResponse(rooms=[api.Room(sid="MOCK_SID")]))


# --- delayMs and natural latency -----------------------------------------------------


async def test_delay_ms_zero_overrides_the_natural_latency_of_a_sip_dial():
    async with connect(mock={"delayMs": 0}) as lk:
        started = time.monotonic()
        info = await lk.sip.create_sip_participant(dial())
        elapsed = time.monotonic() - started
    assert_proto_equal(info, SIP_DIAL_REPLY)
    assert elapsed < 3, f"took {elapsed:.1f}s; the 11 s natural latency was not overridden"


async def test_a_sip_dial_that_waits_for_an_answer_blocks_by_default(lkapi):
    # The natural latency is 11 s; prove the server is still holding the call at 1 s
    # rather than waiting it out.
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        await lkapi.sip._client.request(
            "SIP",
            "CreateSIPParticipant",
            dial(),
            lkapi.sip._auth_header(api.VideoGrants(), sip=api.SIPGrants(call=True)),
            api.SIPParticipantInfo,
            timeout=aiohttp.ClientTimeout(total=1),
        )
    assert time.monotonic() - started < 3


async def test_delay_ms_delays_an_ordinary_call():
    async with connect(mock={"delayMs": 400}) as lk:
        started = time.monotonic()
        await lk.room.list_rooms(api.ListRoomsRequest())
        elapsed = time.monotonic() - started
    assert 0.4 <= elapsed < 3, f"took {elapsed:.2f}s"


# --- skipAuth ------------------------------------------------------------------------


async def test_skip_auth_accepts_a_token_signed_with_the_wrong_secret():
    async with connect(mock={"skipAuth": True}, api_secret="not-the-secret") as lk:
        rooms = await lk.room.list_rooms(api.ListRoomsRequest())
    assert_proto_equal(rooms, api.ListRoomsResponse(rooms=[api.Room(sid="MOCK_SID")]))

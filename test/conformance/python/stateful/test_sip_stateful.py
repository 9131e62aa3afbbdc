"""SIP through livekit-api in stateful mode, as an application's test suite uses it.

devkey / secret, no control header, one world that every call shares: the same tests run against
ours started with ``livekit-test-server --stateful --ports <port>`` and against the real LiveKit
server (LK_TEST_SERVER_TARGET=ours|real), with the same expectations but for what a SIP worker
does: the real server has none and answers 503, ours simulates one::

    LK_TEST_SERVER_URL=http://127.0.0.1:7880 test/conformance/python/run.sh stateful
"""

from __future__ import annotations

import random
import uuid
from typing import Awaitable

from livekit import api
from livekit.protocol import models

from stateful_support import twirp_error, unique_room
from support import SERVER


async def failure(call: Awaitable[object]) -> tuple[int, str, str]:
    """The status, code and message of the Twirp error ``call`` ends with."""
    error = await twirp_error(call)
    return error.status, error.code, error.message


NO_WORKER = (503, "unavailable", "twirp error unknown: no response from servers")


def unique_number() -> str:
    """A phone number no other test or run uses: the world outlives a test."""
    return f"+1555{random.randrange(10_000_000):07d}"


def own_trunk_id() -> str:
    """An id-shaped trunk id that names no trunk, so that a test's dispatch rules meet no others."""
    return f"ST_{uuid.uuid4().hex[:12]}"


async def test_trunks_create_list_update_delete_list(lkapi: api.LiveKitAPI) -> None:
    number, other = unique_number(), unique_number()
    created = await lkapi.sip.create_inbound_trunk(
        api.CreateSIPInboundTrunkRequest(trunk=api.SIPInboundTrunkInfo(name="inbound", numbers=[number], metadata="one"))
    )
    assert created.sip_trunk_id.startswith("ST_")
    assert (created.name, list(created.numbers), created.metadata) == ("inbound", [number], "one")
    assert await failure(
        lkapi.sip.create_inbound_trunk(api.CreateSIPInboundTrunkRequest(trunk=api.SIPInboundTrunkInfo(name="again", numbers=[number])))
    ) == (
        400,
        "invalid_argument",
        f'Conflicting inbound SIP Trunks: "<new>" and "{created.sip_trunk_id}", using the same number(s) ["{number}"] without AllowedNumbers set',
    )
    updated = await lkapi.sip.update_inbound_trunk_fields(
        created.sip_trunk_id, name="renamed", numbers=models.ListUpdate(add=[other])
    )
    assert (updated.name, list(updated.numbers)) == ("renamed", [number, other])
    listed = await lkapi.sip.list_inbound_trunk(api.ListSIPInboundTrunkRequest(numbers=[other]))
    assert [t.sip_trunk_id for t in listed.items] == [created.sip_trunk_id]

    outbound = await lkapi.sip.create_outbound_trunk(
        api.CreateSIPOutboundTrunkRequest(trunk=api.SIPOutboundTrunkInfo(name="outbound", address="sip.example.com", numbers=[number]))
    )
    replaced = await lkapi.sip.update_outbound_trunk(
        outbound.sip_trunk_id, api.SIPOutboundTrunkInfo(name="replaced", address="other.example.com", numbers=[other])
    )
    assert (replaced.sip_trunk_id, replaced.address) == (outbound.sip_trunk_id, "other.example.com")
    assert await failure(
        lkapi.sip.create_outbound_trunk(api.CreateSIPOutboundTrunkRequest(trunk=api.SIPOutboundTrunkInfo(name="x", numbers=[number])))
    ) == (400, "invalid_argument", "no outbound address specified")

    for trunk_id in (created.sip_trunk_id, outbound.sip_trunk_id):
        await lkapi.sip.delete_trunk(api.DeleteSIPTrunkRequest(sip_trunk_id=trunk_id))
    gone = await lkapi.sip.list_inbound_trunk(api.ListSIPInboundTrunkRequest(trunk_ids=[created.sip_trunk_id]))
    assert list(gone.items) == []
    assert await failure(lkapi.sip.update_inbound_trunk_fields(created.sip_trunk_id, name="x")) == (
        404,
        "not_found",
        "requested sip trunk does not exist",
    )


async def test_dispatch_rules_create_list_update_delete_list(lkapi: api.LiveKitAPI) -> None:
    trunks = [own_trunk_id()]

    def direct(pin: str) -> api.SIPDispatchRule:
        return api.SIPDispatchRule(dispatch_rule_direct=api.SIPDispatchRuleDirect(room_name=unique_room("sip"), pin=pin))

    rule = await lkapi.sip.create_dispatch_rule(
        api.CreateSIPDispatchRuleRequest(dispatch_rule=api.SIPDispatchRuleInfo(name="first", rule=direct("1234"), trunk_ids=trunks))
    )
    assert rule.sip_dispatch_rule_id.startswith("SDR_")
    # A rule sent whole is checked against every stored rule: only this test's trunk keeps it alone.
    assert await failure(
        lkapi.sip.create_dispatch_rule(api.CreateSIPDispatchRuleRequest(rule=direct("1234"), trunk_ids=trunks, name="second"))
    ) == (
        400,
        "invalid_argument",
        f'Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule "{rule.sip_dispatch_rule_id}" "first"',
    )
    updated = await lkapi.sip.update_dispatch_rule_fields(rule.sip_dispatch_rule_id, metadata="changed")
    assert (updated.name, updated.metadata) == ("first", "changed")
    listed = await lkapi.sip.list_dispatch_rule(api.ListSIPDispatchRuleRequest(trunk_ids=trunks))
    assert [r.sip_dispatch_rule_id for r in listed.items] == [rule.sip_dispatch_rule_id]
    await lkapi.sip.delete_dispatch_rule(api.DeleteSIPDispatchRuleRequest(sip_dispatch_rule_id=rule.sip_dispatch_rule_id))
    assert await failure(
        lkapi.sip.delete_dispatch_rule(api.DeleteSIPDispatchRuleRequest(sip_dispatch_rule_id=rule.sip_dispatch_rule_id))
    ) == (404, "not_found", "requested sip dispatch rule does not exist")
    after = await lkapi.sip.list_dispatch_rule(api.ListSIPDispatchRuleRequest(trunk_ids=trunks))
    assert list(after.items) == []


async def test_a_sip_participant_joins_its_room_and_is_transferred_away(lkapi: api.LiveKitAPI) -> None:
    trunk = await lkapi.sip.create_outbound_trunk(
        api.CreateSIPOutboundTrunkRequest(trunk=api.SIPOutboundTrunkInfo(name="calls", address="sip.example.com", numbers=[unique_number()]))
    )
    room = unique_room("call")
    request = api.CreateSIPParticipantRequest(
        sip_trunk_id=trunk.sip_trunk_id, sip_call_to="+15550009999", room_name=room, participant_identity="caller"
    )
    if SERVER.target == "real":
        assert await failure(lkapi.sip.create_sip_participant(request)) == NO_WORKER
    else:
        placed = await lkapi.sip.create_sip_participant(request)
        assert (placed.participant_identity, placed.room_name) == ("caller", room)
        assert placed.sip_call_id.startswith("SCL_")
        participant = await lkapi.room.get_participant(api.RoomParticipantIdentity(room=room, identity="caller"))
        assert (participant.sid, participant.kind, participant.attributes["sip.callID"]) == (
            placed.participant_id,
            models.ParticipantInfo.SIP,
            placed.sip_call_id,
        )
        await lkapi.sip.transfer_sip_participant(
            api.TransferSIPParticipantRequest(room_name=room, participant_identity="caller", transfer_to="tel:+15550001111")
        )
        assert list((await lkapi.room.list_participants(api.ListParticipantsRequest(room=room))).participants) == []
        await lkapi.room.delete_room(api.DeleteRoomRequest(room=room))
    assert await failure(
        lkapi.sip.create_sip_participant(
            api.CreateSIPParticipantRequest(sip_trunk_id="ST_missing12345", sip_call_to="+1", room_name=room)
        )
    ) == (404, "not_found", "requested sip trunk does not exist")
    assert await failure(
        lkapi.sip.create_sip_participant(api.CreateSIPParticipantRequest(sip_trunk_id=trunk.sip_trunk_id, sip_call_to="+1"))
    ) == (400, "invalid_argument", "missing room name")
    await lkapi.sip.delete_trunk(api.DeleteSIPTrunkRequest(sip_trunk_id=trunk.sip_trunk_id))

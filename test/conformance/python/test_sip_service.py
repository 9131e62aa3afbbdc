"""Every SipService method of LiveKitAPI (deprecated aliases included), with the
SDK's auto-signed tokens."""

import pytest
from livekit import api

from support import assert_proto_equal, connect

PLACEHOLDER_TRUNK_ID = "MOCK_SIP_TRUNK_ID"
PLACEHOLDER_RULE_ID = "MOCK_SIP_DISPATCH_RULE_ID"


# --- inbound trunks ------------------------------------------------------------------


def inbound_create_request() -> api.CreateSIPInboundTrunkRequest:
    return api.CreateSIPInboundTrunkRequest(
        trunk=api.SIPInboundTrunkInfo(name="inbound", numbers=["+15550000001"])
    )


async def test_create_inbound_trunk_fills_the_trunk_id_placeholder(lkapi):
    # The request's fields live in a nested message, so nothing is echoed.
    info = await lkapi.sip.create_inbound_trunk(inbound_create_request())
    assert_proto_equal(info, api.SIPInboundTrunkInfo(sip_trunk_id=PLACEHOLDER_TRUNK_ID))

    with pytest.warns(DeprecationWarning):
        info = await lkapi.sip.create_sip_inbound_trunk(inbound_create_request())
    assert_proto_equal(info, api.SIPInboundTrunkInfo(sip_trunk_id=PLACEHOLDER_TRUNK_ID))


async def test_update_inbound_trunk_echoes_the_trunk_id(lkapi):
    expected = api.SIPInboundTrunkInfo(sip_trunk_id="ST_in")
    replacement = api.SIPInboundTrunkInfo(name="renamed")

    assert_proto_equal(await lkapi.sip.update_inbound_trunk("ST_in", replacement), expected)
    assert_proto_equal(
        await lkapi.sip.update_inbound_trunk_fields(
            "ST_in", numbers=["+15550000002"], name="renamed", metadata="md"
        ),
        expected,
    )
    with pytest.warns(DeprecationWarning):
        info = await lkapi.sip.update_sip_inbound_trunk("ST_in", replacement)
    assert_proto_equal(info, expected)
    with pytest.warns(DeprecationWarning):
        info = await lkapi.sip.update_sip_inbound_trunk_fields("ST_in", name="renamed")
    assert_proto_equal(info, expected)


async def test_list_inbound_trunk_returns_one_item_with_a_placeholder_id(lkapi):
    expected = api.ListSIPInboundTrunkResponse(
        items=[api.SIPInboundTrunkInfo(sip_trunk_id=PLACEHOLDER_TRUNK_ID)]
    )
    request = api.ListSIPInboundTrunkRequest(trunk_ids=["ST_in"])
    assert_proto_equal(await lkapi.sip.list_inbound_trunk(request), expected)
    with pytest.warns(DeprecationWarning):
        resp = await lkapi.sip.list_sip_inbound_trunk(request)
    assert_proto_equal(resp, expected)


# --- outbound trunks -----------------------------------------------------------------


def outbound_create_request() -> api.CreateSIPOutboundTrunkRequest:
    return api.CreateSIPOutboundTrunkRequest(
        trunk=api.SIPOutboundTrunkInfo(
            name="outbound", address="127.0.0.1:5060", numbers=["+15550000003"]
        )
    )


async def test_create_outbound_trunk_fills_the_trunk_id_placeholder(lkapi):
    info = await lkapi.sip.create_outbound_trunk(outbound_create_request())
    assert_proto_equal(info, api.SIPOutboundTrunkInfo(sip_trunk_id=PLACEHOLDER_TRUNK_ID))

    with pytest.warns(DeprecationWarning):
        info = await lkapi.sip.create_sip_outbound_trunk(outbound_create_request())
    assert_proto_equal(info, api.SIPOutboundTrunkInfo(sip_trunk_id=PLACEHOLDER_TRUNK_ID))


async def test_update_outbound_trunk_echoes_the_trunk_id(lkapi):
    expected = api.SIPOutboundTrunkInfo(sip_trunk_id="ST_out")
    replacement = api.SIPOutboundTrunkInfo(name="renamed", address="127.0.0.1:5061")

    assert_proto_equal(await lkapi.sip.update_outbound_trunk("ST_out", replacement), expected)
    assert_proto_equal(
        await lkapi.sip.update_outbound_trunk_fields(
            "ST_out", address="127.0.0.1:5062", transport=api.SIP_TRANSPORT_TCP, name="renamed"
        ),
        expected,
    )
    with pytest.warns(DeprecationWarning):
        info = await lkapi.sip.update_sip_outbound_trunk("ST_out", replacement)
    assert_proto_equal(info, expected)
    with pytest.warns(DeprecationWarning):
        info = await lkapi.sip.update_sip_outbound_trunk_fields("ST_out", metadata="md")
    assert_proto_equal(info, expected)


async def test_list_outbound_trunk_returns_one_item_with_a_placeholder_id(lkapi):
    expected = api.ListSIPOutboundTrunkResponse(
        items=[api.SIPOutboundTrunkInfo(sip_trunk_id=PLACEHOLDER_TRUNK_ID)]
    )
    request = api.ListSIPOutboundTrunkRequest()
    assert_proto_equal(await lkapi.sip.list_outbound_trunk(request), expected)
    with pytest.warns(DeprecationWarning):
        resp = await lkapi.sip.list_sip_outbound_trunk(request)
    assert_proto_equal(resp, expected)


async def test_delete_trunk_echoes_the_trunk_id(lkapi):
    expected = api.SIPTrunkInfo(sip_trunk_id="ST_gone")
    request = api.DeleteSIPTrunkRequest(sip_trunk_id="ST_gone")
    assert_proto_equal(await lkapi.sip.delete_trunk(request), expected)
    with pytest.warns(DeprecationWarning):
        info = await lkapi.sip.delete_sip_trunk(request)
    assert_proto_equal(info, expected)


# --- dispatch rules ------------------------------------------------------------------


def individual_rule() -> api.SIPDispatchRule:
    return api.SIPDispatchRule(
        dispatch_rule_individual=api.SIPDispatchRuleIndividual(room_prefix="call-")
    )


async def test_create_dispatch_rule_fills_the_rule_id_placeholder(lkapi):
    modern = api.CreateSIPDispatchRuleRequest(
        dispatch_rule=api.SIPDispatchRuleInfo(rule=individual_rule(), name="rule")
    )
    expected = api.SIPDispatchRuleInfo(sip_dispatch_rule_id=PLACEHOLDER_RULE_ID)
    assert_proto_equal(await lkapi.sip.create_dispatch_rule(modern), expected)
    with pytest.warns(DeprecationWarning):
        info = await lkapi.sip.create_sip_dispatch_rule(modern)
    assert_proto_equal(info, expected)


async def test_create_dispatch_rule_echoes_the_legacy_top_level_fields(lkapi):
    legacy = api.CreateSIPDispatchRuleRequest(
        rule=individual_rule(),
        trunk_ids=["ST_in"],
        hide_phone_number=True,
        name="rule",
        metadata="md",
        room_preset="preset",
    )
    info = await lkapi.sip.create_dispatch_rule(legacy)
    assert_proto_equal(
        info,
        api.SIPDispatchRuleInfo(
            sip_dispatch_rule_id=PLACEHOLDER_RULE_ID,
            hide_phone_number=True,
            name="rule",
            metadata="md",
            room_preset="preset",
        ),
    )


async def test_update_dispatch_rule_echoes_the_rule_id(lkapi):
    expected = api.SIPDispatchRuleInfo(sip_dispatch_rule_id="SDR_1")
    replacement = api.SIPDispatchRuleInfo(rule=individual_rule(), name="renamed")

    assert_proto_equal(await lkapi.sip.update_dispatch_rule("SDR_1", replacement), expected)
    assert_proto_equal(
        await lkapi.sip.update_dispatch_rule_fields(
            "SDR_1", trunk_ids=["ST_in"], name="renamed", attributes={"k": "v"}
        ),
        expected,
    )
    with pytest.warns(DeprecationWarning):
        info = await lkapi.sip.update_sip_dispatch_rule("SDR_1", replacement)
    assert_proto_equal(info, expected)
    with pytest.warns(DeprecationWarning):
        info = await lkapi.sip.update_sip_dispatch_rule_fields("SDR_1", metadata="md")
    assert_proto_equal(info, expected)


async def test_list_dispatch_rule_returns_one_item_with_a_placeholder_id(lkapi):
    expected = api.ListSIPDispatchRuleResponse(
        items=[api.SIPDispatchRuleInfo(sip_dispatch_rule_id=PLACEHOLDER_RULE_ID)]
    )
    request = api.ListSIPDispatchRuleRequest()
    assert_proto_equal(await lkapi.sip.list_dispatch_rule(request), expected)
    with pytest.warns(DeprecationWarning):
        resp = await lkapi.sip.list_sip_dispatch_rule(request)
    assert_proto_equal(resp, expected)


async def test_delete_dispatch_rule_echoes_the_rule_id(lkapi):
    expected = api.SIPDispatchRuleInfo(sip_dispatch_rule_id="SDR_1")
    request = api.DeleteSIPDispatchRuleRequest(sip_dispatch_rule_id="SDR_1")
    assert_proto_equal(await lkapi.sip.delete_dispatch_rule(request), expected)
    with pytest.warns(DeprecationWarning):
        info = await lkapi.sip.delete_sip_dispatch_rule(request)
    assert_proto_equal(info, expected)


# --- calls ---------------------------------------------------------------------------


async def test_create_sip_participant_echoes_room_and_identity_and_fills_call_ids(lkapi):
    # Without wait_until_answered there is no natural latency.
    info = await lkapi.sip.create_sip_participant(
        api.CreateSIPParticipantRequest(
            sip_call_to="+15551234567",
            room_name="call-room",
            participant_identity="caller",
            participant_name="Caller",
        ),
        trunk_id="ST_abc",
    )
    assert_proto_equal(
        info,
        api.SIPParticipantInfo(
            participant_id="MOCK_PARTICIPANT_ID",
            participant_identity="caller",
            room_name="call-room",
            sip_call_id="MOCK_SIP_CALL_ID",
        ),
    )


async def test_create_sip_participant_with_an_empty_request_fills_only_placeholders(lkapi):
    info = await lkapi.sip.create_sip_participant(api.CreateSIPParticipantRequest())
    assert_proto_equal(
        info,
        api.SIPParticipantInfo(
            participant_id="MOCK_PARTICIPANT_ID", sip_call_id="MOCK_SIP_CALL_ID"
        ),
    )


async def test_transfer_sip_participant_fills_the_transfer_id_placeholder():
    # A transfer always has an 11 s natural latency; delayMs 0 removes it.
    async with connect(mock={"delayMs": 0}) as lk:
        resp = await lk.sip.transfer_sip_participant(
            api.TransferSIPParticipantRequest(
                room_name="call-room",
                participant_identity="caller",
                transfer_to="tel:+15557654321",
                play_dialtone=True,
            )
        )
    assert_proto_equal(resp, api.TransferSIPParticipantResponse(transfer_id="MOCK_TRANSFER_ID"))

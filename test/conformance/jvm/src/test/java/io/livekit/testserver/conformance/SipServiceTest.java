package io.livekit.testserver.conformance;

import static io.livekit.testserver.conformance.Calls.ok;
import static io.livekit.testserver.conformance.Protos.assertProto;
import static io.livekit.testserver.conformance.Protos.assertProtos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livekit.server.CreateSipDispatchRuleOptions;
import io.livekit.server.CreateSipInboundTrunkOptions;
import io.livekit.server.CreateSipOutboundTrunkOptions;
import io.livekit.server.CreateSipParticipantOptions;
import io.livekit.server.SipDispatchRuleDirect;
import io.livekit.server.SipDispatchRuleIndividual;
import io.livekit.server.SipServiceClient;
import io.livekit.server.TransferSipParticipantOptions;
import io.livekit.server.UpdateSipDispatchRuleOptions;
import io.livekit.server.UpdateSipInboundTrunkOptions;
import io.livekit.server.UpdateSipOutboundTrunkOptions;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import livekit.LivekitSip.SIPDispatchRuleInfo;
import livekit.LivekitSip.SIPInboundTrunkInfo;
import livekit.LivekitSip.SIPOutboundTrunkInfo;
import livekit.LivekitSip.SIPParticipantInfo;
import livekit.LivekitSip.SIPTransport;
import livekit.LivekitSip.SIPTrunkInfo;
import org.junit.jupiter.api.Test;

/** Every SipServiceClient method, with the SDK's own tokens. */
class SipServiceTest {
  private final SipServiceClient sip = Sdk.plain().sip();

  private static final SIPInboundTrunkInfo mockInbound =
      SIPInboundTrunkInfo.newBuilder().setSipTrunkId("MOCK_SIP_TRUNK_ID").build();
  private static final SIPOutboundTrunkInfo mockOutbound =
      SIPOutboundTrunkInfo.newBuilder().setSipTrunkId("MOCK_SIP_TRUNK_ID").build();
  private static final SIPDispatchRuleInfo mockRule =
      SIPDispatchRuleInfo.newBuilder().setSipDispatchRuleId("MOCK_SIP_DISPATCH_RULE_ID").build();

  private static CreateSipParticipantOptions caller(boolean waitUntilAnswered) {
    return new CreateSipParticipantOptions("caller", "Caller", "md", null, null, true, false, waitUntilAnswered);
  }

  // --- trunks ----------------------------------------------------------------------------------

  @Test
  void createTrunksFillTheTrunkIdPlaceholder() throws Exception {
    // The SDK sends the trunk as a nested message: nothing is echoed.
    CreateSipInboundTrunkOptions inbound = new CreateSipInboundTrunkOptions();
    inbound.setMetadata("md");
    inbound.setAllowedNumbers(List.of("+15550000009"));
    assertProto(mockInbound, ok(sip.createSipInboundTrunk("inbound", List.of("+15550000001"), inbound)));
    assertProto(mockInbound, ok(sip.createSipInboundTrunk("inbound", List.of("+15550000001"))));

    CreateSipOutboundTrunkOptions outbound = new CreateSipOutboundTrunkOptions();
    outbound.setTransport(SIPTransport.SIP_TRANSPORT_TCP);
    assertProto(
        mockOutbound, ok(sip.createSipOutboundTrunk("outbound", "127.0.0.1:5060", List.of("+15550000003"), outbound)));
    assertProto(mockOutbound, ok(sip.createSipOutboundTrunk("outbound", "127.0.0.1:5060", List.of("+15550000003"))));
  }

  @Test
  void updateTrunksEchoTheTrunkId() throws Exception {
    UpdateSipInboundTrunkOptions inbound = new UpdateSipInboundTrunkOptions();
    inbound.setName("renamed");
    inbound.setNumbers(List.of("+15550000002"));
    assertProto(SIPInboundTrunkInfo.newBuilder().setSipTrunkId("ST_in").build(), ok(sip.updateSipInboundTrunk("ST_in", inbound)));
    assertProto(SIPInboundTrunkInfo.newBuilder().setSipTrunkId("ST_in").build(), ok(sip.updateSipInboundTrunk("ST_in")));

    UpdateSipOutboundTrunkOptions outbound = new UpdateSipOutboundTrunkOptions();
    outbound.setAddress("127.0.0.1:5062");
    outbound.setTransport(SIPTransport.SIP_TRANSPORT_TLS);
    assertProto(
        SIPOutboundTrunkInfo.newBuilder().setSipTrunkId("ST_out").build(), ok(sip.updateSipOutboundTrunk("ST_out", outbound)));
    assertProto(SIPOutboundTrunkInfo.newBuilder().setSipTrunkId("ST_out").build(), ok(sip.updateSipOutboundTrunk("ST_out")));
  }

  @Test
  void listTrunksReturnOneItemWithAPlaceholderId() throws Exception {
    assertProtos(List.of(mockInbound), ok(sip.listSipInboundTrunk()));
    assertProtos(List.of(mockOutbound), ok(sip.listSipOutboundTrunk()));
  }

  @Test
  @SuppressWarnings("deprecation") // SIPTrunkInfo: deprecated, and still what DeleteSIPTrunk answers
  void deleteSipTrunkEchoesTheTrunkId() throws Exception {
    assertProto(SIPTrunkInfo.newBuilder().setSipTrunkId("ST_gone").build(), ok(sip.deleteSipTrunk("ST_gone")));
  }

  // --- dispatch rules ---------------------------------------------------------------------------

  @Test
  void createSipDispatchRuleFillsTheRuleIdPlaceholder() throws Exception {
    // The SDK sends the rule as a nested message (dispatch_rule): nothing is echoed.
    CreateSipDispatchRuleOptions options = new CreateSipDispatchRuleOptions();
    options.setName("rule");
    options.setMetadata("md");
    options.setTrunkIds(List.of("ST_in"));
    options.setHidePhoneNumber(true);
    options.setAttributes(Map.of("k", "v"));
    options.setRoomPreset("preset");
    assertProto(mockRule, ok(sip.createSipDispatchRule(new SipDispatchRuleIndividual("call-", "1234"), options)));
    assertProto(mockRule, ok(sip.createSipDispatchRule(new SipDispatchRuleDirect("call-room", null))));
  }

  @Test
  void updateSipDispatchRuleEchoesTheRuleId() throws Exception {
    UpdateSipDispatchRuleOptions options = new UpdateSipDispatchRuleOptions();
    options.setName("rule2");
    options.setTrunkIds(List.of("ST_in"));
    options.setRule(new SipDispatchRuleDirect("other-room", null));
    SIPDispatchRuleInfo expected = SIPDispatchRuleInfo.newBuilder().setSipDispatchRuleId("SDR_1").build();
    assertProto(expected, ok(sip.updateSipDispatchRule("SDR_1", options)));
    assertProto(expected, ok(sip.updateSipDispatchRule("SDR_1")));
  }

  @Test
  void listSipDispatchRuleReturnsOneItemWithAPlaceholderId() throws Exception {
    assertProtos(List.of(mockRule), ok(sip.listSipDispatchRule()));
  }

  @Test
  void deleteSipDispatchRuleEchoesTheRuleId() throws Exception {
    assertProto(
        SIPDispatchRuleInfo.newBuilder().setSipDispatchRuleId("SDR_1").build(), ok(sip.deleteSipDispatchRule("SDR_1")));
  }

  // --- participants -----------------------------------------------------------------------------

  @Test
  void createSipParticipantEchoesRoomAndIdentityAndFillsTheIds() throws Exception {
    // Without wait_until_answered there is no natural latency (11 s for a dial that waits); the bound
    // leaves room for a cold JVM on a busy machine.
    long started = System.nanoTime();
    assertProto(
        SIPParticipantInfo.newBuilder()
            .setParticipantId("MOCK_PARTICIPANT_ID")
            .setParticipantIdentity("caller")
            .setRoomName("call-room")
            .setSipCallId("MOCK_SIP_CALL_ID")
            .build(),
        ok(sip.createSipParticipant("ST_abc", "+15551234567", "call-room", caller(false))));
    assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 8, "no natural latency");
  }

  @Test
  void aDialThatWaitsUntilAnsweredIsHeldUntilDelayMsZeroOverridesTheNaturalLatency() throws Exception {
    // The natural latency of a dial that waits is 11 s: still held at 1 s...
    InterruptedIOException timeout =
        assertThrows(
            InterruptedIOException.class,
            () ->
                Sdk.plain()
                    .timeout(Duration.ofSeconds(1))
                    .sip()
                    .createSipParticipant("ST_abc", "+15551234567", "call-room", caller(true))
                    .execute());
    assertEquals("timeout", timeout.getMessage());
    // ...while delayMs 0 answers at once.
    long started = System.nanoTime();
    SIPParticipantInfo info =
        ok(
            Sdk.control(Json.object("delayMs", 0))
                .sip()
                .createSipParticipant("ST_abc", "+15551234567", "call-room", caller(true)));
    assertEquals("MOCK_SIP_CALL_ID", info.getSipCallId());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 8, "delayMs 0 overrides the 11 s");
  }

  @Test
  void transferSipParticipantSucceedsAndTheServerReadTheTarget() throws Exception {
    Recorded recorded = Recorded.start("transfer");
    TransferSipParticipantOptions options = new TransferSipParticipantOptions();
    options.setPlayDialtone(true);
    // A transfer has the natural latency of a call being placed; delayMs 0 overrides it.
    assertNull(ok(recorded.sdk("delayMs", 0).sip().transferSipParticipant("call-room", "caller", "tel:+15557654321", options)));
    recorded.assertRequest(
        "livekit.SIP/TransferSIPParticipant",
        Json.object("participantIdentity", "caller", "roomName", "call-room", "transferTo", "tel:+15557654321", "playDialtone", true));
  }
}

package io.livekit.testserver.conformance;

import static io.livekit.testserver.conformance.Calls.ok;
import static io.livekit.testserver.conformance.Protos.assertProto;

import io.livekit.server.ConnectorServiceClient;
import io.livekit.server.TwilioCallOptions;
import io.livekit.server.WhatsAppCallOptions;
import livekit.LivekitConnectorTwilio.ConnectTwilioCallRequest.TwilioCallDirection;
import livekit.LivekitConnectorTwilio.ConnectTwilioCallResponse;
import livekit.LivekitConnectorWhatsapp.AcceptWhatsAppCallResponse;
import livekit.LivekitConnectorWhatsapp.ConnectWhatsAppCallResponse;
import livekit.LivekitConnectorWhatsapp.DialWhatsAppCallResponse;
import livekit.LivekitConnectorWhatsapp.DisconnectWhatsAppCallResponse;
import livekit.LivekitRtc.SessionDescription;
import org.junit.jupiter.api.Test;

/** Every ConnectorServiceClient method (a LiveKit Cloud service, mocked with the roomCreate grant). */
class ConnectorServiceTest {
  private final ConnectorServiceClient connector = Sdk.plain().connector();
  private static final SessionDescription offer =
      SessionDescription.newBuilder().setType("offer").setSdp("v=0").build();

  private static WhatsAppCallOptions inRoom(String room) {
    WhatsAppCallOptions options = new WhatsAppCallOptions();
    options.setRoomName(room);
    return options;
  }

  @Test
  void dialWhatsAppCallFillsTheCallIdAndEchoesTheRoomName() throws Exception {
    assertProto(
        DialWhatsAppCallResponse.newBuilder().setWhatsappCallId("MOCK_WHATSAPP_CALL_ID").setRoomName("wa-room").build(),
        ok(connector.dialWhatsAppCall("pn", "+15551234567", "api-key", "cloud-key", inRoom("wa-room"))));
  }

  @Test
  void disconnectWhatsAppCallReturnsAnEmptyResponse() throws Exception {
    assertProto(DisconnectWhatsAppCallResponse.getDefaultInstance(), ok(connector.disconnectWhatsAppCall("WA_1", "api-key")));
  }

  @Test
  void connectWhatsAppCallReturnsAnEmptyResponse() throws Exception {
    assertProto(ConnectWhatsAppCallResponse.getDefaultInstance(), ok(connector.connectWhatsAppCall("WA_1", offer)));
  }

  @Test
  void acceptWhatsAppCallEchoesTheRoomName() throws Exception {
    assertProto(
        AcceptWhatsAppCallResponse.newBuilder().setRoomName("wa-room").build(),
        ok(connector.acceptWhatsAppCall("pn", "api-key", "cloud-key", "WA_1", offer, false, inRoom("wa-room"))));
  }

  @Test
  void connectTwilioCallReturnsAnEmptyResponse() throws Exception {
    TwilioCallOptions options = new TwilioCallOptions();
    options.setRoomName("tw-room");
    assertProto(
        ConnectTwilioCallResponse.getDefaultInstance(),
        ok(connector.connectTwilioCall(TwilioCallDirection.TWILIO_CALL_DIRECTION_INBOUND, options)));
  }
}

package io.livekit.testserver.conformance;

import static io.livekit.testserver.conformance.Calls.ok;
import static io.livekit.testserver.conformance.Protos.assertProto;
import static io.livekit.testserver.conformance.Protos.assertProtos;

import io.livekit.server.IngressServiceClient;
import java.util.List;
import livekit.LivekitIngress.IngressAudioOptions;
import livekit.LivekitIngress.IngressInfo;
import livekit.LivekitIngress.IngressInput;
import org.junit.jupiter.api.Test;

/** Every IngressServiceClient method, with the SDK's own tokens. */
class IngressServiceTest {
  private final IngressServiceClient ingress = Sdk.plain().ingress();

  @Test
  void createIngressEchoesTheScalarsButNeverTheInputTypeEnum() throws Exception {
    IngressInfo info =
        ok(
            ingress.createIngress(
                "my-ingress",
                "my-room",
                "streamer",
                "Streamer",
                IngressInput.WHIP_INPUT,
                IngressAudioOptions.newBuilder().setName("mic").build(),
                null,
                null,
                true,
                "http://127.0.0.1/in"));
    // Enums are not echoed: input_type stays RTMP_INPUT, the zero. enable_transcoding is optional
    // in both messages, so its presence is echoed too.
    assertProto(
        IngressInfo.newBuilder()
            .setIngressId("MOCK_INGRESS_ID")
            .setName("my-ingress")
            .setRoomName("my-room")
            .setParticipantIdentity("streamer")
            .setParticipantName("Streamer")
            .setEnableTranscoding(true)
            .setUrl("http://127.0.0.1/in")
            .build(),
        info);
  }

  @Test
  @SuppressWarnings("deprecation") // bypass_transcoding: deprecated, and still sent by the SDK
  void updateIngressEchoesTheIngressIdAndTheFieldsSet() throws Exception {
    IngressInfo info = ok(ingress.updateIngress("IN_1", "renamed", "other-room", null, null, null, null, true));
    assertProto(
        IngressInfo.newBuilder()
            .setIngressId("IN_1")
            .setName("renamed")
            .setRoomName("other-room")
            .setBypassTranscoding(true)
            .build(),
        info);
  }

  @Test
  void listIngressReturnsOneItemWithAPlaceholderId() throws Exception {
    List<IngressInfo> expected = List.of(IngressInfo.newBuilder().setIngressId("MOCK_INGRESS_ID").build());
    assertProtos(expected, ok(ingress.listIngress("my-room", "IN_1")));
    assertProtos(expected, ok(ingress.listIngress()));
  }

  @Test
  void deleteIngressEchoesTheIngressId() throws Exception {
    assertProto(IngressInfo.newBuilder().setIngressId("IN_1").build(), ok(ingress.deleteIngress("IN_1")));
  }
}

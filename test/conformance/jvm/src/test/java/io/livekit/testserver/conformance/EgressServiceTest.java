package io.livekit.testserver.conformance;

import static io.livekit.testserver.conformance.Calls.ok;
import static io.livekit.testserver.conformance.Protos.assertProto;
import static io.livekit.testserver.conformance.Protos.assertProtos;

import io.livekit.server.AudioMixing;
import io.livekit.server.EgressServiceClient;
import io.livekit.server.EncodedOutputs;
import java.util.List;
import livekit.LivekitEgress.DirectFileOutput;
import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.EncodedFileOutput;
import livekit.LivekitEgress.EncodingOptionsPreset;
import livekit.LivekitEgress.FileInfo;
import livekit.LivekitEgress.ImageOutput;
import livekit.LivekitEgress.ImagesInfo;
import livekit.LivekitEgress.SegmentedFileOutput;
import livekit.LivekitEgress.SegmentsInfo;
import livekit.LivekitEgress.StreamInfo;
import livekit.LivekitEgress.StreamOutput;
import org.junit.jupiter.api.Test;

/** Every EgressServiceClient method (each overload of the output kinds), with the SDK's own tokens. */
class EgressServiceTest {
  private final EgressServiceClient egress = Sdk.plain().egress();

  private static final EncodedFileOutput mp4 = EncodedFileOutput.newBuilder().setFilepath("out.mp4").build();
  private static final SegmentedFileOutput hls =
      SegmentedFileOutput.newBuilder().setFilenamePrefix("seg").setPlaylistName("index.m3u8").build();
  private static final StreamOutput rtmp = StreamOutput.newBuilder().addUrls("rtmp://127.0.0.1/live").build();
  private static final ImageOutput jpeg = ImageOutput.newBuilder().setCaptureInterval(5).build();

  /**
   * EgressInfo as populated for any request: placeholders for egress_id and room_id, one element in
   * each top-level result list, plus the echoes. The StreamInfo element's MOCK_ID fills an `id` field
   * that this SDK's protocol does not have yet, so the SDK sees an empty StreamInfo.
   */
  private static EgressInfo.Builder info() {
    return EgressInfo.newBuilder()
        .setEgressId("MOCK_EGRESS_ID")
        .setRoomId("MOCK_ROOM_ID")
        .addStreamResults(StreamInfo.getDefaultInstance())
        .addFileResults(FileInfo.getDefaultInstance())
        .addSegmentResults(SegmentsInfo.getDefaultInstance())
        .addImageResults(ImagesInfo.getDefaultInstance());
  }

  @Test
  void startRoomCompositeEgressEchoesTheRoomNameForEveryOutputKind() throws Exception {
    EgressInfo expected = info().setRoomName("my-room").build();
    assertProto(expected, ok(egress.startRoomCompositeEgress("my-room", mp4, "speaker")));
    assertProto(expected, ok(egress.startRoomCompositeEgress("my-room", hls, "grid", EncodingOptionsPreset.H264_720P_30)));
    assertProto(expected, ok(egress.startRoomCompositeEgress("my-room", rtmp)));
    assertProto(expected, ok(egress.startRoomCompositeEgress("my-room", jpeg)));
    assertProto(
        expected,
        ok(
            egress.startRoomCompositeEgress(
                "my-room",
                new EncodedOutputs(mp4, rtmp, hls, jpeg),
                "speaker",
                null,
                null,
                true,
                false,
                "",
                AudioMixing.DUAL_CHANNEL_AGENT)));
  }

  @Test
  void startParticipantEgressEchoesTheRoomName() throws Exception {
    assertProto(
        info().setRoomName("my-room").build(),
        ok(egress.startParticipantEgress("my-room", "alice", new EncodedOutputs(mp4, null, null, null), true)));
  }

  @Test
  void startTrackCompositeEgressEchoesTheRoomNameForEveryOutputKind() throws Exception {
    EgressInfo expected = info().setRoomName("my-room").build();
    assertProto(expected, ok(egress.startTrackCompositeEgress("my-room", mp4, "TR_audio", "TR_video")));
    assertProto(expected, ok(egress.startTrackCompositeEgress("my-room", hls, "TR_audio", null)));
    assertProto(expected, ok(egress.startTrackCompositeEgress("my-room", rtmp, null, "TR_video")));
    assertProto(expected, ok(egress.startTrackCompositeEgress("my-room", jpeg, null, "TR_video")));
    assertProto(
        expected,
        ok(egress.startTrackCompositeEgress("my-room", new EncodedOutputs(null, rtmp, null, null), "TR_audio", "TR_video")));
  }

  @Test
  void startTrackEgressEchoesTheRoomNameToAFileAndToAWebSocket() throws Exception {
    EgressInfo expected = info().setRoomName("my-room").build();
    assertProto(
        expected,
        ok(egress.startTrackEgress("my-room", DirectFileOutput.newBuilder().setFilepath("track.ogg").build(), "TR_1")));
    assertProto(expected, ok(egress.startTrackEgress("my-room", "ws://127.0.0.1/ws", "TR_1")));
  }

  @Test
  void startWebEgressHasNoRoomNameToEcho() throws Exception {
    EgressInfo expected = info().build();
    assertProto(expected, ok(egress.startWebEgress("http://127.0.0.1/page", mp4)));
    assertProto(expected, ok(egress.startWebEgress("http://127.0.0.1/page", hls)));
    assertProto(expected, ok(egress.startWebEgress("http://127.0.0.1/page", rtmp)));
    assertProto(expected, ok(egress.startWebEgress("http://127.0.0.1/page", jpeg)));
    assertProto(
        expected,
        ok(egress.startWebEgress("http://127.0.0.1/page", new EncodedOutputs(mp4, null, null, jpeg), null, null, true, false, true)));
  }

  @Test
  void updateLayoutUpdateStreamAndStopEgressEchoTheEgressId() throws Exception {
    EgressInfo expected = info().setEgressId("EG_1").build();
    assertProto(expected, ok(egress.updateLayout("EG_1", "grid")));
    assertProto(expected, ok(egress.updateStream("EG_1", List.of("rtmp://127.0.0.1/a"), List.of("rtmp://127.0.0.1/b"))));
    assertProto(expected, ok(egress.stopEgress("EG_1")));
  }

  @Test
  void listEgressReturnsOneItemWithOnlyPlaceholders() throws Exception {
    // List elements are populated without the request and without nested lists.
    List<EgressInfo> expected =
        List.of(EgressInfo.newBuilder().setEgressId("MOCK_EGRESS_ID").setRoomId("MOCK_ROOM_ID").build());
    assertProtos(expected, ok(egress.listEgress("my-room", "EG_1", true)));
    assertProtos(expected, ok(egress.listEgress()));
  }
}

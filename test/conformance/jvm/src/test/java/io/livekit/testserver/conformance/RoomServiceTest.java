package io.livekit.testserver.conformance;

import static io.livekit.testserver.conformance.Calls.ok;
import static io.livekit.testserver.conformance.Protos.assertProto;
import static io.livekit.testserver.conformance.Protos.assertProtos;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.livekit.server.RoomServiceClient;
import java.util.List;
import java.util.Map;
import livekit.LivekitModels.Codec;
import livekit.LivekitModels.DataPacket;
import livekit.LivekitModels.DataTrackInfo;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.ParticipantPermission;
import livekit.LivekitModels.Room;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitRoom.ForwardParticipantResponse;
import livekit.LivekitRoom.MoveParticipantResponse;
import org.junit.jupiter.api.Test;

/**
 * Every RoomServiceClient method, with the tokens the SDK signs itself. Expected values follow the
 * populate rules: same-named scalar request fields are echoed, id-like strings get MOCK_<NAME>, and
 * each top-level list of messages gets one element holding only its placeholders.
 */
class RoomServiceTest {
  private final RoomServiceClient rooms = Sdk.plain().room();

  private static ParticipantInfo.Builder participant() {
    return ParticipantInfo.newBuilder()
        .setSid("MOCK_SID")
        .addTracks(TrackInfo.newBuilder().setSid("MOCK_SID"))
        .addDataTracks(DataTrackInfo.newBuilder().setSid("MOCK_SID"));
  }

  @Test
  void createRoomEchoesTheRequestScalarsAndFillsTheSid() throws Exception {
    Room room = ok(rooms.createRoom("my-room", 30, 7, null, "meta", null, null, true, 15));
    assertProto(
        Room.newBuilder()
            .setSid("MOCK_SID")
            .setName("my-room")
            .setEmptyTimeout(30)
            .setDepartureTimeout(15)
            .setMaxParticipants(7)
            .setMetadata("meta")
            .addEnabledCodecs(Codec.getDefaultInstance())
            .build(),
        room);
  }

  @Test
  void listRoomsReturnsOneRoomWithOnlyAPlaceholderSid() throws Exception {
    assertProtos(List.of(Room.newBuilder().setSid("MOCK_SID").build()), ok(rooms.listRooms(List.of("a", "b"))));
    assertProtos(List.of(Room.newBuilder().setSid("MOCK_SID").build()), ok(rooms.listRooms()));
  }

  @Test
  void deleteRoomSucceedsAndTheServerReadTheRoomName() throws Exception {
    Recorded recorded = Recorded.start("deleteRoom");
    assertNull(ok(recorded.sdk().room().deleteRoom("my-room")));
    recorded.assertRequest("livekit.RoomService/DeleteRoom", Json.object("room", "my-room"));
  }

  @Test
  void updateRoomMetadataEchoesTheMetadataButNotTheRoomName() throws Exception {
    // The request's field is `room`, the Room's is `name`: different names, no echo.
    Room room = ok(rooms.updateRoomMetadata("my-room", "new-meta"));
    assertProto(
        Room.newBuilder()
            .setSid("MOCK_SID")
            .setMetadata("new-meta")
            .addEnabledCodecs(Codec.getDefaultInstance())
            .build(),
        room);
  }

  @Test
  void listParticipantsReturnsOneParticipantWithAPlaceholderSid() throws Exception {
    assertProtos(
        List.of(ParticipantInfo.newBuilder().setSid("MOCK_SID").build()),
        ok(rooms.listParticipants("my-room")));
  }

  @Test
  void getParticipantEchoesTheIdentity() throws Exception {
    assertProto(participant().setIdentity("alice").build(), ok(rooms.getParticipant("my-room", "alice")));
  }

  @Test
  void removeParticipantSucceedsAndTheServerReadRoomAndIdentity() throws Exception {
    Recorded recorded = Recorded.start("removeParticipant");
    assertNull(ok(recorded.sdk().room().removeParticipant("my-room", "alice")));
    recorded.assertRequest(
        "livekit.RoomService/RemoveParticipant", Json.object("room", "my-room", "identity", "alice"));
  }

  @Test
  void forwardParticipantReturnsAnEmptyResponse() throws Exception {
    assertProto(
        ForwardParticipantResponse.getDefaultInstance(),
        ok(rooms.forwardParticipant("my-room", "alice", "other-room")));
  }

  @Test
  void moveParticipantReturnsAnEmptyResponse() throws Exception {
    assertProto(
        MoveParticipantResponse.getDefaultInstance(),
        ok(rooms.moveParticipant("my-room", "alice", "other-room")));
  }

  @Test
  void mutePublishedTrackGivesTheUnsetTrackOfAnEmptyResponse() throws Exception {
    // The SDK returns MuteRoomTrackResponse.track, which populate leaves unset (a singular message).
    assertProto(TrackInfo.getDefaultInstance(), ok(rooms.mutePublishedTrack("my-room", "alice", "TR_1", true)));
  }

  @Test
  void updateParticipantEchoesIdentityMetadataAndName() throws Exception {
    ParticipantInfo info =
        ok(
            rooms.updateParticipant(
                "my-room",
                "alice",
                "Alice",
                "m",
                ParticipantPermission.newBuilder().setCanPublish(true).build(),
                Map.of("k", "v")));
    // Maps and singular messages are never populated: neither attributes nor permission come back.
    assertProto(participant().setIdentity("alice").setName("Alice").setMetadata("m").build(), info);
    assertFalse(info.hasPermission());
  }

  @Test
  void updateSubscriptionsSucceedsAndTheServerReadTheTrackSids() throws Exception {
    Recorded recorded = Recorded.start("updateSubscriptions");
    assertNull(ok(recorded.sdk().room().updateSubscriptions("my-room", "alice", List.of("TR_1", "TR_2"), true)));
    recorded.assertRequest(
        "livekit.RoomService/UpdateSubscriptions",
        Json.object("room", "my-room", "identity", "alice", "trackSids", List.of("TR_1", "TR_2"), "subscribe", true));
  }

  @Test
  void sendDataSucceedsAndTheServerReadThePacket() throws Exception {
    Recorded recorded = Recorded.start("sendData");
    assertNull(
        ok(
            recorded
                .sdk()
                .room()
                .sendData("my-room", "hello".getBytes(), DataPacket.Kind.RELIABLE, List.of(), List.of("bob"), "chat")));
    // The SDK means to send a random 16-byte nonce, but copies its buffer after writing it to the
    // end (ByteString.copyFrom of a ByteBuffer takes the bytes remaining): the nonce goes out
    // empty, so the server reads none. RELIABLE is the enum's zero, which protobuf does not send.
    recorded.assertRequest(
        "livekit.RoomService/SendData",
        Json.object("room", "my-room", "data", "aGVsbG8=", "destinationIdentities", List.of("bob"), "topic", "chat"));
  }
}

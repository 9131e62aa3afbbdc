package io.livekit.testserver.conformance;

import static io.livekit.testserver.conformance.Calls.failure;
import static io.livekit.testserver.conformance.Calls.ok;
import static io.livekit.testserver.conformance.Protos.assertProtos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livekit.server.AccessToken;
import io.livekit.server.CreateSipParticipantOptions;
import io.livekit.server.DestinationRoomName;
import io.livekit.server.IngressAdmin;
import io.livekit.server.RoomAdmin;
import io.livekit.server.RoomCreate;
import io.livekit.server.RoomJoin;
import io.livekit.server.RoomList;
import io.livekit.server.RoomName;
import io.livekit.server.RoomRecord;
import io.livekit.server.SIPAdmin;
import io.livekit.server.SIPCall;
import io.livekit.server.SIPGrant;
import io.livekit.server.VideoGrant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import livekit.LivekitEgress.EncodedFileOutput;
import livekit.LivekitModels.Room;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import retrofit2.Call;

/**
 * Token checks seen through the SDK. A wrong secret or no token is 401; a token without the grant
 * a method needs is 403. Hand-made tokens (signed by the SDK's AccessToken) replace the one the
 * SDK signs for each call, in its own OkHttp client.
 */
class AuthTest {
  /** One call of each service client. */
  static Stream<Arguments> oneCallPerService() {
    return Stream.of(
        Arguments.of("room", (Function<Sdk, Call<?>>) sdk -> sdk.room().listRooms()),
        Arguments.of("egress", (Function<Sdk, Call<?>>) sdk -> sdk.egress().listEgress()),
        Arguments.of("ingress", (Function<Sdk, Call<?>>) sdk -> sdk.ingress().listIngress()),
        Arguments.of("sip", (Function<Sdk, Call<?>>) sdk -> sdk.sip().listSipInboundTrunk()),
        Arguments.of("agentDispatch", (Function<Sdk, Call<?>>) sdk -> sdk.agentDispatch().listDispatch("room-a")),
        Arguments.of("connector", (Function<Sdk, Call<?>>) sdk -> sdk.connector().disconnectWhatsAppCall("WA_1", "key")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneCallPerService")
  void aTokenSignedWithAnotherSecretIsUnauthenticated(String service, Function<Sdk, Call<?>> call) throws Exception {
    assertUnauthenticated(failure(call.apply(Sdk.plain().secret("not-the-secret"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneCallPerService")
  void aCallWithoutAnAuthorizationHeaderIsUnauthenticated(String service, Function<Sdk, Call<?>> call) throws Exception {
    assertUnauthenticated(failure(call.apply(Sdk.plain().withoutToken())));
  }

  @Test
  void aHandMadeTokenWithTheRightGrantIsAccepted() throws Exception {
    assertProtos(
        List.of(Room.newBuilder().setSid("MOCK_SID").build()),
        ok(Sdk.plain().token(token(List.of(new RoomList(true)), List.of())).room().listRooms()));
  }

  /** Each token carries every grant the method needs but the one named (ours names it in its 403). */
  static Stream<Arguments> missingGrants() {
    CreateSipParticipantOptions caller = new CreateSipParticipantOptions("caller", null, null, null, null, null, null, null);
    EncodedFileOutput mp4 = EncodedFileOutput.newBuilder().setFilepath("out.mp4").build();
    return Stream.of(
        missing("CreateRoom", "video.roomCreate", List.of(new RoomList(true), new RoomAdmin(true)), List.of(), sdk -> sdk.room().createRoom("r")),
        missing("ListRooms", "video.roomList", List.of(new RoomCreate(true)), List.of(), sdk -> sdk.room().listRooms()),
        missing(
            "RemoveParticipant",
            "video.roomAdmin",
            List.of(new RoomJoin(true), new RoomName("r")),
            List.of(),
            sdk -> sdk.room().removeParticipant("r", "alice")),
        missing(
            "StartRoomCompositeEgress",
            "video.roomRecord",
            List.of(new RoomCreate(true), new RoomAdmin(true), new RoomName("r")),
            List.of(),
            sdk -> sdk.egress().startRoomCompositeEgress("r", mp4)),
        missing(
            "CreateIngress",
            "video.ingressAdmin",
            List.of(new RoomCreate(true), new RoomAdmin(true), new RoomRecord(true), new RoomName("r")),
            List.of(),
            sdk -> sdk.ingress().createIngress("in", "r")),
        missing(
            "CreateSIPInboundTrunk",
            "sip.admin",
            List.of(new RoomAdmin(true)),
            List.of(new SIPCall()),
            sdk -> sdk.sip().createSipInboundTrunk("in", List.of("+15550000001"))),
        missing(
            "CreateSIPParticipant",
            "sip.call",
            List.of(new RoomAdmin(true), new RoomName("r")),
            List.of(new SIPAdmin()),
            sdk -> sdk.sip().createSipParticipant("ST_1", "+15551234567", "r", caller)),
        missing(
            "CreateDispatch",
            "video.roomAdmin",
            List.of(new RoomCreate(true), new RoomName("r")),
            List.of(),
            sdk -> sdk.agentDispatch().createDispatch("r", "agent")),
        missing(
            "DialWhatsAppCall",
            "video.roomCreate",
            List.of(new RoomList(true), new RoomAdmin(true)),
            List.of(),
            sdk -> sdk.connector().dialWhatsAppCall("pn", "+15551234567", "key", "v23")));
  }

  private static Arguments missing(
      String method, String grant, List<VideoGrant> video, List<SIPGrant> sip, Function<Sdk, Call<?>> call) {
    return Arguments.of(method, grant, video, sip, call);
  }

  @ParameterizedTest(name = "{0} without {1}")
  @MethodSource("missingGrants")
  void aTokenLackingTheRequiredGrantIsPermissionDenied(
      String method, String grant, List<VideoGrant> video, List<SIPGrant> sip, Function<Sdk, Call<?>> call)
      throws Exception {
    assertPermissionDenied(failure(call.apply(Sdk.plain().token(token(video, sip)))), grant);
  }

  @Test
  void roomAdminForAnotherRoomIsPermissionDenied() throws Exception {
    String roomA = token(List.of(new RoomAdmin(true), new RoomName("room-a")), List.of());
    assertPermissionDenied(failure(Sdk.plain().token(roomA).room().removeParticipant("room-b", "alice")), null);
  }

  @Test
  void aMoveToADestinationTheTokenDoesNotGrantIsPermissionDenied() throws Exception {
    String toB =
        token(List.of(new RoomAdmin(true), new RoomName("room-a"), new DestinationRoomName("room-b")), List.of());
    assertPermissionDenied(failure(Sdk.plain().token(toB).room().moveParticipant("room-a", "alice", "room-c")), null);
  }

  @Test
  void authIsCheckedBeforeAFailingRegion() throws Exception {
    assertUnauthenticated(
        failure(Sdk.control(Json.object("failRegions", List.of(0))).secret("not-the-secret").room().listRooms()));
  }

  @Test
  void skipAuthAcceptsATokenSignedWithAnotherSecret() throws Exception {
    assertProtos(
        List.of(Room.newBuilder().setSid("MOCK_SID").build()),
        ok(Sdk.control(Json.object("skipAuth", true)).secret("not-the-secret").room().listRooms()));
  }

  private static String token(List<VideoGrant> video, List<SIPGrant> sip) {
    AccessToken token = new AccessToken(Target.key(), Target.secret());
    token.setIdentity("conformance");
    token.addGrants(video);
    token.addSIPGrants(sip);
    return token.toJwt();
  }

  private static void assertUnauthenticated(Calls.TwirpError error) {
    // Ours may say why after the original's message.
    assertEquals(401, error.status(), error.body());
    assertEquals("unauthenticated", error.code(), error.body());
    if (Target.original()) assertEquals("mock: unauthenticated", error.msg());
    else assertTrue(error.msg().startsWith("mock: unauthenticated"), error.msg());
  }

  /** The original says exactly "mock: permission_denied"; ours adds which grant or room is missing. */
  private static void assertPermissionDenied(Calls.TwirpError error, String grant) {
    assertEquals(403, error.status(), error.body());
    assertEquals("permission_denied", error.code(), error.body());
    if (Target.original()) {
      assertEquals("mock: permission_denied", error.msg());
      return;
    }
    assertTrue(error.msg().startsWith("mock: permission_denied: "), error.msg());
    if (grant != null) assertTrue(error.msg().contains(grant), grant + " not named in " + error.msg());
  }
}

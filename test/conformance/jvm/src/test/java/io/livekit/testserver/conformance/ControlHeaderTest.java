package io.livekit.testserver.conformance;

import static io.livekit.testserver.conformance.Calls.failure;
import static io.livekit.testserver.conformance.Calls.ok;
import static io.livekit.testserver.conformance.Protos.assertProto;
import static io.livekit.testserver.conformance.Protos.assertProtos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import livekit.LivekitModels.Codec;
import livekit.LivekitModels.Room;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The X-Lk-Mock control header and its legacy X-Lk-Mock-* forms, sent by the SDK's own OkHttp
 * client (added by an interceptor given to the SDK's OkHttpFactory). Region 0 is the listener the
 * SDK talks to.
 */
class ControlHeaderTest {
  private static final List<Room> populatedRooms = List.of(Room.newBuilder().setSid("MOCK_SID").build());

  private static Calls.TwirpError failedListRooms(Map<String, Object> control) throws Exception {
    return failure(Sdk.control(control).room().listRooms());
  }

  @Test
  void aFailedRegionAnswersUnavailable503() throws Exception {
    Calls.TwirpError error = failedListRooms(Json.object("failRegions", List.of(0)));
    error.assertIs(503, "unavailable", "mock failure (status 503)");
    assertEquals("application/json", error.contentType());
  }

  @ParameterizedTest(name = "failStatus {0} is {1}")
  @CsvSource({
    "400, invalid_argument",
    "401, unauthenticated",
    "403, permission_denied",
    "404, not_found",
    "408, internal",
    "409, internal",
    "412, internal",
    "429, resource_exhausted",
    "500, unavailable",
    "502, unavailable",
    "504, unavailable"
  })
  void theTwirpCodeIsDerivedFromFailStatus(int status, String code) throws Exception {
    failedListRooms(Json.object("failRegions", List.of(0), "failStatus", status))
        .assertIs(status, code, "mock failure (status " + status + ")");
  }

  @Test
  void failTwirpCodeNamesTheCodeWithOrWithoutAStatus() throws Exception {
    failedListRooms(Json.object("failRegions", List.of(0), "failStatus", 409, "failTwirpCode", "already_exists"))
        .assertIs(409, "already_exists", "mock failure (status 409)");
    failedListRooms(Json.object("failRegions", List.of(0), "failTwirpCode", "not_found"))
        .assertIs(503, "not_found", "mock failure (status 503)");
  }

  @Test
  void onlyTheListedRegionsFail() throws Exception {
    assertProtos(populatedRooms, ok(Sdk.control(Json.object("failRegions", List.of(1, 2, 3))).room().listRooms()));
  }

  @Test
  void anOutOfRangeFailStatusIsRefusedByOursAndBecomes503InTheOriginal() throws Exception {
    Calls.TwirpError error = failedListRooms(Json.object("failRegions", List.of(0), "failStatus", 700));
    if (Target.original()) {
      error.assertIs(503, "unavailable", "mock failure (status 503)");
      return;
    }
    // Intended difference: an invalid control header is a clear error rather than silently ignored.
    assertEquals(400, error.status(), error.body());
    assertEquals("invalid_argument", error.code());
    assertTrue(error.msg().startsWith("mock: invalid control: ") && error.msg().contains("failStatus"), error.msg());
  }

  @Test
  void legacyHeadersFailTheRegionAndXLkMockOverridesThem() throws Exception {
    failure(
            Sdk.plain()
                .header("X-Lk-Mock-Fail-Regions", "2, 0")
                .header("X-Lk-Mock-Fail-Status", "429")
                .room()
                .listRooms())
        .assertIs(429, "resource_exhausted", "mock failure (status 429)");
    assertProtos(
        populatedRooms,
        ok(
            Sdk.control(Json.object("failRegions", List.of()))
                .header("X-Lk-Mock-Fail-Regions", "0")
                .room()
                .listRooms()));
  }

  @Test
  void aRegionOutsidePinnedRegionsAnswers451InPlainText() throws Exception {
    Calls.TwirpError error = failedListRooms(Json.object("pinnedRegions", List.of("region-1")));
    assertEquals(451, error.status());
    assertTrue(error.contentType().startsWith("text/plain"), error.contentType());
    assertEquals("project not allowed in this region.", error.body().trim());
    assertProtos(
        populatedRooms, ok(Sdk.control(Json.object("pinnedRegions", List.of("region-1", "region-0"))).room().listRooms()));
  }

  @Test
  void aResponseOverrideReplacesThePopulatedReplyWhole() throws Exception {
    Room room =
        ok(
            Sdk.control(
                    Json.object(
                        "response", Json.object("sid", "RM_override", "name", "overridden", "numParticipants", 3, "max_participants", 10)))
                .room()
                .createRoom("ignored", 5, null, null, "ignored"));
    // No merge with the populated default: no echo, no placeholder, no list element.
    assertProto(
        Room.newBuilder().setSid("RM_override").setName("overridden").setNumParticipants(3).setMaxParticipants(10).build(),
        room);
    assertProtos(
        List.of(Room.newBuilder().setName("a").build(), Room.newBuilder().setName("b").setSid("RM_b").build()),
        ok(
            Sdk.control(
                    Json.object("response", Json.object("rooms", List.of(Json.object("name", "a"), Json.object("name", "b", "sid", "RM_b")))))
                .room()
                .listRooms()));
    assertProtos(List.of(), ok(Sdk.control(Json.object("response", Json.object())).room().listRooms()));
    assertProto(
        Room.newBuilder().setSid("RM_legacy").build(),
        ok(Sdk.plain().header("X-Lk-Mock-Response", "{\"sid\":\"RM_legacy\"}").room().createRoom("ignored")));
  }

  @Test
  void anUndecodableResponseOverrideIsRefusedByOursAndIgnoredByTheOriginal() throws Exception {
    Sdk sdk = Sdk.control(Json.object("response", "not an object"));
    if (Target.original()) {
      assertProto(
          Room.newBuilder().setSid("MOCK_SID").setName("my-room").addEnabledCodecs(Codec.getDefaultInstance()).build(),
          ok(sdk.room().createRoom("my-room")));
      return;
    }
    Calls.TwirpError error = failure(sdk.room().createRoom("my-room"));
    assertEquals(400, error.status(), error.body());
    assertEquals("invalid_argument", error.code());
    assertTrue(error.msg().startsWith("mock: invalid control: response"), error.msg());
  }

  @Test
  void delayMsDelaysASuccessAndAFailureAlike() throws Exception {
    long started = System.nanoTime();
    ok(Sdk.control(Json.object("delayMs", 400)).room().listRooms());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 400, "a success delayed by 400 ms");
    started = System.nanoTime();
    failedListRooms(Json.object("delayMs", 400, "failRegions", List.of(0))).assertIs(503, "unavailable", "mock failure (status 503)");
    assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 400, "a failure delayed by 400 ms");
  }

  @Test
  void aDelayLongerThanOkHttpsCallTimeoutIsTheCallersTimeout() {
    InterruptedIOException timeout =
        assertThrows(
            InterruptedIOException.class,
            () -> Sdk.control(Json.object("delayMs", 3000)).timeout(Duration.ofMillis(300)).room().listRooms().execute());
    assertEquals("timeout", timeout.getMessage());
  }
}

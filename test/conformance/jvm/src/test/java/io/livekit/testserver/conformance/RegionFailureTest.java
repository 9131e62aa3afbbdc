package io.livekit.testserver.conformance;

import static io.livekit.testserver.conformance.Calls.failure;
import static io.livekit.testserver.conformance.Calls.ok;
import static io.livekit.testserver.conformance.Protos.assertProtos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.livekit.server.RoomServiceClient;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import livekit.LivekitModels.Room;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the SDK does when the region it calls fails. The Kotlin SDK has no region failover: it never
 * reads /settings/regions and sends every call to the host it was given, so a failing region is the
 * caller's error. What remains is OkHttp's own behaviour, which the request journal shows attempt
 * by attempt (the fault menu and the journal are ours: the original has failRegions' status only).
 */
class RegionFailureTest {
  private static final String listRooms = "livekit.RoomService/ListRooms";
  private static final List<Room> populatedRooms = List.of(Room.newBuilder().setSid("MOCK_SID").build());

  private static void oursOnly() {
    assumeFalse(Target.original(), "the fault menu and the journal are not in the original test server");
  }

  @Test
  void aFailedRegionIsTheCallersErrorAfterOneAttemptWithNoRegionDiscovery() throws Exception {
    List<String> attempts = Collections.synchronizedList(new ArrayList<>());
    Calls.TwirpError error =
        failure(Sdk.control(Json.object("failRegions", List.of(0))).recordAttempts(attempts).room().listRooms());
    error.assertIs(503, "unavailable", "mock failure (status 503)");
    // Regions 1 to 3 are healthy, and never asked.
    assertEquals(List.of("POST " + Target.url() + "/twirp/" + listRooms), attempts);
  }

  @Test
  void aFailureOnlyForTheFirstCallsIsSeenByThoseCallsAndNotRetried() throws Exception {
    oursOnly();
    String key = Journal.key("failFirst");
    Sdk sdk = Sdk.control(Json.object("journal", key, "failFirst", 1));
    failure(sdk.room().listRooms()).assertIs(503, "unavailable", "mock failure (status 503)");
    assertProtos(populatedRooms, ok(sdk.room().listRooms()));
    Journal.assertLines(key, "region-0 " + listRooms + " 503", "region-0 " + listRooms + " 200");
  }

  /**
   * One call on a fresh OkHttp client (so a fresh connection) to a region failing with `mode`, within
   * OkHttp's call timeout `timeout`.
   */
  private static Throwable faultOnFreshConnection(String key, Duration timeout, String mode, Object... extra) {
    Map<String, Object> control = Json.object("journal", key, "failRegions", List.of(0), "failMode", mode);
    control.putAll(Json.object(extra));
    return assertThrows(IOException.class, () -> Sdk.control(control).timeout(timeout).room().listRooms().execute());
  }

  private static final Duration ample = Duration.ofSeconds(10);
  private static final Duration brief = Duration.ofMillis(600);

  /**
   * A broken answer on a fresh connection is an IOException from {@code execute()}: the kind, the
   * start of its message, and the journal's outcome. Retrofit reads an error body whole before it
   * hands back the response, so a 503 whose body is cut never shows its status.
   */
  @ParameterizedTest(name = "{0} (failStatus {1})")
  @CsvSource({
    "drop,                503, java.io.IOException,          'unexpected end of stream on ', dropped",
    "reset,               503, java.net.SocketException,     'Connection reset',             reset",
    "close-after-headers, 503, java.net.ProtocolException,   'unexpected end of stream',     close-after-headers",
    "close-after-headers, 200, java.net.ProtocolException,   'unexpected end of stream',     close-after-headers",
    "truncated-body,      500, java.net.ProtocolException,   'unexpected end of stream',     truncated-body",
    "garbage,             503, java.net.ProtocolException,   'Unexpected status line: ',     garbage"
  })
  void aBrokenAnswerIsAnIOExceptionOfItsKind(String mode, int status, Class<?> kind, String message, String outcome)
      throws Exception {
    oursOnly();
    String key = Journal.key(mode);
    Throwable error = faultOnFreshConnection(key, ample, mode, "failStatus", status);
    assertEquals(kind, error.getClass(), String.valueOf(error));
    assertTrue(error.getMessage().startsWith(message), error.getMessage());
    if (mode.equals("drop")) assertInstanceOf(EOFException.class, error.getCause());
    Journal.assertLines(key, "region-0 " + listRooms + " " + outcome);
  }

  @Test
  void aHangingRegionEndsWithOkHttpsCallTimeout() throws Exception {
    oursOnly();
    String key = Journal.key("hang");
    long started = System.nanoTime();
    Throwable error = faultOnFreshConnection(key, brief, "hang");
    long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
    assertInstanceOf(InterruptedIOException.class, error);
    assertEquals("timeout", error.getMessage());
    assertTrue(took >= 600 && took < 8000, "returned after " + took + " ms, the call timeout is 600 ms");
    Journal.assertLines(key, "region-0 " + listRooms + " hang");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {502, 503, 504})
  void anIntermediarysPageIsAnErrorResponseWithItsStatusAndHtml(int status) throws Exception {
    oursOnly();
    String key = Journal.key("intermediary");
    Calls.TwirpError error =
        failure(
            Sdk.control(Json.object("journal", key, "failRegions", List.of(0), "failMode", "intermediary", "failStatus", status))
                .room()
                .listRooms());
    assertEquals(status, error.status());
    assertTrue(error.contentType().startsWith("text/html"), error.contentType());
    assertTrue(error.body().contains("<title>" + status + " "), error.body());
    Journal.assertLines(key, "region-0 " + listRooms + " intermediary");
  }

  @Test
  void aSlowBodyArrivesLateWithinTheTimeoutAndIsATimeoutPastIt() throws Exception {
    oursOnly();
    String key = Journal.key("slow");
    long started = System.nanoTime();
    // The protobuf answer is 12 bytes: at 20 bytes a second, about 600 ms.
    assertProtos(
        populatedRooms,
        ok(
            Sdk.control(Json.object("journal", key, "failRegions", List.of(0), "failMode", "slow-body", "slowBytesPerSec", 20))
                .room()
                .listRooms()));
    assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 400, "the body came slowly");
    Journal.assertLines(key, "region-0 " + listRooms + " slow-body");

    String late = Journal.key("slow-late");
    Throwable error = faultOnFreshConnection(late, brief, "slow-body", "slowBytesPerSec", 2);
    assertInstanceOf(InterruptedIOException.class, error);
    assertEquals("timeout", error.getMessage());
    Journal.assertLines(late, "region-0 " + listRooms + " client-gone");
  }

  /**
   * OkHttp retries a request whose connection failed before any answer (retryOnConnectionFailure,
   * on by default in the client the SDK builds). On a connection it had already used, a drop or a
   * reset sends the same call three times in all, to the same region, whatever the method: here
   * CreateRoom, which is not idempotent. A fresh connection (the tests above) is not retried, nor is
   * an answer that breaks after its status line.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"drop", "reset", "garbage", "close-after-headers", "status"})
  void onAReusedConnectionOkHttpResendsACallWhoseConnectionBrokeBeforeAnyAnswer(String mode) throws Exception {
    oursOnly();
    String key = Journal.key("reused-" + mode);
    AtomicReference<String> control = new AtomicReference<>(Json.write(Json.object("journal", key)));
    // One client, so one OkHttp connection pool: the second call reuses the first one's connection.
    RoomServiceClient rooms = Sdk.plain().header("X-Lk-Mock", control::get).room();
    ok(rooms.createRoom("first"));
    control.set(Json.write(Json.object("journal", key, "failRegions", List.of(0), "failMode", mode)));
    String attempt = "region-0 livekit.RoomService/CreateRoom ";
    switch (mode) {
      case "drop", "reset" -> {
        assertThrows(IOException.class, () -> rooms.createRoom("second").execute());
        String fault = attempt + (mode.equals("drop") ? "dropped" : "reset");
        Journal.assertLines(key, attempt + "200", fault, fault, fault);
      }
      case "garbage", "close-after-headers" -> {
        assertThrows(ProtocolException.class, () -> rooms.createRoom("second").execute());
        Journal.assertLines(key, attempt + "200", attempt + mode);
      }
      default -> {
        failure(rooms.createRoom("second")).assertIs(503, "unavailable", "mock failure (status 503)");
        Journal.assertLines(key, attempt + "200", attempt + "503");
      }
    }
  }
}

package io.livekit.testserver.conformance;

import static io.livekit.testserver.conformance.Protos.assertProto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.livekit.server.AccessToken;
import io.livekit.server.RoomCreate;
import io.livekit.server.RoomJoin;
import io.livekit.server.RoomName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import livekit.LivekitModels.Codec;
import livekit.LivekitModels.Room;
import livekit.LivekitRoom.CreateRoomRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Java's own HTTP client, a second JVM stack beside OkHttp. Asked for HTTP/2 (its default) on plain
 * HTTP, it offers `Upgrade: h2c` with an HTTP2-Settings header on every request until a server
 * switches; neither server does, and both must answer such a request as an ordinary HTTP/1.1 one on
 * a connection that stays open.
 */
class JavaHttpClientTest {
  /** The default client (HTTP/2 preferred), one asking for HTTP/2 explicitly, and one for HTTP/1.1. */
  static Stream<Arguments> clients() {
    return Stream.of(
        Arguments.of("default", HttpClient.newHttpClient()),
        Arguments.of("HTTP_2", HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()),
        Arguments.of("HTTP_1_1", HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void theClientOffersH2cUnlessAskedForHttp11(String kind, HttpClient client) throws Exception {
    // A check of the client rather than of the server: it makes sure the other tests exercise the
    // upgrade offer they are about.
    String head = capturedHead(client);
    boolean offers = !kind.equals("HTTP_1_1");
    assertEquals(offers, head.contains("\r\nUpgrade: h2c\r\n"), head);
    assertEquals(offers, head.contains("\r\nConnection: Upgrade, HTTP2-Settings\r\n"), head);
    assertEquals(offers, head.contains("\r\nHTTP2-Settings: "), head);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void everyEndpointAnswersInHttp11OnAConnectionThatStaysOpen(String kind, HttpClient client) throws Exception {
    String join = joinToken();
    // Twice each, on the client's pooled connection.
    for (int round = 0; round < 2; round++) {
      HttpResponse<String> regions = send(client, get("/settings/regions"));
      assertAnswer(regions, 200, "application/json");
      assertEquals(Optional.of("0"), regions.headers().firstValue("x-lk-mock-region"));
      assertTrue(regions.body().contains("\"region\":\"region-0\""), regions.body());

      HttpResponse<String> rooms =
          send(
              client,
              post("/twirp/livekit.RoomService/ListRooms", "application/json", HttpRequest.BodyPublishers.ofString("{}"))
                  .header("X-Lk-Mock", "{\"skipAuth\":true}")
                  .build());
      assertAnswer(rooms, 200, "application/json");
      assertEquals("{\"rooms\":[{\"sid\":\"MOCK_SID\"}]}", rooms.body());

      HttpResponse<String> validate = send(client, get("/rtc/validate?access_token=" + join));
      assertAnswer(validate, 200, "text/plain; charset=utf-8");
      assertEquals("success", validate.body());

      // Signal paths: an upgrade offer that is not a WebSocket handshake is refused like a plain GET.
      HttpResponse<String> noToken = send(client, get("/rtc"));
      assertAnswer(noToken, 401, "text/plain; charset=utf-8");
      assertEquals("invalid token", noToken.body());
      for (String path : List.of("/rtc", "/rtc/v1")) {
        HttpResponse<String> notAHandshake = send(client, get(path + "?access_token=" + join));
        assertAnswer(notAHandshake, 400, "text/plain; charset=utf-8");
        assertEquals("Bad Request\n", notAHandshake.body());
        assertEquals(Optional.of("13"), notAHandshake.headers().firstValue("sec-websocket-version"));
      }

      HttpResponse<String> health = send(client, get("/_test/health"));
      assertAnswer(health, 200, "text/plain; charset=utf-8");
      assertEquals("ok", health.body());

      HttpResponse<String> missing = send(client, get("/no/such/path"));
      assertAnswer(missing, 404, "text/plain; charset=utf-8");
      assertEquals("404 page not found\n", missing.body());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void aProtobufCallAndItsErrorsAnswerAlike(String kind, HttpClient client) throws Exception {
    AccessToken token = new AccessToken(Target.key(), Target.secret());
    token.addGrants(new RoomCreate(true));
    byte[] body = CreateRoomRequest.newBuilder().setName("my-room").setEmptyTimeout(30).build().toByteArray();
    HttpRequest.Builder create =
        post("/twirp/livekit.RoomService/CreateRoom", "application/protobuf", HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Authorization", "Bearer " + token.toJwt());

    HttpResponse<byte[]> created = client.send(create.build(), HttpResponse.BodyHandlers.ofByteArray());
    assertAnswer(created, 200, "application/protobuf");
    assertProto(
        Room.newBuilder().setSid("MOCK_SID").setName("my-room").setEmptyTimeout(30).addEnabledCodecs(Codec.getDefaultInstance()).build(),
        Room.parseFrom(created.body()));

    HttpResponse<String> failed = send(client, create.header("X-Lk-Mock", "{\"failRegions\":[0],\"failStatus\":429}").build());
    assertAnswer(failed, 429, "application/json");
    assertEquals("{\"code\":\"resource_exhausted\",\"msg\":\"mock failure (status 429)\"}", failed.body());

    HttpResponse<String> denied =
        send(
            client,
            post("/twirp/livekit.RoomService/CreateRoom", "application/protobuf", HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Bearer " + joinToken())
                .build());
    assertAnswer(denied, 403, "application/json");
    assertTrue(denied.body().startsWith("{\"code\":\"permission_denied\",\"msg\":\"mock: permission_denied"), denied.body());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void faultsReachTheClientWhateverVersionItAskedFor(String kind, HttpClient client) throws Exception {
    assumeFalse(Target.original(), "the fault menu and the journal are not in the original test server");
    String key = Journal.key("java-" + kind);
    for (String mode : List.of("drop", "reset", "garbage")) {
      HttpRequest request =
          post("/twirp/livekit.RoomService/ListRooms", "application/json", HttpRequest.BodyPublishers.ofString("{}"))
              .header("X-Lk-Mock", Json.write(Json.object("skipAuth", true, "journal", key, "failRegions", List.of(0), "failMode", mode)))
              .build();
      assertThrows(IOException.class, () -> send(client, request), mode);
    }
    HttpRequest hanging =
        post("/twirp/livekit.RoomService/ListRooms", "application/json", HttpRequest.BodyPublishers.ofString("{}"))
            .timeout(Duration.ofMillis(500))
            .header("X-Lk-Mock", Json.write(Json.object("skipAuth", true, "journal", key, "failRegions", List.of(0), "failMode", "hang")))
            .build();
    assertThrows(HttpTimeoutException.class, () -> send(client, hanging));
    String route = "region-0 livekit.RoomService/ListRooms ";
    // Java's client does not resend a POST whose connection broke.
    Journal.assertLines(key, route + "dropped", route + "reset", route + "garbage", route + "hang");
  }

  private static String joinToken() {
    AccessToken token = new AccessToken(Target.key(), Target.secret());
    token.setIdentity("alice");
    token.addGrants(new RoomJoin(true), new RoomName("my-room"));
    return token.toJwt();
  }

  private static HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(Target.url() + path)).timeout(Duration.ofSeconds(10)).build();
  }

  private static HttpRequest.Builder post(String path, String contentType, HttpRequest.BodyPublisher body) {
    return HttpRequest.newBuilder(URI.create(Target.url() + path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", contentType)
        .POST(body);
  }

  private static HttpResponse<String> send(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** HTTP/1.1, Go's Date header, and no `Connection: close`: the client may reuse the connection. */
  private static void assertAnswer(HttpResponse<?> response, int status, String contentType) {
    String where = response.request().method() + " " + response.uri().getPath() + " " + response.headers().map();
    assertEquals(status, response.statusCode(), where);
    assertEquals(HttpClient.Version.HTTP_1_1, response.version(), where);
    assertEquals(Optional.of(contentType), response.headers().firstValue("content-type"), where);
    assertTrue(response.headers().firstValue("date").isPresent(), "no Date in " + where);
    assertFalse(response.headers().firstValue("connection").isPresent(), "a Connection header in " + where);
  }

  /** The head of the first request `client` sends, read by a one-shot loopback server. */
  private static String capturedHead(HttpClient client) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> head =
          CompletableFuture.supplyAsync(
              () -> {
                try (Socket socket = server.accept()) {
                  String text = readHead(socket.getInputStream());
                  OutputStream out = socket.getOutputStream();
                  out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                  return text;
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x"))
              .timeout(Duration.ofSeconds(10))
              .POST(HttpRequest.BodyPublishers.ofString("{}"))
              .build();
      assertEquals("ok", send(client, request).body());
      return head.get();
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) break;
      head.write(b);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }
}

package io.livekit.testserver.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request journal (ours only): every request whose control names a key is recorded under it,
 * faults and abandoned calls included, so a test sees each attempt its client made.
 */
final class Journal {
  private static final AtomicLong sequence = new AtomicLong();
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private Journal() {}

  /** A key of the test's own, so that tests never read each other's entries. */
  static String key(String test) {
    return "jvm-" + test + "-" + Long.toString(System.nanoTime(), 36) + "-" + sequence.incrementAndGet();
  }

  /** The entries under key once at least min of its calls are over, or after five seconds. */
  static List<Struct> entries(String key, int min) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(Target.url() + "/_test/journal/" + key + "?wait=5000&min=" + min))
            .timeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    List<Struct> entries = new ArrayList<>();
    for (Value entry : Json.read(response.body()).getFieldsOrThrow("entries").getListValue().getValuesList()) {
      entries.add(entry.getStructValue());
    }
    return entries;
  }

  /**
   * "region route status" for an answered request, "region route outcome" otherwise. A call is
   * finished in the journal once the server is done with it, which for a client that gave up can
   * be a moment after the client returned: the read waits for as many finished entries.
   */
  static void assertLines(String key, String... expected) throws IOException, InterruptedException {
    List<String> lines = new ArrayList<>();
    for (Struct entry : entries(key, Math.max(expected.length, 1))) lines.add(line(entry));
    assertEquals(List.of(expected), lines);
  }

  static String line(Struct entry) {
    String region = entry.getFieldsOrThrow("region").getStringValue();
    String route = entry.getFieldsOrThrow("route").getStringValue();
    String outcome = entry.getFieldsOrThrow("outcome").getStringValue();
    Value status = entry.getFieldsOrDefault("status", Value.getDefaultInstance());
    if (outcome.equals("answered") && status.hasNumberValue()) {
      return region + " " + route + " " + (int) status.getNumberValue();
    }
    return region + " " + route + " " + outcome;
  }
}

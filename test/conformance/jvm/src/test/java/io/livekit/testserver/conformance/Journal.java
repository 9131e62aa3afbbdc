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

  static List<Struct> entries(String key) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(Target.url() + "/_test/journal/" + key))
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
   * recorded once the server is done with it, which for a client that gave up can be a moment
   * after the client returned, so a short journal is read again for up to two seconds.
   */
  static void assertLines(String key, String... expected) throws IOException, InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    List<String> lines;
    do {
      lines = new ArrayList<>();
      for (Struct entry : entries(key)) lines.add(line(entry));
      if (lines.size() >= expected.length) break;
      Thread.sleep(20);
    } while (System.nanoTime() < end);
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

package io.livekit.testserver.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Struct;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A call whose request the server records in its journal (ours only), for the methods whose answer
 * the SDK discards ({@code Call<Void>}): what the server decoded from the SDK's protobuf body is
 * the check left. Against the original, which has no journal, only the success is checked.
 */
record Recorded(String key) {
  static Recorded start(String test) {
    return new Recorded(Journal.key(test));
  }

  /** Clients whose calls carry {@code control} (names and values), and the journal key on ours. */
  Sdk sdk(Object... control) {
    Map<String, Object> fields = Json.object(control);
    if (!Target.original()) fields.put("journal", key);
    return fields.isEmpty() ? Sdk.plain() : Sdk.control(fields);
  }

  /** The request the server decoded for the one call made, as JSON; null against the original. */
  Struct request(String route) throws IOException, InterruptedException {
    if (Target.original()) return null;
    List<Struct> entries = Journal.entries(key, 1);
    assertEquals(1, entries.size(), "journal entries " + entries);
    Struct entry = entries.get(0);
    assertEquals(route, entry.getFieldsOrThrow("route").getStringValue());
    assertEquals("binary", entry.getFieldsOrThrow("codec").getStringValue());
    return entry.getFieldsOrThrow("request").getStructValue();
  }

  void assertRequest(String route, Map<String, Object> expected) throws IOException, InterruptedException {
    Struct seen = request(route);
    if (seen != null) assertEquals(Json.read(Json.write(expected)), seen);
  }
}

package io.livekit.testserver.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import com.google.protobuf.UnknownFieldSet;
import java.util.List;
import java.util.Map;

/** Exact equality of protobuf messages, as an SDK user sees them. */
final class Protos {
  private Protos() {}

  /**
   * Every field equal, presence included. Fields that the server's newer protocol sends and this
   * SDK's protocol does not know arrive as unknown fields; no SDK user can read them, so they are
   * dropped before comparing.
   */
  static void assertProto(Message expected, Message actual) {
    Message known = withoutUnknownFields(actual);
    assertEquals(TextFormat.printer().printToString(expected), TextFormat.printer().printToString(known));
    assertEquals(expected, known);
  }

  static void assertProtos(List<? extends Message> expected, List<? extends Message> actual) {
    assertEquals(expected.size(), actual.size(), "number of items in " + actual);
    for (int i = 0; i < expected.size(); i++) assertProto(expected.get(i), actual.get(i));
  }

  static Message withoutUnknownFields(Message message) {
    Message.Builder builder = message.toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance());
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor descriptor = field.getKey();
      if (descriptor.getJavaType() != FieldDescriptor.JavaType.MESSAGE) continue;
      if (descriptor.isRepeated()) {
        builder.clearField(descriptor);
        for (Object item : (List<?>) field.getValue()) {
          builder.addRepeatedField(descriptor, withoutUnknownFields((Message) item));
        }
      } else {
        builder.setField(descriptor, withoutUnknownFields((Message) field.getValue()));
      }
    }
    return builder.build();
  }
}

package io.livekit.testserver.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.ResponseBody;
import retrofit2.Call;
import retrofit2.Response;

/**
 * Runs the SDK's calls. The SDK hands back Retrofit's {@link Response}: a non-2xx answer is not an
 * exception but a response whose error body is the server's Twirp error, which the SDK leaves to
 * its caller to read.
 */
final class Calls {
  private Calls() {}

  /** The body of a call that must succeed. */
  static <T> T ok(Call<T> call) throws IOException {
    Response<T> response = call.execute();
    if (!response.isSuccessful()) {
      fail(describe(call) + " answered " + response.code() + ": " + errorText(response));
    }
    return response.body();
  }

  /** The Twirp error of a call that must fail with an HTTP status. */
  static TwirpError failure(Call<?> call) throws IOException {
    Response<?> response = call.execute();
    if (response.isSuccessful()) fail(describe(call) + " succeeded: " + response.body());
    return TwirpError.of(response.code(), response.headers().get("Content-Type"), errorText(response));
  }

  static String describe(Call<?> call) {
    return call.request().method() + " " + call.request().url().encodedPath();
  }

  private static String errorText(Response<?> response) throws IOException {
    try (ResponseBody body = response.errorBody()) {
      return body == null ? "" : body.string();
    }
  }

  /** A Twirp error as the server wrote it: {"code", "msg", "meta"} with the HTTP status. */
  record TwirpError(int status, String contentType, String body, String code, String msg, Map<String, String> meta) {
    static TwirpError of(int status, String contentType, String body) {
      if (contentType == null || !contentType.startsWith("application/json")) {
        return new TwirpError(status, contentType, body, null, null, Map.of());
      }
      Struct json = Json.read(body);
      Map<String, String> meta = new LinkedHashMap<>();
      Value metaValue = json.getFieldsOrDefault("meta", Value.getDefaultInstance());
      metaValue.getStructValue().getFieldsMap().forEach((name, value) -> meta.put(name, value.getStringValue()));
      return new TwirpError(
          status,
          contentType,
          body,
          json.getFieldsOrThrow("code").getStringValue(),
          json.getFieldsOrThrow("msg").getStringValue(),
          meta);
    }

    void assertIs(int status, String code, String msg) {
      assertEquals(status + " " + code + " " + msg, this.status + " " + this.code + " " + this.msg, body);
    }
  }
}

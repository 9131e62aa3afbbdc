package io.livekit.testserver.conformance;

import static io.livekit.testserver.conformance.Calls.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.livekit.server.CreateSipParticipantOptions;
import io.livekit.server.TransferSipParticipantOptions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import livekit.LivekitSip.SIPStatus;
import livekit.LivekitSip.SIPStatusCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * `sipStatus` fails a dial or a transfer with a SIP error. The SDK does not decode errors: its
 * caller reads the Twirp error body, whose meta carries sip_status_code, sip_status and
 * error_details (a base64 google.rpc.Status wrapping a livekit.SIPStatus), decoded here with the
 * SDK's own protobuf classes.
 *
 * <p>Ours answers as the reference documents the original: 486 and 480 are resource_exhausted (429,
 * gRPC code 8) and msg keeps xtwirp's "twirp error unknown: " prefix. The newest original on the Go
 * proxy (protocol v1.53.1) maps them to failed_precondition (412, gRPC code 9) and drops the
 * prefix; both are listed intended differences.
 */
class SipStatusTest {
  private static final String PREFIX = Target.original() ? "" : "twirp error unknown: ";

  record Case(
      Map<String, Object> sipStatus,
      int status,
      String code,
      int grpcCode,
      String msg,
      String metaStatus,
      SIPStatusCode sipCode,
      String detailStatus,
      String detailMessage) {
    @Override
    public String toString() {
      return sipStatus.toString();
    }
  }

  static Stream<Case> cases() {
    boolean busyIsPrecondition = Target.original();
    return Stream.of(
        new Case(
            Json.object("code", 486, "status", "Busy Here"),
            busyIsPrecondition ? 412 : 429,
            busyIsPrecondition ? "failed_precondition" : "resource_exhausted",
            busyIsPrecondition ? 9 : 8,
            PREFIX + "sip status: 486: Busy Here",
            "Busy Here",
            SIPStatusCode.SIP_STATUS_BUSY_HERE,
            "Busy Here",
            "sip status 486: Busy Here"),
        new Case(
            Json.object("code", 480),
            busyIsPrecondition ? 412 : 429,
            busyIsPrecondition ? "failed_precondition" : "resource_exhausted",
            busyIsPrecondition ? 9 : 8,
            PREFIX + "sip status: 480 (TEMPORARILY_UNAVAILABLE)",
            "SIP_STATUS_TEMPORARILY_UNAVAILABLE",
            SIPStatusCode.SIP_STATUS_TEMPORARILY_UNAVAILABLE,
            "",
            "sip status 480: TEMPORARILY_UNAVAILABLE"),
        new Case(
            Json.object("code", 603),
            403,
            "permission_denied",
            7,
            PREFIX + "sip status: 603 (GLOBAL_DECLINE)",
            "SIP_STATUS_GLOBAL_DECLINE",
            SIPStatusCode.SIP_STATUS_GLOBAL_DECLINE,
            "",
            "sip status 603: GLOBAL_DECLINE"),
        new Case(
            Json.object("code", 404, "status", "Not Found"),
            404,
            "not_found",
            5,
            PREFIX + "sip status: 404: Not Found",
            "Not Found",
            SIPStatusCode.SIP_STATUS_NOTFOUND,
            "Not Found",
            "sip status 404: Not Found"),
        new Case(
            Json.object("code", 487),
            409,
            "aborted",
            10,
            PREFIX + "sip status: 487 (REQUEST_TERMINATED)",
            "SIP_STATUS_REQUEST_TERMINATED",
            SIPStatusCode.SIP_STATUS_REQUEST_TERMINATED,
            "",
            "sip status 487: REQUEST_TERMINATED"),
        new Case(
            Json.object("code", 600, "status", "Busy Everywhere"),
            429,
            "resource_exhausted",
            8,
            PREFIX + "sip status: 600: Busy Everywhere",
            "Busy Everywhere",
            SIPStatusCode.SIP_STATUS_GLOBAL_BUSY_EVERYWHERE,
            "Busy Everywhere",
            "sip status 600: Busy Everywhere"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void aSipStatusFailsTheDialWithItsTwirpErrorAndDetails(Case c) throws Exception {
    Calls.TwirpError error =
        failure(
            Sdk.control(Json.object("sipStatus", c.sipStatus()))
                .sip()
                .createSipParticipant(
                    "ST_abc",
                    "+15551234567",
                    "call-room",
                    new CreateSipParticipantOptions("caller", null, null, null, null, null, null, null)));
    assertSipError(c, error);
  }

  @Test
  void aSipStatusAlsoFailsATransfer() throws Exception {
    Case c = cases().filter(x -> x.sipCode() == SIPStatusCode.SIP_STATUS_GLOBAL_DECLINE).findFirst().orElseThrow();
    Calls.TwirpError error =
        failure(
            Sdk.control(Json.object("sipStatus", c.sipStatus(), "delayMs", 0))
                .sip()
                .transferSipParticipant("call-room", "caller", "tel:+15557654321", new TransferSipParticipantOptions()));
    assertSipError(c, error);
  }

  @Test
  void aSipStatusDoesNotAffectOtherMethods() throws Exception {
    List<?> rooms = Calls.ok(Sdk.control(Json.object("sipStatus", Json.object("code", 486))).room().listRooms());
    assertEquals(1, rooms.size());
  }

  private static void assertSipError(Case c, Calls.TwirpError error) throws Exception {
    error.assertIs(c.status(), c.code(), c.msg());
    assertEquals(List.of("error_details", "sip_status", "sip_status_code"), error.meta().keySet().stream().sorted().toList());
    assertEquals(String.valueOf(c.sipCode().getNumber()), error.meta().get("sip_status_code"));
    assertEquals(c.metaStatus(), error.meta().get("sip_status"));

    // google.rpc.Status: 1 code, 2 message, 3 details (Any: 1 type_url, 2 value).
    UnknownFieldSet status = UnknownFieldSet.parseFrom(Base64.getDecoder().decode(error.meta().get("error_details")));
    assertEquals(List.of((long) c.grpcCode()), status.getField(1).getVarintList());
    assertEquals(List.of(ByteString.copyFromUtf8(c.detailMessage())), status.getField(2).getLengthDelimitedList());
    List<ByteString> details = status.getField(3).getLengthDelimitedList();
    assertEquals(1, details.size(), "one detail");
    UnknownFieldSet any = UnknownFieldSet.parseFrom(details.get(0));
    assertEquals("type.googleapis.com/livekit.SIPStatus", any.getField(1).getLengthDelimitedList().get(0).toStringUtf8());
    Protos.assertProto(
        SIPStatus.newBuilder().setCode(c.sipCode()).setStatus(c.detailStatus()).build(),
        SIPStatus.parseFrom(any.getField(2).getLengthDelimitedList().get(0)));
  }
}

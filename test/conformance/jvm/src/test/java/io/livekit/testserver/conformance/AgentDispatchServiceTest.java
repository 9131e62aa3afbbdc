package io.livekit.testserver.conformance;

import static io.livekit.testserver.conformance.Calls.ok;
import static io.livekit.testserver.conformance.Protos.assertProto;
import static io.livekit.testserver.conformance.Protos.assertProtos;

import io.livekit.server.AgentDispatchServiceClient;
import java.util.List;
import livekit.LivekitAgentDispatch.AgentDispatch;
import livekit.LivekitAgentDispatch.JobRestartPolicy;
import org.junit.jupiter.api.Test;

/**
 * Every AgentDispatchServiceClient method. The servers differ here on purpose: the original has no
 * handler for this service and answers an empty success after its roomAdmin check; ours populates
 * the reply like every other service's.
 */
class AgentDispatchServiceTest {
  private final AgentDispatchServiceClient dispatch = Sdk.plain().agentDispatch();

  @Test
  void createDispatchEchoesRoomAgentNameAndMetadata() throws Exception {
    AgentDispatch expected =
        Target.original()
            ? AgentDispatch.getDefaultInstance()
            : AgentDispatch.newBuilder()
                .setId("MOCK_ID")
                .setAgentName("agent-x")
                .setRoom("room-a")
                .setMetadata("md")
                .build();
    assertProto(expected, ok(dispatch.createDispatch("room-a", "agent-x", "md", JobRestartPolicy.JRP_NEVER)));
  }

  @Test
  void deleteDispatchEchoesTheRoomAndFillsTheId() throws Exception {
    // The request carries `dispatch_id`, the reply `id`: no echo, a placeholder.
    AgentDispatch expected =
        Target.original()
            ? AgentDispatch.getDefaultInstance()
            : AgentDispatch.newBuilder().setId("MOCK_ID").setRoom("room-a").build();
    assertProto(expected, ok(dispatch.deleteDispatch("room-a", "AD_1")));
  }

  @Test
  void listDispatchReturnsOnePlaceholderDispatch() throws Exception {
    List<AgentDispatch> expected =
        Target.original() ? List.of() : List.of(AgentDispatch.newBuilder().setId("MOCK_ID").build());
    assertProtos(expected, ok(dispatch.listDispatch("room-a")));
  }
}

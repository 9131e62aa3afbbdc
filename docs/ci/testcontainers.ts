import { GenericContainer, Wait, type StartedTestContainer } from "testcontainers";

/**
 * The server in a container, region i on host port hostPorts[i]. The ports are chosen up front
 * so that /settings/regions can advertise them (a port Docker picks is known only after start).
 */
export function startTestServer(hostPorts: readonly number[], image = "ghcr.io/your-org/livekit-test-server:0"): Promise<StartedTestContainer> {
  return new GenericContainer(image)
    .withExposedPorts(...hostPorts.map((host, i) => ({ container: 9999 + i, host })))
    .withEnvironment({ LK_TEST_SERVER_ADVERTISE_URLS: hostPorts.join(",") })
    .withWaitStrategy(Wait.forHttp("/_test/health", 9999))
    .start();
}

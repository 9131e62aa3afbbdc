// Testcontainers for Go: the server in a container for a test package, region i on host port
// hostPorts[i]. The ports are chosen up front so that /settings/regions can advertise them.
package livekit_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

const image = "ghcr.io/your-org/livekit-test-server:0"

// startTestServer starts the server and returns the URL of region 0; it stops with the test.
func startTestServer(t *testing.T, hostPorts [4]int) string {
	t.Helper()
	ctx := context.Background()
	exposed := make([]string, len(hostPorts))
	advertised := make([]string, len(hostPorts))
	for i, port := range hostPorts {
		exposed[i] = fmt.Sprintf("%d:%d/tcp", port, 9999+i)
		advertised[i] = fmt.Sprint(port)
	}
	container, err := testcontainers.GenericContainer(ctx, testcontainers.GenericContainerRequest{
		ContainerRequest: testcontainers.ContainerRequest{
			Image:        image,
			ExposedPorts: exposed,
			Env:          map[string]string{"LK_TEST_SERVER_ADVERTISE_URLS": strings.Join(advertised, ",")},
			WaitingFor:   wait.ForHTTP("/_test/health").WithPort("9999/tcp"),
		},
		Started: true,
	})
	testcontainers.CleanupContainer(t, container)
	if err != nil {
		t.Fatal(err)
	}
	host, err := container.Host(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("http://%s:%d", host, hostPorts[0])
}

func TestRooms(t *testing.T) {
	url := startTestServer(t, [4]int{29999, 30000, 30001, 30002})
	t.Logf("LiveKit at %s", url)
	// … lksdk.NewRoomServiceClient(url, "devkey", "secret") and the tests …
}

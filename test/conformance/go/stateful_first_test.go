//go:build stateful

package conformance

import (
	"context"
	"os"
	"testing"

	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
)

// The first test of docs/stateful.md, run as shown against `livekit-test-server --stateful` and the
// real LiveKit server (LIVEKIT_URL, e.g. http://localhost:7880).
func TestStatefulFirst(t *testing.T) {
	rc := lksdk.NewRoomServiceClient(os.Getenv("LIVEKIT_URL"), "devkey", "secret")
	c := context.Background()

	room, err := rc.CreateRoom(c, &livekit.CreateRoomRequest{Name: "first-test", Metadata: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	listed, err := rc.ListRooms(c, &livekit.ListRoomsRequest{Names: []string{"first-test"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(listed.Rooms) != 1 || listed.Rooms[0].Sid != room.Sid || listed.Rooms[0].Metadata != "hello" {
		t.Fatalf("ListRooms = %v, want the room just created", listed.Rooms)
	}
	participants, err := rc.ListParticipants(c, &livekit.ListParticipantsRequest{Room: "first-test"})
	if err != nil {
		t.Fatal(err)
	}
	if len(participants.Participants) != 0 {
		t.Fatalf("a new room has participants: %v", participants.Participants)
	}
	if _, err := rc.DeleteRoom(c, &livekit.DeleteRoomRequest{Room: "first-test"}); err != nil {
		t.Fatal(err)
	}
}

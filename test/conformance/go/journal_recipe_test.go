package conformance

import (
	"context"
	"net/http"
	"testing"

	"github.com/twitchtv/twirp"

	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
)

// The Go recipe of docs/journal.md ("A failover test with only the header and
// the journal"): the SDK's own failover, seen through the journal alone.
func TestJournalRecipeFailover(t *testing.T) {
	s := srv(t)
	if s.original() {
		t.Skip("the journal is not in the original test server")
	}
	key := journalKey(t)
	rc := lksdk.NewRoomServiceClient(cloudURL(t, s), s.Key, s.Secret)
	c, err := twirp.WithHTTPRequestHeaders(context.Background(), http.Header{
		"X-Lk-Mock": {`{"failRegions":[0,1],"journal":"` + key + `"}`},
	})
	must(t, "twirp.WithHTTPRequestHeaders", err)

	_, err = rc.ListRooms(c, &livekit.ListRoomsRequest{})

	// Three attempts, and region 2 is never reached: after the project host the
	// SDK tries the listed regions in order, and region 0's own URL is the first
	// it has not tried by name (see TestFaultsWithFailover).
	te := twirpErr(t, "ListRooms", err, twirp.Unavailable)
	wantMsg(t, "ListRooms", te, "mock failure (status 503)")
	wantJournal(t, s, key,
		"region-0 livekit.RoomService/ListRooms 503",
		"region-0 regions 200", // the SDK's region discovery
		"region-0 livekit.RoomService/ListRooms 503",
		"region-1 livekit.RoomService/ListRooms 503")
}

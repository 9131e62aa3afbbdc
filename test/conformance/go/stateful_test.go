//go:build stateful

package conformance

// The stateful mode through server-sdk-go, as an application's test suite uses it: devkey /
// secret, no control header, one world that every call shares. It runs against ours started with
// --stateful and against the real LiveKit server (LK_TEST_SERVER_TARGET=ours|real), with the same
// expectations:
//
//	LK_TEST_SERVER_URL=http://127.0.0.1:7880 test/conformance/go/run.sh -tags stateful -run TestStateful

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/twitchtv/twirp"
	"google.golang.org/protobuf/proto"

	"github.com/livekit/protocol/auth"
	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
)

// uniqueRoom names a room no other test or run uses: the world outlives a test.
func uniqueRoom(what string) string {
	return fmt.Sprintf("go-%s-%d", what, time.Now().UnixNano())
}

// eventually polls read until done holds or 10 s pass; the real server applies some changes a
// moment after it answers.
func eventually[T any](t *testing.T, read func() (T, error), done func(T) bool) T {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		v, err := read()
		must(t, "eventually", err)
		if done(v) || time.Now().After(deadline) {
			return v
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestStatefulRoomService(t *testing.T) {
	s := srv(t)
	rc := lksdk.NewRoomServiceClient(s.URL, s.Key, s.Secret)
	name := uniqueRoom("crud")
	unknown := uniqueRoom("unknown")

	created, err := rc.CreateRoom(ctx(t, nil), &livekit.CreateRoomRequest{Name: name, Metadata: "one", EmptyTimeout: 60})
	must(t, "CreateRoom", err)
	if !strings.HasPrefix(created.Sid, "RM_") || created.Name != name || created.Metadata != "one" ||
		created.EmptyTimeout != 60 || created.DepartureTimeout != 20 {
		t.Fatalf("CreateRoom: %v", created)
	}
	again, err := rc.CreateRoom(ctx(t, nil), &livekit.CreateRoomRequest{Name: name, Metadata: "two", EmptyTimeout: 5})
	must(t, "CreateRoom again", err)
	if again.Sid != created.Sid || again.Metadata != "one" || again.EmptyTimeout != 60 {
		t.Errorf("CreateRoom with an existing name: %v, want the existing room unchanged", again)
	}

	listed, err := rc.ListRooms(ctx(t, nil), &livekit.ListRoomsRequest{Names: []string{name, unknown}})
	must(t, "ListRooms", err)
	if len(listed.Rooms) != 1 || listed.Rooms[0].Sid != created.Sid {
		t.Errorf("ListRooms(names) = %v, want the one room", listed.Rooms)
	}
	none, err := rc.ListRooms(ctx(t, nil), &livekit.ListRoomsRequest{Names: []string{unknown}})
	must(t, "ListRooms unknown", err)
	if len(none.Rooms) != 0 {
		t.Errorf("ListRooms(unknown) = %v, want none", none.Rooms)
	}
	participants, err := rc.ListParticipants(ctx(t, nil), &livekit.ListParticipantsRequest{Room: name})
	must(t, "ListParticipants", err)
	if len(participants.Participants) != 0 {
		t.Errorf("a new room has participants: %v", participants.Participants)
	}

	updated, err := rc.UpdateRoomMetadata(ctx(t, nil), &livekit.UpdateRoomMetadataRequest{Room: name, Metadata: "three"})
	must(t, "UpdateRoomMetadata", err)
	if updated.Sid != created.Sid || updated.Metadata != "three" {
		t.Errorf("UpdateRoomMetadata = %v", updated)
	}

	_, err = rc.DeleteRoom(ctx(t, nil), &livekit.DeleteRoomRequest{Room: name})
	must(t, "DeleteRoom", err)
	gone := eventually(t, func() (*livekit.ListRoomsResponse, error) {
		return rc.ListRooms(ctx(t, nil), &livekit.ListRoomsRequest{Names: []string{name}})
	}, func(r *livekit.ListRoomsResponse) bool { return len(r.Rooms) == 0 })
	if len(gone.Rooms) != 0 {
		t.Errorf("the deleted room is still listed: %v", gone.Rooms)
	}

	// Each error, as the real server answers it.
	_, err = rc.DeleteRoom(ctx(t, nil), &livekit.DeleteRoomRequest{Room: name})
	wantMsg(t, "DeleteRoom missing", twirpErr(t, "DeleteRoom missing", err, twirp.NotFound), "twirp error unknown: requested room does not exist")
	_, err = rc.UpdateRoomMetadata(ctx(t, nil), &livekit.UpdateRoomMetadataRequest{Room: name, Metadata: "x"})
	wantMsg(t, "UpdateRoomMetadata missing", twirpErr(t, "UpdateRoomMetadata missing", err, twirp.NotFound),
		"twirp error unknown: requested room does not exist")
	_, err = rc.GetParticipant(ctx(t, nil), &livekit.RoomParticipantIdentity{Room: name, Identity: "nobody"})
	wantMsg(t, "GetParticipant missing", twirpErr(t, "GetParticipant missing", err, twirp.NotFound), "twirp error unknown: participant does not exist")
	_, err = rc.RemoveParticipant(ctx(t, nil), &livekit.RoomParticipantIdentity{Room: name, Identity: "nobody"})
	wantMsg(t, "RemoveParticipant missing", twirpErr(t, "RemoveParticipant missing", err, twirp.NotFound), "twirp error unknown: participant does not exist")
	_, err = rc.UpdateParticipant(ctx(t, nil), &livekit.UpdateParticipantRequest{Room: name, Identity: "nobody", Metadata: "m"})
	wantMsg(t, "UpdateParticipant missing", twirpErr(t, "UpdateParticipant missing", err, twirp.NotFound), "twirp error unknown: participant does not exist")
	_, err = rc.CreateRoom(ctx(t, nil), &livekit.CreateRoomRequest{Name: strings.Repeat("x", 257)})
	wantMsg(t, "CreateRoom long name", twirpErr(t, "CreateRoom long name", err, twirp.InvalidArgument),
		"twirp error unknown: room name length exceeds limits: max length 256")
}

// signalConn is a signal WebSocket that keeps every SignalResponse it reads.
type signalConn struct {
	ws       *websocket.Conn
	mu       sync.Mutex
	received []*livekit.SignalResponse
	closed   chan int
}

func joinRoom(t *testing.T, s server, room, identity, metadata string) *signalConn {
	t.Helper()
	at := auth.NewAccessToken(s.Key, s.Secret).SetIdentity(identity).SetName(identity + " name").SetMetadata(metadata).
		SetVideoGrant(&auth.VideoGrant{RoomJoin: true, Room: room})
	jwt, err := at.ToJWT()
	must(t, "sign join token", err)
	u := strings.Replace(s.URL, "http", "ws", 1) + "/rtc?" + url.Values{"access_token": {jwt}, "protocol": {"16"}}.Encode()
	ws, _, err := websocket.DefaultDialer.Dial(u, nil)
	must(t, "dial /rtc", err)
	c := &signalConn{ws: ws, closed: make(chan int, 1)}
	go func() {
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				code := 1006
				if ce, ok := err.(*websocket.CloseError); ok {
					code = ce.Code
				}
				c.closed <- code
				return
			}
			msg := &livekit.SignalResponse{}
			if proto.Unmarshal(data, msg) == nil {
				c.mu.Lock()
				c.received = append(c.received, msg)
				c.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() { _ = ws.Close() })
	return c
}

// heard waits up to 10 s for a message that match accepts.
func (c *signalConn) heard(t *testing.T, what string, match func(*livekit.SignalResponse) bool) *livekit.SignalResponse {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		for _, m := range c.received {
			if match(m) {
				c.mu.Unlock()
				return m
			}
		}
		c.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("never heard %s", what)
	return nil
}

func TestStatefulSignalJoin(t *testing.T) {
	s := srv(t)
	rc := lksdk.NewRoomServiceClient(s.URL, s.Key, s.Secret)
	room := uniqueRoom("join")
	alice := joinRoom(t, s, room, "alice", "hello")
	join := alice.heard(t, "the join", func(m *livekit.SignalResponse) bool { return m.GetJoin() != nil }).GetJoin()
	if join.Room.GetName() != room || join.Participant.GetIdentity() != "alice" {
		t.Fatalf("join: room %q participant %q", join.Room.GetName(), join.Participant.GetIdentity())
	}

	listed := eventually(t, func() (*livekit.ListParticipantsResponse, error) {
		return rc.ListParticipants(ctx(t, nil), &livekit.ListParticipantsRequest{Room: room})
	}, func(r *livekit.ListParticipantsResponse) bool { return len(r.Participants) == 1 })
	if len(listed.Participants) != 1 {
		t.Fatalf("ListParticipants = %v, want alice", listed.Participants)
	}
	p := listed.Participants[0]
	if p.Identity != "alice" || p.Name != "alice name" || p.Metadata != "hello" || p.State != livekit.ParticipantInfo_JOINED ||
		p.Sid != join.Participant.GetSid() || !strings.HasPrefix(p.Sid, "PA_") {
		t.Errorf("listed participant = %v", p)
	}

	updated, err := rc.UpdateParticipant(ctx(t, nil), &livekit.UpdateParticipantRequest{Room: room, Identity: "alice", Metadata: "changed"})
	must(t, "UpdateParticipant", err)
	if updated.Metadata != "changed" {
		t.Errorf("UpdateParticipant = %v", updated)
	}
	alice.heard(t, "the update", func(m *livekit.SignalResponse) bool {
		for _, up := range m.GetUpdate().GetParticipants() {
			if up.Identity == "alice" && up.Metadata == "changed" {
				return true
			}
		}
		return false
	})

	_, err = rc.RemoveParticipant(ctx(t, nil), &livekit.RoomParticipantIdentity{Room: room, Identity: "alice"})
	must(t, "RemoveParticipant", err)
	leave := alice.heard(t, "the leave", func(m *livekit.SignalResponse) bool { return m.GetLeave() != nil }).GetLeave()
	if leave.Reason != livekit.DisconnectReason_PARTICIPANT_REMOVED {
		t.Errorf("leave reason = %v, want PARTICIPANT_REMOVED", leave.Reason)
	}
	select {
	case code := <-alice.closed:
		if code != websocket.CloseNormalClosure {
			t.Errorf("the socket closed with %d, want 1000", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the removed participant's socket stayed open")
	}
	after := eventually(t, func() (*livekit.ListParticipantsResponse, error) {
		return rc.ListParticipants(ctx(t, nil), &livekit.ListParticipantsRequest{Room: room})
	}, func(r *livekit.ListParticipantsResponse) bool { return len(r.Participants) == 0 })
	if len(after.Participants) != 0 {
		t.Errorf("the removed participant is still listed: %v", after.Participants)
	}
	_, err = rc.DeleteRoom(ctx(t, nil), &livekit.DeleteRoomRequest{Room: room})
	must(t, "DeleteRoom", err)
}

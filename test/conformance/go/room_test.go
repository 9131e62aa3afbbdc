package conformance

import (
	"net/http"
	"testing"

	"github.com/livekit/protocol/auth"
	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
)

// Every RoomServiceClient method, with per-call auto-signed tokens
// (docs/spec/twirp.md#populate, with the results of docs/spec/twirp.md#populate-examples and
// docs/spec/twirp.md#empty-requests).
func TestRoomService(t *testing.T) {
	s := srv(t)
	rc := lksdk.NewRoomServiceClient(s.URL, s.Key, s.Secret)

	t.Run("CreateRoom", func(t *testing.T) {
		got, err := rc.CreateRoom(ctx(t, nil), &livekit.CreateRoomRequest{
			Name: "conf-room", Metadata: "meta", EmptyTimeout: 30, DepartureTimeout: 7,
			MaxParticipants: 9, NodeId: "node-x",
		})
		must(t, "CreateRoom", err)
		eq(t, "CreateRoom", &livekit.Room{
			Sid: "MOCK_SID", Name: "conf-room", EmptyTimeout: 30, DepartureTimeout: 7,
			MaxParticipants: 9, EnabledCodecs: []*livekit.Codec{{}}, Metadata: "meta",
		}, got)
	})
	t.Run("CreateRoom/empty", func(t *testing.T) {
		got, err := rc.CreateRoom(ctx(t, nil), &livekit.CreateRoomRequest{})
		must(t, "CreateRoom", err)
		eq(t, "CreateRoom", &livekit.Room{Sid: "MOCK_SID", EnabledCodecs: []*livekit.Codec{{}}}, got)
	})
	t.Run("ListRooms", func(t *testing.T) {
		got, err := rc.ListRooms(ctx(t, nil), &livekit.ListRoomsRequest{Names: []string{"a", "b"}})
		must(t, "ListRooms", err)
		eq(t, "ListRooms", &livekit.ListRoomsResponse{Rooms: []*livekit.Room{{Sid: "MOCK_SID"}}}, got)
	})
	t.Run("DeleteRoom", func(t *testing.T) {
		got, err := rc.DeleteRoom(ctx(t, nil), &livekit.DeleteRoomRequest{Room: "conf-room"})
		must(t, "DeleteRoom", err)
		eq(t, "DeleteRoom", &livekit.DeleteRoomResponse{}, got)
	})
	t.Run("ListParticipants", func(t *testing.T) {
		got, err := rc.ListParticipants(ctx(t, nil), &livekit.ListParticipantsRequest{Room: "conf-room"})
		must(t, "ListParticipants", err)
		eq(t, "ListParticipants", &livekit.ListParticipantsResponse{
			Participants: []*livekit.ParticipantInfo{{Sid: "MOCK_SID"}},
		}, got)
	})
	t.Run("GetParticipant", func(t *testing.T) {
		got, err := rc.GetParticipant(ctx(t, nil), &livekit.RoomParticipantIdentity{Room: "conf-room", Identity: "alice"})
		must(t, "GetParticipant", err)
		eq(t, "GetParticipant", &livekit.ParticipantInfo{
			Sid: "MOCK_SID", Identity: "alice",
			Tracks:     []*livekit.TrackInfo{{Sid: "MOCK_SID"}},
			DataTracks: []*livekit.DataTrackInfo{{Sid: "MOCK_SID"}},
		}, got)
	})
	t.Run("RemoveParticipant", func(t *testing.T) {
		got, err := rc.RemoveParticipant(ctx(t, nil), &livekit.RoomParticipantIdentity{Room: "conf-room", Identity: "alice"})
		must(t, "RemoveParticipant", err)
		eq(t, "RemoveParticipant", &livekit.RemoveParticipantResponse{}, got)
	})
	t.Run("ForwardParticipant", func(t *testing.T) {
		got, err := rc.ForwardParticipant(ctx(t, nil), &livekit.ForwardParticipantRequest{
			Room: "conf-room", Identity: "alice", DestinationRoom: "other-room",
		})
		must(t, "ForwardParticipant", err)
		eq(t, "ForwardParticipant", &livekit.ForwardParticipantResponse{}, got)
	})
	t.Run("MoveParticipant", func(t *testing.T) {
		got, err := rc.MoveParticipant(ctx(t, nil), &livekit.MoveParticipantRequest{
			Room: "conf-room", Identity: "alice", DestinationRoom: "other-room",
		})
		must(t, "MoveParticipant", err)
		eq(t, "MoveParticipant", &livekit.MoveParticipantResponse{}, got)
	})
	t.Run("MutePublishedTrack", func(t *testing.T) {
		got, err := rc.MutePublishedTrack(ctx(t, nil), &livekit.MuteRoomTrackRequest{
			Room: "conf-room", Identity: "alice", TrackSid: "TR_abc", Muted: true,
		})
		must(t, "MutePublishedTrack", err)
		// track is a singular message field: never populated.
		eq(t, "MutePublishedTrack", &livekit.MuteRoomTrackResponse{}, got)
	})
	t.Run("UpdateParticipant", func(t *testing.T) {
		got, err := rc.UpdateParticipant(ctx(t, nil), &livekit.UpdateParticipantRequest{
			Room: "conf-room", Identity: "alice", Metadata: "md", Name: "Alice",
			Attributes: map[string]string{"k": "v"},
		})
		must(t, "UpdateParticipant", err)
		eq(t, "UpdateParticipant", &livekit.ParticipantInfo{
			Sid: "MOCK_SID", Identity: "alice", Metadata: "md", Name: "Alice",
			Tracks:     []*livekit.TrackInfo{{Sid: "MOCK_SID"}},
			DataTracks: []*livekit.DataTrackInfo{{Sid: "MOCK_SID"}},
		}, got)
	})
	t.Run("UpdateSubscriptions", func(t *testing.T) {
		got, err := rc.UpdateSubscriptions(ctx(t, nil), &livekit.UpdateSubscriptionsRequest{
			Room: "conf-room", Identity: "alice", TrackSids: []string{"TR_abc"}, Subscribe: true,
		})
		must(t, "UpdateSubscriptions", err)
		eq(t, "UpdateSubscriptions", &livekit.UpdateSubscriptionsResponse{}, got)
	})
	t.Run("UpdateRoomMetadata", func(t *testing.T) {
		got, err := rc.UpdateRoomMetadata(ctx(t, nil), &livekit.UpdateRoomMetadataRequest{Room: "conf-room", Metadata: "new-md"})
		must(t, "UpdateRoomMetadata", err)
		// Room.name is not echoed: the request field is called "room".
		eq(t, "UpdateRoomMetadata", &livekit.Room{
			Sid: "MOCK_SID", EnabledCodecs: []*livekit.Codec{{}}, Metadata: "new-md",
		}, got)
	})
	t.Run("SendData", func(t *testing.T) {
		got, err := rc.SendData(ctx(t, nil), &livekit.SendDataRequest{
			Room: "conf-room", Data: []byte("hello"), Kind: livekit.DataPacket_RELIABLE, Topic: new(string),
		})
		must(t, "SendData", err)
		eq(t, "SendData", &livekit.SendDataResponse{}, got)
	})
	t.Run("CreateToken", func(t *testing.T) {
		// A token built with the client's CreateToken is accepted for a call it grants.
		tok, err := rc.CreateToken().SetIdentity("admin").SetVideoGrant(&auth.VideoGrant{RoomList: true}).ToJWT()
		must(t, "CreateToken.ToJWT", err)
		got, err := apiWithToken(t, s, tok).Room().ListRooms(ctx(t, nil), &livekit.ListRoomsRequest{})
		must(t, "ListRooms with CreateToken token", err)
		eq(t, "ListRooms", &livekit.ListRoomsResponse{Rooms: []*livekit.Room{{Sid: "MOCK_SID"}}}, got)
	})
}

// RoomService.PerformRpc is registered by the server but has no RoomServiceClient
// method, so it is called through the generated protobuf client.
func TestRoomServicePerformRpc(t *testing.T) {
	s := srv(t)
	tok := token(t, s, &auth.VideoGrant{RoomAdmin: true, Room: "conf-room"}, nil)
	c := livekit.NewRoomServiceProtobufClient(s.URL, http.DefaultClient)
	got, err := c.PerformRpc(ctxHeaders(t, nil, bearer(tok)), &livekit.PerformRpcRequest{
		Room: "conf-room", DestinationIdentity: "alice", Method: "greet", Payload: "p",
	})
	must(t, "PerformRpc", err)
	eq(t, "PerformRpc", &livekit.PerformRpcResponse{Payload: "p"}, got)
}

// The JSON flavour of the generated client exercises the server's JSON mode.
func TestRoomServiceJSONClient(t *testing.T) {
	s := srv(t)
	tok := token(t, s, &auth.VideoGrant{RoomCreate: true, RoomList: true}, nil)
	c := livekit.NewRoomServiceJSONClient(s.URL, http.DefaultClient)
	got, err := c.CreateRoom(ctxHeaders(t, nil, bearer(tok)), &livekit.CreateRoomRequest{
		Name: "my-room", Metadata: "meta", EmptyTimeout: 30,
	})
	must(t, "CreateRoom (JSON)", err)
	eq(t, "CreateRoom (JSON)", &livekit.Room{
		Sid: "MOCK_SID", Name: "my-room", EmptyTimeout: 30, EnabledCodecs: []*livekit.Codec{{}}, Metadata: "meta",
	}, got)
	list, err := c.ListRooms(ctxHeaders(t, nil, bearer(tok)), &livekit.ListRoomsRequest{})
	must(t, "ListRooms (JSON)", err)
	eq(t, "ListRooms (JSON)", &livekit.ListRoomsResponse{Rooms: []*livekit.Room{{Sid: "MOCK_SID"}}}, list)
}

package conformance

import (
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/livekit/protocol/auth"
	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
)

// A token signed with the wrong secret is rejected with 401 unauthenticated on
// every service (docs/spec/auth.md#grant-check).
func TestAuthWrongSecret(t *testing.T) {
	s := srv(t)
	bad := s.Secret + "-wrong"
	c := ctx(t, nil)
	_, err := lksdk.NewRoomServiceClient(s.URL, s.Key, bad).ListRooms(c, &livekit.ListRoomsRequest{})
	wantUnauthenticated(t, "RoomService.ListRooms", err)
	_, err = lksdk.NewEgressClient(s.URL, s.Key, bad).ListEgress(c, &livekit.ListEgressRequest{})
	wantUnauthenticated(t, "Egress.ListEgress", err)
	_, err = lksdk.NewIngressClient(s.URL, s.Key, bad).ListIngress(c, &livekit.ListIngressRequest{})
	wantUnauthenticated(t, "Ingress.ListIngress", err)
	_, err = lksdk.NewSIPClient(s.URL, s.Key, bad).ListSIPInboundTrunk(c, &livekit.ListSIPInboundTrunkRequest{})
	wantUnauthenticated(t, "SIP.ListSIPInboundTrunk", err)
	_, err = lksdk.NewAgentDispatchServiceClient(s.URL, s.Key, bad).ListDispatch(c, &livekit.ListAgentDispatchRequest{Room: "r"})
	wantUnauthenticated(t, "AgentDispatchService.ListDispatch", err)
	_, err = lksdk.NewConnectorClient(s.URL, s.Key, bad).ConnectTwilioCall(c, &livekit.ConnectTwilioCallRequest{})
	wantUnauthenticated(t, "Connector.ConnectTwilioCall", err)
}

// Missing, garbage and expired tokens are 401; the API key (iss) is not checked;
// a bare JWT without "Bearer " is accepted by the mock.
func TestAuthTokenForms(t *testing.T) {
	s := srv(t)
	rc := livekit.NewRoomServiceProtobufClient(s.URL, http.DefaultClient)
	good := token(t, s, &auth.VideoGrant{RoomList: true}, nil)

	_, err := rc.ListRooms(ctx(t, nil), &livekit.ListRoomsRequest{})
	wantUnauthenticated(t, "no Authorization header", err)

	_, err = rc.ListRooms(ctxHeaders(t, nil, bearer("not.a.jwt")), &livekit.ListRoomsRequest{})
	wantUnauthenticated(t, "garbage token", err)

	_, err = rc.ListRooms(ctxHeaders(t, nil, bearer(rawToken(t, s.Secret, -2*time.Minute))), &livekit.ListRoomsRequest{})
	wantUnauthenticated(t, "token expired 2 min ago", err)

	// exp is checked with 60 s of leeway: 20 s past expiry still verifies.
	_, err = rc.ListRooms(ctxHeaders(t, nil, bearer(rawToken(t, s.Secret, -20*time.Second))), &livekit.ListRoomsRequest{})
	must(t, "token expired 20 s ago (within leeway)", err)

	unknownKey, err := auth.NewAccessToken("some-other-key", s.Secret).SetVideoGrant(&auth.VideoGrant{RoomList: true}).ToJWT()
	must(t, "sign token", err)
	_, err = rc.ListRooms(ctxHeaders(t, nil, bearer(unknownKey)), &livekit.ListRoomsRequest{})
	must(t, "token with another API key but the right secret", err)

	_, err = rc.ListRooms(ctxHeaders(t, nil, http.Header{"Authorization": {good}}), &livekit.ListRoomsRequest{})
	must(t, "bare JWT without Bearer prefix", err)
}

// rawToken hand-signs an HS256 token with roomList whose exp is now+expIn.
func rawToken(t *testing.T, secret string, expIn time.Duration) string {
	t.Helper()
	now := time.Now()
	claims := jwt.MapClaims{
		"iss":   "devkey",
		"sub":   "conformance",
		"nbf":   now.Add(-5 * time.Minute).Unix(),
		"exp":   now.Add(expIn).Unix(),
		"video": map[string]any{"roomList": true},
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(secret))
	must(t, "sign raw token", err)
	return tok
}

// A valid token lacking the method's grant gets 403 permission_denied
// (docs/spec/auth.md#grant-check, docs/spec/auth.md#grant-table), via the SDK's WithToken option.
func TestAuthMissingGrant(t *testing.T) {
	s := srv(t)
	api := func(video *auth.VideoGrant, sip *auth.SIPGrant) *lksdk.LiveKitAPI {
		return apiWithToken(t, s, token(t, s, video, sip))
	}
	var err error

	_, err = api(&auth.VideoGrant{RoomList: true}, nil).Room().CreateRoom(ctx(t, nil), &livekit.CreateRoomRequest{Name: "r"})
	wantPermissionDenied(t, s, "CreateRoom without roomCreate", err)
	_, err = api(&auth.VideoGrant{RoomList: true}, nil).Room().DeleteRoom(ctx(t, nil), &livekit.DeleteRoomRequest{Room: "r"})
	wantPermissionDenied(t, s, "DeleteRoom without roomCreate", err)
	_, err = api(&auth.VideoGrant{RoomCreate: true}, nil).Room().ListRooms(ctx(t, nil), &livekit.ListRoomsRequest{})
	wantPermissionDenied(t, s, "ListRooms without roomList", err)
	_, err = api(&auth.VideoGrant{RoomCreate: true, RoomList: true}, nil).Room().ListParticipants(ctx(t, nil), &livekit.ListParticipantsRequest{Room: "r"})
	wantPermissionDenied(t, s, "ListParticipants without roomAdmin", err)
	_, err = api(&auth.VideoGrant{RoomAdmin: true}, nil).Egress().ListEgress(ctx(t, nil), &livekit.ListEgressRequest{})
	wantPermissionDenied(t, s, "ListEgress without roomRecord", err)
	_, err = api(&auth.VideoGrant{RoomRecord: true}, nil).Ingress().ListIngress(ctx(t, nil), &livekit.ListIngressRequest{})
	wantPermissionDenied(t, s, "ListIngress without ingressAdmin", err)
	_, err = api(nil, &auth.SIPGrant{Call: true}).SIP().ListSIPInboundTrunk(ctx(t, nil), &livekit.ListSIPInboundTrunkRequest{})
	wantPermissionDenied(t, s, "ListSIPInboundTrunk without sip.admin", err)
	_, err = api(nil, &auth.SIPGrant{Admin: true}).SIP().CreateSIPParticipant(ctx(t, nil), &livekit.CreateSIPParticipantRequest{SipTrunkId: "ST_abc"})
	wantPermissionDenied(t, s, "CreateSIPParticipant without sip.call", err)
	_, err = api(nil, &auth.SIPGrant{Call: true}).SIP().TransferSIPParticipant(ctx(t, noLatency), &livekit.TransferSIPParticipantRequest{RoomName: "r"})
	wantPermissionDenied(t, s, "TransferSIPParticipant without roomAdmin", err)
	_, err = api(&auth.VideoGrant{RoomAdmin: true, Room: "r"}, nil).SIP().TransferSIPParticipant(ctx(t, noLatency), &livekit.TransferSIPParticipantRequest{RoomName: "r"})
	wantPermissionDenied(t, s, "TransferSIPParticipant without sip.call", err)
	_, err = api(&auth.VideoGrant{RoomList: true}, nil).AgentDispatch().CreateDispatch(ctx(t, nil), &livekit.CreateAgentDispatchRequest{Room: "r"})
	wantPermissionDenied(t, s, "CreateDispatch without roomAdmin", err)
	_, err = api(&auth.VideoGrant{RoomAdmin: true}, nil).Connector().ConnectTwilioCall(ctx(t, nil), &livekit.ConnectTwilioCallRequest{})
	wantPermissionDenied(t, s, "ConnectTwilioCall without roomCreate", err)
}

// Room-scoped grants: roomAdmin must name the request's room, but only when the
// request names one (the mock skips the check for an empty room).
func TestAuthRoomScope(t *testing.T) {
	s := srv(t)
	roomA := apiWithToken(t, s, token(t, s, &auth.VideoGrant{RoomAdmin: true, Room: "room-a"}, nil))
	var err error

	_, err = roomA.Room().ListParticipants(ctx(t, nil), &livekit.ListParticipantsRequest{Room: "room-b"})
	wantPermissionDenied(t, s, "ListParticipants in another room", err)
	_, err = roomA.Room().ListParticipants(ctx(t, nil), &livekit.ListParticipantsRequest{Room: "room-a"})
	must(t, "ListParticipants in the granted room", err)
	_, err = roomA.Room().ListParticipants(ctx(t, nil), &livekit.ListParticipantsRequest{})
	must(t, "ListParticipants with an empty room", err)

	// destination_room must match video.destinationRoom when non-empty.
	fwd := apiWithToken(t, s, token(t, s, &auth.VideoGrant{RoomAdmin: true, Room: "room-a", DestinationRoom: "dest-a"}, nil))
	_, err = fwd.Room().MoveParticipant(ctx(t, nil), &livekit.MoveParticipantRequest{Room: "room-a", Identity: "p", DestinationRoom: "dest-b"})
	wantPermissionDenied(t, s, "MoveParticipant to another destination", err)
	_, err = fwd.Room().ForwardParticipant(ctx(t, nil), &livekit.ForwardParticipantRequest{Room: "room-a", Identity: "p", DestinationRoom: "dest-a"})
	must(t, "ForwardParticipant to the granted destination", err)
	_, err = fwd.Room().MoveParticipant(ctx(t, nil), &livekit.MoveParticipantRequest{Room: "room-a", Identity: "p"})
	must(t, "MoveParticipant with an empty destination", err)

	// TransferSIPParticipant checks room_name against video.room.
	xfer := apiWithToken(t, s, token(t, s, &auth.VideoGrant{RoomAdmin: true, Room: "room-a"}, &auth.SIPGrant{Call: true}))
	_, err = xfer.SIP().TransferSIPParticipant(ctx(t, noLatency), &livekit.TransferSIPParticipantRequest{RoomName: "room-b", ParticipantIdentity: "p", TransferTo: "tel:+1555"})
	wantPermissionDenied(t, s, "TransferSIPParticipant in another room", err)
	_, err = xfer.SIP().TransferSIPParticipant(ctx(t, noLatency), &livekit.TransferSIPParticipantRequest{RoomName: "room-a", ParticipantIdentity: "p", TransferTo: "tel:+1555"})
	must(t, "TransferSIPParticipant in the granted room", err)

	// AgentDispatch: the original never decodes the request (no handler), so it
	// has no room check; ours room-checks it like its siblings.
	_, err = roomA.AgentDispatch().CreateDispatch(ctx(t, nil), &livekit.CreateAgentDispatchRequest{Room: "room-b", AgentName: "agent"})
	if s.original() {
		must(t, "CreateDispatch in another room (original: no room check)", err)
	} else {
		wantPermissionDenied(t, s, "CreateDispatch in another room", err)
	}
	_, err = roomA.AgentDispatch().CreateDispatch(ctx(t, nil), &livekit.CreateAgentDispatchRequest{Room: "room-a", AgentName: "agent"})
	must(t, "CreateDispatch in the granted room", err)
}

// skipAuth bypasses enforcement entirely, even for a wrongly signed token.
func TestAuthSkipAuth(t *testing.T) {
	s := srv(t)
	rc := lksdk.NewRoomServiceClient(s.URL, s.Key, s.Secret+"-wrong")
	got, err := rc.CreateRoom(ctx(t, skipAuth), &livekit.CreateRoomRequest{Name: "skip"})
	must(t, "CreateRoom with skipAuth", err)
	eq(t, "CreateRoom", &livekit.Room{Sid: "MOCK_SID", Name: "skip", EnabledCodecs: []*livekit.Codec{{}}}, got)

	// Legacy header form.
	_, err = rc.ListRooms(ctxHeaders(t, nil, http.Header{"X-Lk-Mock-Skip-Auth": {"TRUE"}}), &livekit.ListRoomsRequest{})
	must(t, "ListRooms with X-Lk-Mock-Skip-Auth: TRUE", err)
}

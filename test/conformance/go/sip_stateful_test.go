//go:build stateful

package conformance

// SIP and agent dispatch through server-sdk-go in stateful mode, as an application's test suite
// uses them: devkey / secret, no control header, one world that every call shares. The same
// expectations hold against ours (--stateful) and the real LiveKit server, but for what a SIP
// worker does: the real server has none and answers 503, ours simulates one.
//
//	LK_TEST_SERVER_URL=http://127.0.0.1:7880 test/conformance/go/run.sh -tags stateful -run TestStateful

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twitchtv/twirp"

	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
)

// uniqueNumber is a phone number no other test or run uses: the world outlives a test.
func uniqueNumber() string {
	return fmt.Sprintf("+1555%07d", rand.IntN(10_000_000))
}

// ownTrunkID is an id-shaped trunk id that names no trunk, so a test's dispatch rules meet no others.
func ownTrunkID() string {
	return fmt.Sprintf("ST_%012d", time.Now().UnixNano()%1_000_000_000_000)
}

func TestStatefulSIPTrunks(t *testing.T) {
	s := srv(t)
	sc := lksdk.NewSIPClient(s.URL, s.Key, s.Secret)
	number, other := uniqueNumber(), uniqueNumber()

	in, err := sc.CreateSIPInboundTrunk(ctx(t, nil), &livekit.CreateSIPInboundTrunkRequest{
		Trunk: &livekit.SIPInboundTrunkInfo{Name: "inbound", Numbers: []string{number}, Metadata: "one"},
	})
	must(t, "CreateSIPInboundTrunk", err)
	if !strings.HasPrefix(in.SipTrunkId, "ST_") || in.Name != "inbound" || in.Metadata != "one" {
		t.Fatalf("CreateSIPInboundTrunk = %v", in)
	}
	_, err = sc.CreateSIPInboundTrunk(ctx(t, nil), &livekit.CreateSIPInboundTrunkRequest{
		Trunk: &livekit.SIPInboundTrunkInfo{Name: "again", Numbers: []string{number}},
	})
	wantTwirp(t, "a second trunk on the number", err, twirp.InvalidArgument, fmt.Sprintf(
		"Conflicting inbound SIP Trunks: \"<new>\" and %q, using the same number(s) [%q] without AllowedNumbers set", in.SipTrunkId, number))

	byID, err := sc.GetSIPInboundTrunksByIDs(ctx(t, nil), []string{in.SipTrunkId})
	must(t, "GetSIPInboundTrunksByIDs", err)
	if len(byID) != 1 || byID[0].GetName() != "inbound" {
		t.Errorf("GetSIPInboundTrunksByIDs = %v", byID)
	}
	updated, err := sc.UpdateSIPInboundTrunk(ctx(t, nil), &livekit.UpdateSIPInboundTrunkRequest{
		SipTrunkId: in.SipTrunkId,
		Action: &livekit.UpdateSIPInboundTrunkRequest_Update{Update: &livekit.SIPInboundTrunkUpdate{
			Name: ptr("renamed"), Numbers: &livekit.ListUpdate{Add: []string{other}},
		}},
	})
	must(t, "UpdateSIPInboundTrunk", err)
	if updated.Name != "renamed" || !slices.Equal(updated.Numbers, []string{number, other}) {
		t.Errorf("UpdateSIPInboundTrunk = %v", updated)
	}
	listed, err := sc.ListSIPInboundTrunk(ctx(t, nil), &livekit.ListSIPInboundTrunkRequest{Numbers: []string{other}})
	must(t, "ListSIPInboundTrunk", err)
	if len(listed.Items) != 1 || listed.Items[0].SipTrunkId != in.SipTrunkId {
		t.Errorf("ListSIPInboundTrunk(numbers) = %v", listed.Items)
	}

	out, err := sc.CreateSIPOutboundTrunk(ctx(t, nil), &livekit.CreateSIPOutboundTrunkRequest{
		Trunk: &livekit.SIPOutboundTrunkInfo{Name: "outbound", Address: "sip.example.com", Numbers: []string{number}},
	})
	must(t, "CreateSIPOutboundTrunk", err)
	replaced, err := sc.UpdateSIPOutboundTrunk(ctx(t, nil), &livekit.UpdateSIPOutboundTrunkRequest{
		SipTrunkId: out.SipTrunkId,
		Action: &livekit.UpdateSIPOutboundTrunkRequest_Replace{Replace: &livekit.SIPOutboundTrunkInfo{
			Name: "replaced", Address: "other.example.com", Numbers: []string{other},
		}},
	})
	must(t, "UpdateSIPOutboundTrunk", err)
	if replaced.SipTrunkId != out.SipTrunkId || replaced.Address != "other.example.com" {
		t.Errorf("UpdateSIPOutboundTrunk = %v", replaced)
	}
	_, err = sc.CreateSIPOutboundTrunk(ctx(t, nil), &livekit.CreateSIPOutboundTrunkRequest{
		Trunk: &livekit.SIPOutboundTrunkInfo{Name: "none", Address: "sip.example.com"},
	})
	wantTwirp(t, "an outbound trunk without numbers", err, twirp.InvalidArgument, "no trunk numbers specified")

	for _, id := range []string{in.SipTrunkId, out.SipTrunkId} {
		_, err = sc.DeleteSIPTrunk(ctx(t, nil), &livekit.DeleteSIPTrunkRequest{SipTrunkId: id})
		must(t, "DeleteSIPTrunk", err)
	}
	gone, err := sc.ListSIPOutboundTrunk(ctx(t, nil), &livekit.ListSIPOutboundTrunkRequest{TrunkIds: []string{out.SipTrunkId}})
	must(t, "ListSIPOutboundTrunk", err)
	if len(gone.Items) != 0 {
		t.Errorf("a deleted trunk is listed: %v", gone.Items)
	}
	_, err = sc.UpdateSIPInboundTrunk(ctx(t, nil), &livekit.UpdateSIPInboundTrunkRequest{
		SipTrunkId: in.SipTrunkId,
		Action:     &livekit.UpdateSIPInboundTrunkRequest_Update{Update: &livekit.SIPInboundTrunkUpdate{Name: ptr("x")}},
	})
	wantTwirp(t, "updating a deleted trunk", err, twirp.NotFound, "requested sip trunk does not exist")
}

func TestStatefulSIPDispatchRules(t *testing.T) {
	s := srv(t)
	sc := lksdk.NewSIPClient(s.URL, s.Key, s.Secret)
	trunks := []string{ownTrunkID()}
	direct := func(pin string) *livekit.SIPDispatchRule {
		return &livekit.SIPDispatchRule{Rule: &livekit.SIPDispatchRule_DispatchRuleDirect{
			DispatchRuleDirect: &livekit.SIPDispatchRuleDirect{RoomName: uniqueRoom("sip"), Pin: pin},
		}}
	}

	rule, err := sc.CreateSIPDispatchRule(ctx(t, nil), &livekit.CreateSIPDispatchRuleRequest{Rule: direct("1234"), TrunkIds: trunks, Name: "first"})
	must(t, "CreateSIPDispatchRule", err)
	if !strings.HasPrefix(rule.SipDispatchRuleId, "SDR_") {
		t.Fatalf("CreateSIPDispatchRule = %v", rule)
	}
	_, err = sc.CreateSIPDispatchRule(ctx(t, nil), &livekit.CreateSIPDispatchRuleRequest{Rule: direct("1234"), TrunkIds: trunks, Name: "second"})
	wantTwirp(t, "a repeated PIN", err, twirp.InvalidArgument, fmt.Sprintf(
		"Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule %q \"first\"", rule.SipDispatchRuleId))

	updated, err := sc.UpdateSIPDispatchRule(ctx(t, nil), &livekit.UpdateSIPDispatchRuleRequest{
		SipDispatchRuleId: rule.SipDispatchRuleId,
		Action:            &livekit.UpdateSIPDispatchRuleRequest_Update{Update: &livekit.SIPDispatchRuleUpdate{Metadata: ptr("changed")}},
	})
	must(t, "UpdateSIPDispatchRule", err)
	if updated.Metadata != "changed" || updated.Name != "first" {
		t.Errorf("UpdateSIPDispatchRule = %v", updated)
	}
	listed, err := sc.ListSIPDispatchRule(ctx(t, nil), &livekit.ListSIPDispatchRuleRequest{TrunkIds: trunks})
	must(t, "ListSIPDispatchRule", err)
	if len(listed.Items) != 1 || listed.Items[0].SipDispatchRuleId != rule.SipDispatchRuleId {
		t.Errorf("ListSIPDispatchRule(trunks) = %v", listed.Items)
	}
	_, err = sc.DeleteSIPDispatchRule(ctx(t, nil), &livekit.DeleteSIPDispatchRuleRequest{SipDispatchRuleId: rule.SipDispatchRuleId})
	must(t, "DeleteSIPDispatchRule", err)
	_, err = sc.DeleteSIPDispatchRule(ctx(t, nil), &livekit.DeleteSIPDispatchRuleRequest{SipDispatchRuleId: rule.SipDispatchRuleId})
	wantTwirp(t, "deleting a deleted rule", err, twirp.NotFound, "requested sip dispatch rule does not exist")
	after, err := sc.ListSIPDispatchRule(ctx(t, nil), &livekit.ListSIPDispatchRuleRequest{TrunkIds: trunks})
	must(t, "ListSIPDispatchRule after", err)
	if len(after.Items) != 0 {
		t.Errorf("a deleted rule is listed: %v", after.Items)
	}
}

func TestStatefulSIPParticipant(t *testing.T) {
	s := srv(t)
	sc := lksdk.NewSIPClient(s.URL, s.Key, s.Secret)
	rc := lksdk.NewRoomServiceClient(s.URL, s.Key, s.Secret)
	trunk, err := sc.CreateSIPOutboundTrunk(ctx(t, nil), &livekit.CreateSIPOutboundTrunkRequest{
		Trunk: &livekit.SIPOutboundTrunkInfo{Name: "calls", Address: "sip.example.com", Numbers: []string{uniqueNumber()}},
	})
	must(t, "CreateSIPOutboundTrunk", err)
	room := uniqueRoom("call")

	placed, err := sc.CreateSIPParticipant(ctx(t, nil), &livekit.CreateSIPParticipantRequest{
		SipTrunkId: trunk.SipTrunkId, SipCallTo: "+15550009999", RoomName: room, ParticipantIdentity: "caller",
	})
	if s.Target == targetReal {
		wantTwirp(t, "a call without a SIP worker", err, twirp.Unavailable, "twirp error unknown: no response from servers")
	} else {
		must(t, "CreateSIPParticipant", err)
		if placed.ParticipantIdentity != "caller" || placed.RoomName != room || !strings.HasPrefix(placed.SipCallId, "SCL_") {
			t.Fatalf("CreateSIPParticipant = %v", placed)
		}
		p, err := rc.GetParticipant(ctx(t, nil), &livekit.RoomParticipantIdentity{Room: room, Identity: "caller"})
		must(t, "GetParticipant", err)
		if p.Kind != livekit.ParticipantInfo_SIP || p.Sid != placed.ParticipantId || p.Attributes["sip.callID"] != placed.SipCallId {
			t.Errorf("the SIP participant = %v", p)
		}
		_, err = sc.TransferSIPParticipant(ctx(t, nil), &livekit.TransferSIPParticipantRequest{
			RoomName: room, ParticipantIdentity: "caller", TransferTo: "tel:+15550001111",
		})
		must(t, "TransferSIPParticipant", err)
		left, err := rc.ListParticipants(ctx(t, nil), &livekit.ListParticipantsRequest{Room: room})
		must(t, "ListParticipants", err)
		if len(left.Participants) != 0 {
			t.Errorf("the transferred participant is still listed: %v", left.Participants)
		}
		_, err = rc.DeleteRoom(ctx(t, nil), &livekit.DeleteRoomRequest{Room: room})
		must(t, "DeleteRoom", err)
	}

	_, err = sc.CreateSIPParticipant(ctx(t, nil), &livekit.CreateSIPParticipantRequest{
		SipTrunkId: "ST_missing12345", SipCallTo: "+15550009999", RoomName: room,
	})
	wantTwirp(t, "a call on a missing trunk", err, twirp.NotFound, "requested sip trunk does not exist")
	_, err = sc.CreateSIPParticipant(ctx(t, nil), &livekit.CreateSIPParticipantRequest{SipTrunkId: trunk.SipTrunkId, RoomName: room})
	wantTwirp(t, "a call to nobody", err, twirp.InvalidArgument, "missing sip callee number")
	_, err = sc.DeleteSIPTrunk(ctx(t, nil), &livekit.DeleteSIPTrunkRequest{SipTrunkId: trunk.SipTrunkId})
	must(t, "DeleteSIPTrunk", err)
}

func TestStatefulAgentDispatch(t *testing.T) {
	s := srv(t)
	dc := lksdk.NewAgentDispatchServiceClient(s.URL, s.Key, s.Secret)
	rc := lksdk.NewRoomServiceClient(s.URL, s.Key, s.Secret)
	room := uniqueRoom("dispatch")

	created, err := dc.CreateDispatch(ctx(t, nil), &livekit.CreateAgentDispatchRequest{Room: room, AgentName: "helper", Metadata: "job"})
	must(t, "CreateDispatch", err)
	if !strings.HasPrefix(created.Id, "AD_") || created.Room != room || created.AgentName != "helper" {
		t.Fatalf("CreateDispatch = %v", created)
	}
	rooms, err := rc.ListRooms(ctx(t, nil), &livekit.ListRoomsRequest{Names: []string{room}})
	must(t, "ListRooms", err)
	if len(rooms.Rooms) != 1 {
		t.Errorf("CreateDispatch did not create its room: %v", rooms.Rooms)
	}
	listed, err := dc.ListDispatch(ctx(t, nil), &livekit.ListAgentDispatchRequest{Room: room})
	must(t, "ListDispatch", err)
	var names []string
	for _, d := range listed.AgentDispatches {
		names = append(names, d.AgentName)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"", "helper"}) {
		t.Errorf("ListDispatch agents = %q, want the unnamed agent's and helper", names)
	}
	got, err := dc.GetDispatch(ctx(t, nil), created.Id, room)
	must(t, "GetDispatch", err)
	if got.GetAgentName() != "helper" {
		t.Errorf("GetDispatch = %v", got)
	}
	_, err = dc.DeleteDispatch(ctx(t, nil), &livekit.DeleteAgentDispatchRequest{Room: room, DispatchId: created.Id})
	must(t, "DeleteDispatch", err)
	_, err = dc.DeleteDispatch(ctx(t, nil), &livekit.DeleteAgentDispatchRequest{Room: room, DispatchId: created.Id})
	wantTwirp(t, "deleting a deleted dispatch", err, twirp.NotFound, "twirp error unknown: dispatch ID not found")
	missing, err := dc.GetDispatch(ctx(t, nil), created.Id, room)
	must(t, "GetDispatch deleted", err)
	if missing != nil {
		t.Errorf("GetDispatch of a deleted dispatch = %v", missing)
	}
	_, err = rc.DeleteRoom(ctx(t, nil), &livekit.DeleteRoomRequest{Room: room})
	must(t, "DeleteRoom", err)
}

func ptr[T any](v T) *T { return &v }

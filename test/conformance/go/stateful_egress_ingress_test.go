package conformance

import (
	"context"
	"testing"
	"time"

	"github.com/twitchtv/twirp"
	"google.golang.org/protobuf/proto"

	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
)

// worldKey names a world of its own for one test (the journal's key rule names worlds too).
func worldKey(t *testing.T) string { return journalKey(t) }

// inWorld is a call context that reads and changes the world `key`.
func inWorld(t *testing.T, key string) context.Context { return ctx(t, mock{"state": key}) }

// egressReaches lists one egress until it has `status` (the simulated worker's
// steps take a moment) and returns it as last listed.
func egressReaches(t *testing.T, ec *lksdk.EgressClient, key, egressID string, status livekit.EgressStatus) *livekit.EgressInfo {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := ec.ListEgress(inWorld(t, key), &livekit.ListEgressRequest{EgressId: egressID})
		must(t, "ListEgress", err)
		if len(res.Items) != 1 {
			t.Fatalf("ListEgress %s: %d items, want 1", egressID, len(res.Items))
		}
		if res.Items[0].Status == status || time.Now().After(deadline) {
			return res.Items[0]
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// EgressClient in stateful mode: start → list → update → stop → list, and each error.
func TestStatefulEgress(t *testing.T) {
	s := srv(t)
	if s.original() {
		t.Skip("the stateful mode is not in the original test server")
	}
	ec := lksdk.NewEgressClient(s.URL, s.Key, s.Secret)
	rc := lksdk.NewRoomServiceClient(s.URL, s.Key, s.Secret)

	t.Run("start, list, update, stop, list", func(t *testing.T) {
		key := worldKey(t)
		_, err := rc.CreateRoom(inWorld(t, key), &livekit.CreateRoomRequest{Name: "go-egress"})
		must(t, "CreateRoom", err)
		started, err := ec.StartRoomCompositeEgress(inWorld(t, key), &livekit.RoomCompositeEgressRequest{
			RoomName:      "go-egress",
			Layout:        "grid",
			StreamOutputs: []*livekit.StreamOutput{{Urls: []string{"rtmp://live.example.com/app/first-key"}}},
		})
		must(t, "StartRoomCompositeEgress", err)
		if started.Status != livekit.EgressStatus_EGRESS_STARTING || started.RoomName != "go-egress" {
			t.Fatalf("StartRoomCompositeEgress: status %v room %q, want EGRESS_STARTING in go-egress", started.Status, started.RoomName)
		}
		listed, err := ec.ListEgress(inWorld(t, key), &livekit.ListEgressRequest{RoomName: "go-egress", Active: true})
		must(t, "ListEgress", err)
		if len(listed.Items) != 1 || listed.Items[0].EgressId != started.EgressId {
			t.Fatalf("ListEgress: %v, want the started egress", listed.Items)
		}

		egressReaches(t, ec, key, started.EgressId, livekit.EgressStatus_EGRESS_ACTIVE)
		_, err = ec.UpdateLayout(inWorld(t, key), &livekit.UpdateLayoutRequest{EgressId: started.EgressId, Layout: "speaker"})
		must(t, "UpdateLayout", err)
		recorder, err := rc.GetParticipant(inWorld(t, key), &livekit.RoomParticipantIdentity{Room: "go-egress", Identity: started.EgressId})
		must(t, "GetParticipant", err)
		if recorder.Metadata != `{"layout":"speaker"}` || recorder.Kind != livekit.ParticipantInfo_EGRESS {
			t.Errorf("the egress's participant: metadata %q kind %v", recorder.Metadata, recorder.Kind)
		}
		updated, err := ec.UpdateStream(inWorld(t, key), &livekit.UpdateStreamRequest{
			EgressId:         started.EgressId,
			AddOutputUrls:    []string{"rtmp://live.example.com/app/second-key"},
			RemoveOutputUrls: []string{"rtmp://live.example.com/app/first-key"},
		})
		must(t, "UpdateStream", err)
		eq(t, "UpdateStream results", &livekit.EgressInfo{StreamResults: []*livekit.StreamInfo{
			{Url: "rtmp://live.example.com/app/{fir...key}", Status: livekit.StreamInfo_FINISHED},
			{Url: "rtmp://live.example.com/app/{sec...key}", Status: livekit.StreamInfo_ACTIVE},
		}}, &livekit.EgressInfo{StreamResults: []*livekit.StreamInfo{
			{Url: updated.StreamResults[0].Url, Status: updated.StreamResults[0].Status},
			{Url: updated.StreamResults[1].Url, Status: updated.StreamResults[1].Status},
		}})

		stopped, err := ec.StopEgress(inWorld(t, key), &livekit.StopEgressRequest{EgressId: started.EgressId})
		must(t, "StopEgress", err)
		if stopped.Status != livekit.EgressStatus_EGRESS_ENDING {
			t.Errorf("StopEgress: status %v, want EGRESS_ENDING", stopped.Status)
		}
		done := egressReaches(t, ec, key, started.EgressId, livekit.EgressStatus_EGRESS_COMPLETE)
		if done.Status != livekit.EgressStatus_EGRESS_COMPLETE || done.EndedAt == 0 {
			t.Errorf("the stopped egress: status %v ended at %d, want EGRESS_COMPLETE with an end", done.Status, done.EndedAt)
		}
		listed, err = ec.ListEgress(inWorld(t, key), &livekit.ListEgressRequest{RoomName: "go-egress", Active: true})
		must(t, "ListEgress", err)
		if len(listed.Items) != 0 {
			t.Errorf("ListEgress active after the stop: %d items, want none", len(listed.Items))
		}
	})

	t.Run("each error", func(t *testing.T) {
		key := worldKey(t)
		_, err := ec.StartParticipantEgress(inWorld(t, key), &livekit.ParticipantEgressRequest{RoomName: "go-nowhere", Identity: "a"})
		wantMsg(t, "StartParticipantEgress", twirpErr(t, "StartParticipantEgress", err, twirp.NotFound),
			"twirp error unknown: requested room does not exist")
		for what, call := range map[string]func() error{
			"ListEgress": func() error {
				_, err := ec.ListEgress(inWorld(t, key), &livekit.ListEgressRequest{EgressId: "EG_missing"})
				return err
			},
			"UpdateLayout": func() error {
				_, err := ec.UpdateLayout(inWorld(t, key), &livekit.UpdateLayoutRequest{EgressId: "EG_missing", Layout: "grid"})
				return err
			},
			"UpdateStream": func() error {
				_, err := ec.UpdateStream(inWorld(t, key), &livekit.UpdateStreamRequest{EgressId: "EG_missing"})
				return err
			},
			"StopEgress": func() error {
				_, err := ec.StopEgress(inWorld(t, key), &livekit.StopEgressRequest{EgressId: "EG_missing"})
				return err
			},
		} {
			wantMsg(t, what, twirpErr(t, what, call(), twirp.NotFound), "twirp error unknown: egress does not exist")
		}

		web, err := ec.StartWebEgress(inWorld(t, key), &livekit.WebEgressRequest{
			Url: "https://example.com/page", FileOutputs: []*livekit.EncodedFileOutput{{Filepath: "page.mp4"}},
		})
		must(t, "StartWebEgress", err)
		_, err = ec.UpdateStream(inWorld(t, key), &livekit.UpdateStreamRequest{EgressId: web.EgressId, AddOutputUrls: []string{"rtmp://x/app/k"}})
		wantMsg(t, "UpdateStream", twirpErr(t, "UpdateStream", err, twirp.InvalidArgument),
			"twirp error unknown: UpdateStream called on non-streaming egress")
		aborted, err := ec.StopEgress(inWorld(t, key), &livekit.StopEgressRequest{EgressId: web.EgressId})
		must(t, "StopEgress", err)
		if aborted.Status != livekit.EgressStatus_EGRESS_ABORTED || aborted.Error != "Stop called before pipeline could start" {
			t.Errorf("StopEgress while starting: status %v error %q", aborted.Status, aborted.Error)
		}
		_, err = ec.StopEgress(inWorld(t, key), &livekit.StopEgressRequest{EgressId: web.EgressId})
		wantMsg(t, "StopEgress again", twirpErr(t, "StopEgress again", err, twirp.FailedPrecondition),
			"egress with status EGRESS_ABORTED cannot be stopped")
	})
}

// IngressClient in stateful mode: create → list → update → delete → list, and each error.
func TestStatefulIngress(t *testing.T) {
	s := srv(t)
	if s.original() {
		t.Skip("the stateful mode is not in the original test server")
	}
	ic := lksdk.NewIngressClient(s.URL, s.Key, s.Secret)

	t.Run("create, list, update, delete, list", func(t *testing.T) {
		key := worldKey(t)
		created, err := ic.CreateIngress(inWorld(t, key), &livekit.CreateIngressRequest{
			InputType: livekit.IngressInput_WHIP_INPUT, Name: "go-whip", RoomName: "go-ingress", ParticipantIdentity: "whip",
		})
		must(t, "CreateIngress", err)
		if len(created.StreamKey) != 12 || created.Url != "" || !created.Reusable || !created.BypassTranscoding {
			t.Errorf("CreateIngress: stream key %q url %q reusable %v bypass %v", created.StreamKey, created.Url, created.Reusable, created.BypassTranscoding)
		}
		listed, err := ic.ListIngress(inWorld(t, key), &livekit.ListIngressRequest{RoomName: "go-ingress"})
		must(t, "ListIngress", err)
		if len(listed.Items) != 1 || listed.Items[0].IngressId != created.IngressId {
			t.Fatalf("ListIngress: %v, want the created ingress", listed.Items)
		}
		updated, err := ic.UpdateIngress(inWorld(t, key), &livekit.UpdateIngressRequest{
			IngressId: created.IngressId, Name: "go-whip-2", EnableTranscoding: proto.Bool(true),
		})
		must(t, "UpdateIngress", err)
		if updated.Name != "go-whip-2" || updated.BypassTranscoding || !updated.GetEnableTranscoding() {
			t.Errorf("UpdateIngress: name %q bypass %v transcoding %v", updated.Name, updated.BypassTranscoding, updated.GetEnableTranscoding())
		}
		deleted, err := ic.DeleteIngress(inWorld(t, key), &livekit.DeleteIngressRequest{IngressId: created.IngressId})
		must(t, "DeleteIngress", err)
		if deleted.Name != "go-whip-2" {
			t.Errorf("DeleteIngress: name %q, want go-whip-2", deleted.Name)
		}
		listed, err = ic.ListIngress(inWorld(t, key), &livekit.ListIngressRequest{RoomName: "go-ingress"})
		must(t, "ListIngress", err)
		if len(listed.Items) != 0 {
			t.Errorf("ListIngress after the delete: %d items, want none", len(listed.Items))
		}
	})

	t.Run("each error", func(t *testing.T) {
		key := worldKey(t)
		_, err := ic.DeleteIngress(inWorld(t, key), &livekit.DeleteIngressRequest{IngressId: "IN_missing"})
		wantMsg(t, "DeleteIngress", twirpErr(t, "DeleteIngress", err, twirp.NotFound), "twirp error unknown: ingress does not exist")
		_, err = ic.UpdateIngress(inWorld(t, key), &livekit.UpdateIngressRequest{IngressId: "IN_missing", Name: "x"})
		wantMsg(t, "UpdateIngress", twirpErr(t, "UpdateIngress", err, twirp.NotFound), "twirp error unknown: ingress does not exist")
		_, err = ic.ListIngress(inWorld(t, key), &livekit.ListIngressRequest{IngressId: "IN_missing"})
		wantMsg(t, "ListIngress", twirpErr(t, "ListIngress", err, twirp.NotFound), "twirp error unknown: ingress does not exist")
		_, err = ic.CreateIngress(inWorld(t, key), &livekit.CreateIngressRequest{InputType: livekit.IngressInput_RTMP_INPUT, RoomName: "go-ingress"})
		wantMsg(t, "CreateIngress", twirpErr(t, "CreateIngress", err, twirp.InvalidArgument),
			"twirp error unknown: invalid ingress: no participant identity")
		_, err = ic.CreateIngress(inWorld(t, key), &livekit.CreateIngressRequest{
			InputType: livekit.IngressInput_URL_INPUT, ParticipantIdentity: "pull", Url: "https://example.com/feed",
		})
		wantMsg(t, "CreateIngress URL", twirpErr(t, "CreateIngress URL", err, twirp.InvalidArgument), "twirp error unknown: invalid ingress: no room name")

		rtmp, err := ic.CreateIngress(inWorld(t, key), &livekit.CreateIngressRequest{
			InputType: livekit.IngressInput_RTMP_INPUT, RoomName: "go-ingress", ParticipantIdentity: "cam",
		})
		must(t, "CreateIngress", err)
		_, err = ic.DeleteIngress(inWorld(t, key), &livekit.DeleteIngressRequest{IngressId: rtmp.IngressId})
		must(t, "DeleteIngress", err)
		_, err = ic.DeleteIngress(inWorld(t, key), &livekit.DeleteIngressRequest{IngressId: rtmp.IngressId})
		wantMsg(t, "DeleteIngress twice", twirpErr(t, "DeleteIngress twice", err, twirp.NotFound), "twirp error unknown: ingress does not exist")
	})
}

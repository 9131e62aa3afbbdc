//go:build stateful

package conformance

// Egress and Ingress through server-sdk-go in stateful mode, as stateful_test.go runs RoomService:
// no control header, one world, against ours (--stateful) and the real LiveKit server with the
// same expectations, except what needs an egress or ingress worker: the real server has none (it
// answers 503 after waiting for one), ours simulates one, so that part is ours alone.

import (
	"testing"

	"github.com/twitchtv/twirp"
	"google.golang.org/protobuf/proto"

	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
)

// needsWorker skips what only a simulated egress or ingress worker can do.
func needsWorker(t *testing.T, s server) {
	t.Helper()
	if s.Target == targetReal {
		t.Skip("the real LiveKit server has no egress or ingress worker")
	}
}

// egressReaches lists one egress until it has status (the worker's steps take a moment).
func egressReaches(t *testing.T, ec *lksdk.EgressClient, egressID string, status livekit.EgressStatus) *livekit.EgressInfo {
	t.Helper()
	listed := eventually(t, func() (*livekit.ListEgressResponse, error) {
		return ec.ListEgress(ctx(t, nil), &livekit.ListEgressRequest{EgressId: egressID})
	}, func(r *livekit.ListEgressResponse) bool { return len(r.Items) == 1 && r.Items[0].Status == status })
	if len(listed.Items) != 1 {
		t.Fatalf("ListEgress %s: %d items, want 1", egressID, len(listed.Items))
	}
	return listed.Items[0]
}

// wantTwirp asserts a Twirp error's code and message.
func wantTwirp(t *testing.T, what string, err error, code twirp.ErrorCode, msg string) {
	t.Helper()
	wantMsg(t, what, twirpErr(t, what, err, code), msg)
}

func TestStatefulEgress(t *testing.T) {
	s := srv(t)
	ec := lksdk.NewEgressClient(s.URL, s.Key, s.Secret)
	rc := lksdk.NewRoomServiceClient(s.URL, s.Key, s.Secret)

	t.Run("start, list, update, stop, list", func(t *testing.T) {
		needsWorker(t, s)
		room := uniqueRoom("egress")
		_, err := rc.CreateRoom(ctx(t, nil), &livekit.CreateRoomRequest{Name: room})
		must(t, "CreateRoom", err)
		started, err := ec.StartRoomCompositeEgress(ctx(t, nil), &livekit.RoomCompositeEgressRequest{
			RoomName:      room,
			Layout:        "grid",
			StreamOutputs: []*livekit.StreamOutput{{Urls: []string{"rtmp://live.example.com/app/first-key"}}},
		})
		must(t, "StartRoomCompositeEgress", err)
		if started.Status != livekit.EgressStatus_EGRESS_STARTING || started.RoomName != room {
			t.Fatalf("StartRoomCompositeEgress: status %v room %q, want EGRESS_STARTING in %s", started.Status, started.RoomName, room)
		}
		listed, err := ec.ListEgress(ctx(t, nil), &livekit.ListEgressRequest{RoomName: room, Active: true})
		must(t, "ListEgress", err)
		if len(listed.Items) != 1 || listed.Items[0].EgressId != started.EgressId {
			t.Fatalf("ListEgress: %v, want the started egress", listed.Items)
		}

		egressReaches(t, ec, started.EgressId, livekit.EgressStatus_EGRESS_ACTIVE)
		_, err = ec.UpdateLayout(ctx(t, nil), &livekit.UpdateLayoutRequest{EgressId: started.EgressId, Layout: "speaker"})
		must(t, "UpdateLayout", err)
		recorder, err := rc.GetParticipant(ctx(t, nil), &livekit.RoomParticipantIdentity{Room: room, Identity: started.EgressId})
		must(t, "GetParticipant", err)
		if recorder.Metadata != `{"layout":"speaker"}` || recorder.Kind != livekit.ParticipantInfo_EGRESS {
			t.Errorf("the egress's participant: metadata %q kind %v", recorder.Metadata, recorder.Kind)
		}
		updated, err := ec.UpdateStream(ctx(t, nil), &livekit.UpdateStreamRequest{
			EgressId:         started.EgressId,
			AddOutputUrls:    []string{"rtmp://live.example.com/app/second-key"},
			RemoveOutputUrls: []string{"rtmp://live.example.com/app/first-key"},
		})
		must(t, "UpdateStream", err)
		var streams []string
		for _, stream := range updated.StreamResults {
			streams = append(streams, stream.Url+" "+stream.Status.String())
		}
		want := []string{"rtmp://live.example.com/app/{fir...key} FINISHED", "rtmp://live.example.com/app/{sec...key} ACTIVE"}
		if len(streams) != 2 || streams[0] != want[0] || streams[1] != want[1] {
			t.Errorf("UpdateStream: streams %q, want %q", streams, want)
		}

		stopped, err := ec.StopEgress(ctx(t, nil), &livekit.StopEgressRequest{EgressId: started.EgressId})
		must(t, "StopEgress", err)
		if stopped.Status != livekit.EgressStatus_EGRESS_ENDING {
			t.Errorf("StopEgress: status %v, want EGRESS_ENDING", stopped.Status)
		}
		done := egressReaches(t, ec, started.EgressId, livekit.EgressStatus_EGRESS_COMPLETE)
		if done.Status != livekit.EgressStatus_EGRESS_COMPLETE || done.EndedAt == 0 {
			t.Errorf("the stopped egress: status %v ended at %d, want EGRESS_COMPLETE with an end", done.Status, done.EndedAt)
		}
		listed, err = ec.ListEgress(ctx(t, nil), &livekit.ListEgressRequest{RoomName: room, Active: true})
		must(t, "ListEgress", err)
		if len(listed.Items) != 0 {
			t.Errorf("ListEgress active after the stop: %d items, want none", len(listed.Items))
		}
		_, err = ec.StopEgress(ctx(t, nil), &livekit.StopEgressRequest{EgressId: started.EgressId})
		wantTwirp(t, "StopEgress again", err, twirp.FailedPrecondition, "egress with status EGRESS_COMPLETE cannot be stopped")
	})

	t.Run("a missing egress or room", func(t *testing.T) {
		room := uniqueRoom("egress-none")
		listed, err := ec.ListEgress(ctx(t, nil), &livekit.ListEgressRequest{RoomName: room})
		must(t, "ListEgress", err)
		if len(listed.Items) != 0 {
			t.Errorf("ListEgress of a room without egress: %v", listed.Items)
		}
		_, err = ec.StartParticipantEgress(ctx(t, nil), &livekit.ParticipantEgressRequest{RoomName: room, Identity: "a"})
		wantTwirp(t, "StartParticipantEgress", err, twirp.NotFound, "twirp error unknown: requested room does not exist")
		const missing = "twirp error unknown: egress does not exist"
		_, err = ec.ListEgress(ctx(t, nil), &livekit.ListEgressRequest{EgressId: "EG_missing"})
		wantTwirp(t, "ListEgress", err, twirp.NotFound, missing)
		_, err = ec.UpdateLayout(ctx(t, nil), &livekit.UpdateLayoutRequest{EgressId: "EG_missing", Layout: "grid"})
		wantTwirp(t, "UpdateLayout", err, twirp.NotFound, missing)
		_, err = ec.StopEgress(ctx(t, nil), &livekit.StopEgressRequest{EgressId: "EG_missing"})
		wantTwirp(t, "StopEgress", err, twirp.NotFound, missing)
	})

	t.Run("what the worker refuses, and a stop before it is active", func(t *testing.T) {
		needsWorker(t, s)
		web, err := ec.StartWebEgress(ctx(t, nil), &livekit.WebEgressRequest{
			Url: "https://example.com/page", FileOutputs: []*livekit.EncodedFileOutput{{Filepath: "page.mp4"}},
		})
		must(t, "StartWebEgress", err)
		_, err = ec.UpdateStream(ctx(t, nil), &livekit.UpdateStreamRequest{EgressId: web.EgressId, AddOutputUrls: []string{"rtmp://x/app/k"}})
		wantTwirp(t, "UpdateStream", err, twirp.InvalidArgument, "twirp error unknown: UpdateStream called on non-streaming egress")
		aborted, err := ec.StopEgress(ctx(t, nil), &livekit.StopEgressRequest{EgressId: web.EgressId})
		must(t, "StopEgress", err)
		if aborted.Status != livekit.EgressStatus_EGRESS_ABORTED || aborted.Error != "Stop called before pipeline could start" {
			t.Errorf("StopEgress while starting: status %v error %q", aborted.Status, aborted.Error)
		}
	})
}

func TestStatefulIngress(t *testing.T) {
	s := srv(t)
	ic := lksdk.NewIngressClient(s.URL, s.Key, s.Secret)

	t.Run("create, list, update, delete, list", func(t *testing.T) {
		room := uniqueRoom("ingress")
		created, err := ic.CreateIngress(ctx(t, nil), &livekit.CreateIngressRequest{
			InputType: livekit.IngressInput_WHIP_INPUT, Name: "go-whip", RoomName: room, ParticipantIdentity: "whip",
		})
		must(t, "CreateIngress", err)
		if len(created.StreamKey) != 12 || created.Url != "" || !created.Reusable || !created.BypassTranscoding {
			t.Errorf("CreateIngress: stream key %q url %q reusable %v bypass %v", created.StreamKey, created.Url, created.Reusable, created.BypassTranscoding)
		}
		listed, err := ic.ListIngress(ctx(t, nil), &livekit.ListIngressRequest{RoomName: room})
		must(t, "ListIngress", err)
		if len(listed.Items) != 1 || listed.Items[0].IngressId != created.IngressId {
			t.Fatalf("ListIngress: %v, want the created ingress", listed.Items)
		}
		updated, err := ic.UpdateIngress(ctx(t, nil), &livekit.UpdateIngressRequest{
			IngressId: created.IngressId, Name: "go-whip-2", EnableTranscoding: proto.Bool(true),
		})
		must(t, "UpdateIngress", err)
		if updated.Name != "go-whip-2" || updated.BypassTranscoding || !updated.GetEnableTranscoding() {
			t.Errorf("UpdateIngress: name %q bypass %v transcoding %v", updated.Name, updated.BypassTranscoding, updated.GetEnableTranscoding())
		}
		deleted, err := ic.DeleteIngress(ctx(t, nil), &livekit.DeleteIngressRequest{IngressId: created.IngressId})
		must(t, "DeleteIngress", err)
		if deleted.Name != "go-whip-2" {
			t.Errorf("DeleteIngress: name %q, want go-whip-2", deleted.Name)
		}
		listed, err = ic.ListIngress(ctx(t, nil), &livekit.ListIngressRequest{RoomName: room})
		must(t, "ListIngress", err)
		if len(listed.Items) != 0 {
			t.Errorf("ListIngress after the delete: %d items, want none", len(listed.Items))
		}
	})

	t.Run("each error", func(t *testing.T) {
		room := uniqueRoom("ingress-errors")
		rtmp, err := ic.CreateIngress(ctx(t, nil), &livekit.CreateIngressRequest{
			InputType: livekit.IngressInput_RTMP_INPUT, RoomName: room, ParticipantIdentity: "cam",
		})
		must(t, "CreateIngress", err)
		_, err = ic.DeleteIngress(ctx(t, nil), &livekit.DeleteIngressRequest{IngressId: rtmp.IngressId})
		must(t, "DeleteIngress", err)
		const missing = "twirp error unknown: ingress does not exist"
		_, err = ic.DeleteIngress(ctx(t, nil), &livekit.DeleteIngressRequest{IngressId: rtmp.IngressId})
		wantTwirp(t, "DeleteIngress twice", err, twirp.NotFound, missing)
		_, err = ic.UpdateIngress(ctx(t, nil), &livekit.UpdateIngressRequest{IngressId: rtmp.IngressId, Name: "x"})
		wantTwirp(t, "UpdateIngress", err, twirp.NotFound, missing)
		_, err = ic.ListIngress(ctx(t, nil), &livekit.ListIngressRequest{IngressId: rtmp.IngressId})
		wantTwirp(t, "ListIngress", err, twirp.NotFound, missing)
		_, err = ic.CreateIngress(ctx(t, nil), &livekit.CreateIngressRequest{InputType: livekit.IngressInput_RTMP_INPUT, RoomName: room})
		wantTwirp(t, "CreateIngress", err, twirp.InvalidArgument, "twirp error unknown: invalid ingress: no participant identity")
		_, err = ic.CreateIngress(ctx(t, nil), &livekit.CreateIngressRequest{
			InputType: livekit.IngressInput_URL_INPUT, ParticipantIdentity: "pull", Url: "https://example.com/feed",
		})
		wantTwirp(t, "CreateIngress URL", err, twirp.InvalidArgument, "twirp error unknown: invalid ingress: no room name")
	})
}

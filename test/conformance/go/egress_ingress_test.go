package conformance

import (
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
)

// egressInfo is the populated EgressInfo (docs/spec/twirp.md#empty-requests): placeholders for
// egress_id/room_id, one element in each top-level result list (empty but for a stream result's
// id, its one string field), plus the echoed room_name or egress_id.
func egressInfo(roomName, egressID string) *livekit.EgressInfo {
	if egressID == "" {
		egressID = "MOCK_EGRESS_ID"
	}
	return &livekit.EgressInfo{
		EgressId:       egressID,
		RoomId:         "MOCK_ROOM_ID",
		RoomName:       roomName,
		StreamResults:  []*livekit.StreamInfo{{Id: "MOCK_ID"}},
		FileResults:    []*livekit.FileInfo{{}},
		SegmentResults: []*livekit.SegmentsInfo{{}},
		ImageResults:   []*livekit.ImagesInfo{{}},
	}
}

// Every EgressClient method.
func TestEgress(t *testing.T) {
	s := srv(t)
	ec := lksdk.NewEgressClient(s.URL, s.Key, s.Secret)
	file := &livekit.EncodedFileOutput{Filepath: "out.mp4"}

	t.Run("StartEgress", func(t *testing.T) {
		got, err := ec.StartEgress(ctx(t, nil), &livekit.StartEgressRequest{RoomName: "conf-room"})
		must(t, "StartEgress", err)
		eq(t, "StartEgress", egressInfo("conf-room", ""), got)
	})
	t.Run("StartRoomCompositeEgress", func(t *testing.T) {
		got, err := ec.StartRoomCompositeEgress(ctx(t, nil), &livekit.RoomCompositeEgressRequest{
			RoomName: "conf-room", Layout: "grid", FileOutputs: []*livekit.EncodedFileOutput{file},
		})
		must(t, "StartRoomCompositeEgress", err)
		eq(t, "StartRoomCompositeEgress", egressInfo("conf-room", ""), got)
	})
	t.Run("StartWebEgress", func(t *testing.T) {
		got, err := ec.StartWebEgress(ctx(t, nil), &livekit.WebEgressRequest{
			Url: "https://example.com/page", FileOutputs: []*livekit.EncodedFileOutput{file},
		})
		must(t, "StartWebEgress", err)
		// WebEgressRequest has no room_name, so nothing is echoed.
		eq(t, "StartWebEgress", egressInfo("", ""), got)
	})
	t.Run("StartParticipantEgress", func(t *testing.T) {
		got, err := ec.StartParticipantEgress(ctx(t, nil), &livekit.ParticipantEgressRequest{
			RoomName: "conf-room", Identity: "alice", ScreenShare: true,
		})
		must(t, "StartParticipantEgress", err)
		eq(t, "StartParticipantEgress", egressInfo("conf-room", ""), got)
	})
	t.Run("StartTrackCompositeEgress", func(t *testing.T) {
		got, err := ec.StartTrackCompositeEgress(ctx(t, nil), &livekit.TrackCompositeEgressRequest{
			RoomName: "conf-room", AudioTrackId: "TR_audio", VideoTrackId: "TR_video",
		})
		must(t, "StartTrackCompositeEgress", err)
		eq(t, "StartTrackCompositeEgress", egressInfo("conf-room", ""), got)
	})
	t.Run("StartTrackEgress", func(t *testing.T) {
		got, err := ec.StartTrackEgress(ctx(t, nil), &livekit.TrackEgressRequest{
			RoomName: "conf-room", TrackId: "TR_audio",
			Output: &livekit.TrackEgressRequest_WebsocketUrl{WebsocketUrl: "wss://example.com/ws"},
		})
		must(t, "StartTrackEgress", err)
		eq(t, "StartTrackEgress", egressInfo("conf-room", ""), got)
	})
	t.Run("UpdateLayout", func(t *testing.T) {
		got, err := ec.UpdateLayout(ctx(t, nil), &livekit.UpdateLayoutRequest{EgressId: "EG_abc", Layout: "speaker"})
		must(t, "UpdateLayout", err)
		eq(t, "UpdateLayout", egressInfo("", "EG_abc"), got)
	})
	t.Run("UpdateStream", func(t *testing.T) {
		got, err := ec.UpdateStream(ctx(t, nil), &livekit.UpdateStreamRequest{
			EgressId: "EG_abc", AddOutputUrls: []string{"rtmp://example.com/live"},
		})
		must(t, "UpdateStream", err)
		eq(t, "UpdateStream", egressInfo("", "EG_abc"), got)
	})
	t.Run("ListEgress", func(t *testing.T) {
		got, err := ec.ListEgress(ctx(t, nil), &livekit.ListEgressRequest{RoomName: "conf-room", Active: true})
		must(t, "ListEgress", err)
		// List elements are populated with no request and depth 0: placeholders only.
		eq(t, "ListEgress", &livekit.ListEgressResponse{
			Items: []*livekit.EgressInfo{{EgressId: "MOCK_EGRESS_ID", RoomId: "MOCK_ROOM_ID"}},
		}, got)
	})
	t.Run("StopEgress", func(t *testing.T) {
		got, err := ec.StopEgress(ctx(t, nil), &livekit.StopEgressRequest{EgressId: "EG_abc"})
		must(t, "StopEgress", err)
		eq(t, "StopEgress", egressInfo("", "EG_abc"), got)
	})
	t.Run("StopEgress/empty", func(t *testing.T) {
		got, err := ec.StopEgress(ctx(t, nil), &livekit.StopEgressRequest{})
		must(t, "StopEgress", err)
		eq(t, "StopEgress", egressInfo("", ""), got)
	})
}

// Every IngressClient method.
func TestIngress(t *testing.T) {
	s := srv(t)
	ic := lksdk.NewIngressClient(s.URL, s.Key, s.Secret)

	t.Run("CreateIngress", func(t *testing.T) {
		got, err := ic.CreateIngress(ctx(t, nil), &livekit.CreateIngressRequest{
			InputType:           livekit.IngressInput_WHIP_INPUT,
			Url:                 "https://example.com/src",
			Name:                "ing",
			RoomName:            "conf-room",
			ParticipantIdentity: "ing-bot",
			ParticipantName:     "Bot",
			ParticipantMetadata: "pm",
			EnableTranscoding:   proto.Bool(true),
			Enabled:             proto.Bool(false),
		})
		must(t, "CreateIngress", err)
		// input_type is an enum: never echoed (stays RTMP_INPUT = 0). The optional
		// enabled=false IS echoed (presence), enable_transcoding=true too.
		eq(t, "CreateIngress", &livekit.IngressInfo{
			IngressId:           "MOCK_INGRESS_ID",
			Name:                "ing",
			Url:                 "https://example.com/src",
			EnableTranscoding:   proto.Bool(true),
			RoomName:            "conf-room",
			ParticipantIdentity: "ing-bot",
			ParticipantName:     "Bot",
			ParticipantMetadata: "pm",
			Enabled:             proto.Bool(false),
		}, got)
		if got.GetInputType() != livekit.IngressInput_RTMP_INPUT {
			t.Errorf("CreateIngress: input_type = %v, want RTMP_INPUT (enums are never echoed)", got.GetInputType())
		}
	})
	t.Run("UpdateIngress", func(t *testing.T) {
		got, err := ic.UpdateIngress(ctx(t, nil), &livekit.UpdateIngressRequest{
			IngressId: "IN_abc", Name: "ing2", RoomName: "conf-room",
			BypassTranscoding: proto.Bool(true), Enabled: proto.Bool(true),
		})
		must(t, "UpdateIngress", err)
		eq(t, "UpdateIngress", &livekit.IngressInfo{
			IngressId: "IN_abc", Name: "ing2", RoomName: "conf-room",
			BypassTranscoding: true, Enabled: proto.Bool(true),
		}, got)
	})
	t.Run("ListIngress", func(t *testing.T) {
		got, err := ic.ListIngress(ctx(t, nil), &livekit.ListIngressRequest{RoomName: "conf-room"})
		must(t, "ListIngress", err)
		eq(t, "ListIngress", &livekit.ListIngressResponse{
			Items: []*livekit.IngressInfo{{IngressId: "MOCK_INGRESS_ID"}},
		}, got)
	})
	t.Run("DeleteIngress", func(t *testing.T) {
		got, err := ic.DeleteIngress(ctx(t, nil), &livekit.DeleteIngressRequest{IngressId: "IN_abc"})
		must(t, "DeleteIngress", err)
		eq(t, "DeleteIngress", &livekit.IngressInfo{IngressId: "IN_abc"}, got)
	})
}

package conformance

import (
	"testing"

	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
)

// Every AgentDispatchClient method. The original server has no handler for
// AgentDispatchService: it enforces roomAdmin and then replies with an empty
// success. Ours populates it like its siblings (docs/spec/twirp.md#registered-methods).
func TestAgentDispatch(t *testing.T) {
	s := srv(t)
	ac := lksdk.NewAgentDispatchServiceClient(s.URL, s.Key, s.Secret)

	t.Run("CreateDispatch", func(t *testing.T) {
		got, err := ac.CreateDispatch(ctx(t, nil), &livekit.CreateAgentDispatchRequest{
			AgentName: "agent", Room: "conf-room", Metadata: "md",
		})
		must(t, "CreateDispatch", err)
		want := &livekit.AgentDispatch{Id: "MOCK_ID", AgentName: "agent", Room: "conf-room", Metadata: "md", ThreadId: "MOCK_THREAD_ID"}
		if s.original() {
			want = &livekit.AgentDispatch{}
		}
		eq(t, "CreateDispatch", want, got)
	})
	t.Run("DeleteDispatch", func(t *testing.T) {
		got, err := ac.DeleteDispatch(ctx(t, nil), &livekit.DeleteAgentDispatchRequest{DispatchId: "AD_abc", Room: "conf-room"})
		must(t, "DeleteDispatch", err)
		// dispatch_id (request) and id (response) have different names: no echo.
		want := &livekit.AgentDispatch{Id: "MOCK_ID", Room: "conf-room", ThreadId: "MOCK_THREAD_ID"}
		if s.original() {
			want = &livekit.AgentDispatch{}
		}
		eq(t, "DeleteDispatch", want, got)
	})
	t.Run("ListDispatch", func(t *testing.T) {
		got, err := ac.ListDispatch(ctx(t, nil), &livekit.ListAgentDispatchRequest{Room: "conf-room"})
		must(t, "ListDispatch", err)
		want := &livekit.ListAgentDispatchResponse{AgentDispatches: []*livekit.AgentDispatch{{Id: "MOCK_ID", ThreadId: "MOCK_THREAD_ID"}}}
		if s.original() {
			want = &livekit.ListAgentDispatchResponse{}
		}
		eq(t, "ListDispatch", want, got)
	})
	t.Run("GetDispatch", func(t *testing.T) {
		got, err := ac.GetDispatch(ctx(t, nil), "AD_abc", "conf-room")
		must(t, "GetDispatch", err)
		if s.original() {
			if got != nil {
				t.Errorf("GetDispatch: got %v, want nil (the original lists no dispatches)", got)
			}
			return
		}
		eq(t, "GetDispatch", &livekit.AgentDispatch{Id: "MOCK_ID", ThreadId: "MOCK_THREAD_ID"}, got)
	})
}

// Every ConnectorClient method (cloud-only service, mocked with roomCreate).
func TestConnector(t *testing.T) {
	s := srv(t)
	cc := lksdk.NewConnectorClient(s.URL, s.Key, s.Secret)

	t.Run("DialWhatsAppCall", func(t *testing.T) {
		got, err := cc.DialWhatsAppCall(ctx(t, nil), &livekit.DialWhatsAppCallRequest{
			WhatsappPhoneNumberId: "pn", WhatsappToPhoneNumber: "+15551234567", RoomName: "wa-room",
		})
		must(t, "DialWhatsAppCall", err)
		eq(t, "DialWhatsAppCall", &livekit.DialWhatsAppCallResponse{WhatsappCallId: "MOCK_WHATSAPP_CALL_ID", RoomName: "wa-room"}, got)
	})
	t.Run("DisconnectWhatsAppCall", func(t *testing.T) {
		got, err := cc.DisconnectWhatsAppCall(ctx(t, nil), &livekit.DisconnectWhatsAppCallRequest{WhatsappCallId: "WA_abc"})
		must(t, "DisconnectWhatsAppCall", err)
		eq(t, "DisconnectWhatsAppCall", &livekit.DisconnectWhatsAppCallResponse{}, got)
	})
	t.Run("ConnectWhatsAppCall", func(t *testing.T) {
		got, err := cc.ConnectWhatsAppCall(ctx(t, nil), &livekit.ConnectWhatsAppCallRequest{WhatsappCallId: "WA_abc"})
		must(t, "ConnectWhatsAppCall", err)
		eq(t, "ConnectWhatsAppCall", &livekit.ConnectWhatsAppCallResponse{}, got)
	})
	t.Run("AcceptWhatsAppCall", func(t *testing.T) {
		got, err := cc.AcceptWhatsAppCall(ctx(t, nil), &livekit.AcceptWhatsAppCallRequest{
			WhatsappPhoneNumberId: "pn", WhatsappCallId: "WA_abc", RoomName: "wa-room",
		})
		must(t, "AcceptWhatsAppCall", err)
		eq(t, "AcceptWhatsAppCall", &livekit.AcceptWhatsAppCallResponse{RoomName: "wa-room"}, got)
	})
	t.Run("ConnectTwilioCall", func(t *testing.T) {
		got, err := cc.ConnectTwilioCall(ctx(t, nil), &livekit.ConnectTwilioCallRequest{RoomName: "tw-room"})
		must(t, "ConnectTwilioCall", err)
		eq(t, "ConnectTwilioCall", &livekit.ConnectTwilioCallResponse{}, got)
	})
}

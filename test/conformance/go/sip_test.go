package conformance

import (
	"encoding/base64"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twitchtv/twirp"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/livekit/protocol/auth"
	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
)

// noLatency overrides the 11 s natural latency of the SIP dial methods.
var noLatency = mock{"delayMs": 0}

// Every SIPClient method.
func TestSIP(t *testing.T) {
	s := srv(t)
	sc := lksdk.NewSIPClient(s.URL, s.Key, s.Secret)
	mockTrunk := &livekit.SIPTrunkInfo{SipTrunkId: "MOCK_SIP_TRUNK_ID"}
	mockIn := &livekit.SIPInboundTrunkInfo{SipTrunkId: "MOCK_SIP_TRUNK_ID"}
	mockOut := &livekit.SIPOutboundTrunkInfo{SipTrunkId: "MOCK_SIP_TRUNK_ID"}
	mockRule := &livekit.SIPDispatchRuleInfo{SipDispatchRuleId: "MOCK_SIP_DISPATCH_RULE_ID"}

	t.Run("CreateSIPInboundTrunk", func(t *testing.T) {
		got, err := sc.CreateSIPInboundTrunk(ctx(t, nil), &livekit.CreateSIPInboundTrunkRequest{
			Trunk: &livekit.SIPInboundTrunkInfo{Name: "in", Numbers: []string{"+15550001"}},
		})
		must(t, "CreateSIPInboundTrunk", err)
		// The request only has a nested trunk message: nothing is echoed.
		eq(t, "CreateSIPInboundTrunk", mockIn, got)
	})
	t.Run("CreateSIPOutboundTrunk", func(t *testing.T) {
		got, err := sc.CreateSIPOutboundTrunk(ctx(t, nil), &livekit.CreateSIPOutboundTrunkRequest{
			Trunk: &livekit.SIPOutboundTrunkInfo{Name: "out", Address: "sip.example.com", Numbers: []string{"+15550002"}},
		})
		must(t, "CreateSIPOutboundTrunk", err)
		eq(t, "CreateSIPOutboundTrunk", mockOut, got)
	})
	t.Run("UpdateSIPInboundTrunk", func(t *testing.T) {
		got, err := sc.UpdateSIPInboundTrunk(ctx(t, nil), &livekit.UpdateSIPInboundTrunkRequest{
			SipTrunkId: "ST_in",
			Action:     &livekit.UpdateSIPInboundTrunkRequest_Replace{Replace: &livekit.SIPInboundTrunkInfo{Name: "in2"}},
		})
		must(t, "UpdateSIPInboundTrunk", err)
		eq(t, "UpdateSIPInboundTrunk", &livekit.SIPInboundTrunkInfo{SipTrunkId: "ST_in"}, got)
	})
	t.Run("UpdateSIPOutboundTrunk", func(t *testing.T) {
		got, err := sc.UpdateSIPOutboundTrunk(ctx(t, nil), &livekit.UpdateSIPOutboundTrunkRequest{
			SipTrunkId: "ST_out",
			Action:     &livekit.UpdateSIPOutboundTrunkRequest_Replace{Replace: &livekit.SIPOutboundTrunkInfo{Name: "out2"}},
		})
		must(t, "UpdateSIPOutboundTrunk", err)
		eq(t, "UpdateSIPOutboundTrunk", &livekit.SIPOutboundTrunkInfo{SipTrunkId: "ST_out"}, got)
	})
	t.Run("GetSIPInboundTrunksByIDs", func(t *testing.T) {
		// Served by ListSIPInboundTrunk, then filtered client-side by id.
		got, err := sc.GetSIPInboundTrunksByIDs(ctx(t, nil), []string{"MOCK_SIP_TRUNK_ID", "ST_missing"})
		must(t, "GetSIPInboundTrunksByIDs", err)
		if len(got) != 2 || got[1] != nil {
			t.Fatalf("GetSIPInboundTrunksByIDs: got %v, want [mock trunk, nil]", got)
		}
		eq(t, "GetSIPInboundTrunksByIDs[0]", mockIn, got[0])
	})
	t.Run("GetSIPOutboundTrunksByIDs", func(t *testing.T) {
		got, err := sc.GetSIPOutboundTrunksByIDs(ctx(t, nil), []string{"ST_missing", "MOCK_SIP_TRUNK_ID"})
		must(t, "GetSIPOutboundTrunksByIDs", err)
		if len(got) != 2 || got[0] != nil {
			t.Fatalf("GetSIPOutboundTrunksByIDs: got %v, want [nil, mock trunk]", got)
		}
		eq(t, "GetSIPOutboundTrunksByIDs[1]", mockOut, got[1])
	})
	t.Run("ListSIPTrunk", func(t *testing.T) {
		got, err := sc.ListSIPTrunk(ctx(t, nil), &livekit.ListSIPTrunkRequest{}) //nolint:staticcheck // deprecated API still served
		must(t, "ListSIPTrunk", err)
		eq(t, "ListSIPTrunk", &livekit.ListSIPTrunkResponse{Items: []*livekit.SIPTrunkInfo{mockTrunk}}, got)
	})
	t.Run("ListSIPInboundTrunk", func(t *testing.T) {
		got, err := sc.ListSIPInboundTrunk(ctx(t, nil), &livekit.ListSIPInboundTrunkRequest{})
		must(t, "ListSIPInboundTrunk", err)
		eq(t, "ListSIPInboundTrunk", &livekit.ListSIPInboundTrunkResponse{Items: []*livekit.SIPInboundTrunkInfo{mockIn}}, got)
	})
	t.Run("ListSIPOutboundTrunk", func(t *testing.T) {
		got, err := sc.ListSIPOutboundTrunk(ctx(t, nil), &livekit.ListSIPOutboundTrunkRequest{})
		must(t, "ListSIPOutboundTrunk", err)
		eq(t, "ListSIPOutboundTrunk", &livekit.ListSIPOutboundTrunkResponse{Items: []*livekit.SIPOutboundTrunkInfo{mockOut}}, got)
	})
	t.Run("DeleteSIPTrunk", func(t *testing.T) {
		got, err := sc.DeleteSIPTrunk(ctx(t, nil), &livekit.DeleteSIPTrunkRequest{SipTrunkId: "ST_del"})
		must(t, "DeleteSIPTrunk", err)
		eq(t, "DeleteSIPTrunk", &livekit.SIPTrunkInfo{SipTrunkId: "ST_del"}, got)
	})
	t.Run("DeleteSIPTrunk/empty", func(t *testing.T) {
		got, err := sc.DeleteSIPTrunk(ctx(t, nil), &livekit.DeleteSIPTrunkRequest{})
		must(t, "DeleteSIPTrunk", err)
		eq(t, "DeleteSIPTrunk", mockTrunk, got)
	})
	t.Run("CreateSIPDispatchRule", func(t *testing.T) {
		got, err := sc.CreateSIPDispatchRule(ctx(t, nil), &livekit.CreateSIPDispatchRuleRequest{
			Rule: &livekit.SIPDispatchRule{Rule: &livekit.SIPDispatchRule_DispatchRuleDirect{
				DispatchRuleDirect: &livekit.SIPDispatchRuleDirect{RoomName: "call-room"},
			}},
			TrunkIds: []string{"ST_in"}, HidePhoneNumber: true,
			Name: "rule", Metadata: "md", RoomPreset: "preset",
		})
		must(t, "CreateSIPDispatchRule", err)
		eq(t, "CreateSIPDispatchRule", &livekit.SIPDispatchRuleInfo{
			SipDispatchRuleId: "MOCK_SIP_DISPATCH_RULE_ID", HidePhoneNumber: true,
			Name: "rule", Metadata: "md", RoomPreset: "preset",
		}, got)
	})
	t.Run("UpdateSIPDispatchRule", func(t *testing.T) {
		got, err := sc.UpdateSIPDispatchRule(ctx(t, nil), &livekit.UpdateSIPDispatchRuleRequest{
			SipDispatchRuleId: "SDR_abc",
			Action:            &livekit.UpdateSIPDispatchRuleRequest_Replace{Replace: &livekit.SIPDispatchRuleInfo{Name: "rule2"}},
		})
		must(t, "UpdateSIPDispatchRule", err)
		eq(t, "UpdateSIPDispatchRule", &livekit.SIPDispatchRuleInfo{SipDispatchRuleId: "SDR_abc"}, got)
	})
	t.Run("GetSIPDispatchRulesByIDs", func(t *testing.T) {
		got, err := sc.GetSIPDispatchRulesByIDs(ctx(t, nil), []string{"MOCK_SIP_DISPATCH_RULE_ID"})
		must(t, "GetSIPDispatchRulesByIDs", err)
		if len(got) != 1 {
			t.Fatalf("GetSIPDispatchRulesByIDs: got %v, want one rule", got)
		}
		eq(t, "GetSIPDispatchRulesByIDs[0]", mockRule, got[0])
	})
	t.Run("ListSIPDispatchRule", func(t *testing.T) {
		got, err := sc.ListSIPDispatchRule(ctx(t, nil), &livekit.ListSIPDispatchRuleRequest{})
		must(t, "ListSIPDispatchRule", err)
		eq(t, "ListSIPDispatchRule", &livekit.ListSIPDispatchRuleResponse{Items: []*livekit.SIPDispatchRuleInfo{mockRule}}, got)
	})
	t.Run("DeleteSIPDispatchRule", func(t *testing.T) {
		got, err := sc.DeleteSIPDispatchRule(ctx(t, nil), &livekit.DeleteSIPDispatchRuleRequest{SipDispatchRuleId: "SDR_abc"})
		must(t, "DeleteSIPDispatchRule", err)
		eq(t, "DeleteSIPDispatchRule", &livekit.SIPDispatchRuleInfo{SipDispatchRuleId: "SDR_abc"}, got)
	})
	t.Run("CreateSIPParticipant", func(t *testing.T) {
		// Without wait_until_answered there is no natural latency.
		start := time.Now()
		got, err := sc.CreateSIPParticipant(ctx(t, nil), &livekit.CreateSIPParticipantRequest{
			SipTrunkId: "ST_abc", SipCallTo: "+15551234567", RoomName: "call-room", ParticipantIdentity: "caller",
		})
		must(t, "CreateSIPParticipant", err)
		eq(t, "CreateSIPParticipant", &livekit.SIPParticipantInfo{
			ParticipantId: "MOCK_PARTICIPANT_ID", ParticipantIdentity: "caller",
			RoomName: "call-room", SipCallId: "MOCK_SIP_CALL_ID",
		}, got)
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("CreateSIPParticipant without wait_until_answered took %v, want no natural latency", d)
		}
	})
	t.Run("CreateSIPParticipant/empty", func(t *testing.T) {
		got, err := sc.CreateSIPParticipant(ctx(t, nil), &livekit.CreateSIPParticipantRequest{})
		must(t, "CreateSIPParticipant", err)
		eq(t, "CreateSIPParticipant", &livekit.SIPParticipantInfo{
			ParticipantId: "MOCK_PARTICIPANT_ID", SipCallId: "MOCK_SIP_CALL_ID",
		}, got)
	})
	t.Run("CreateSIPParticipant/WaitUntilAnswered+delayMs0", func(t *testing.T) {
		// The natural latency is 11 s; delayMs 0 must override it.
		start := time.Now()
		got, err := sc.CreateSIPParticipant(ctx(t, noLatency), &livekit.CreateSIPParticipantRequest{
			SipTrunkId: "ST_abc", SipCallTo: "+15551234567", RoomName: "call-room",
			ParticipantIdentity: "caller", WaitUntilAnswered: true,
		})
		must(t, "CreateSIPParticipant", err)
		eq(t, "CreateSIPParticipant", &livekit.SIPParticipantInfo{
			ParticipantId: "MOCK_PARTICIPANT_ID", ParticipantIdentity: "caller",
			RoomName: "call-room", SipCallId: "MOCK_SIP_CALL_ID",
		}, got)
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("CreateSIPParticipant(wait_until_answered, delayMs 0) took %v: delayMs did not override the natural latency", d)
		}
	})
	t.Run("TransferSIPParticipant", func(t *testing.T) {
		got, err := sc.TransferSIPParticipant(ctx(t, noLatency), &livekit.TransferSIPParticipantRequest{
			ParticipantIdentity: "caller", RoomName: "call-room", TransferTo: "tel:+15557654321",
		})
		must(t, "TransferSIPParticipant", err)
		eq(t, "TransferSIPParticipant", &livekit.TransferSIPParticipantResponse{TransferId: "MOCK_TRANSFER_ID"}, got)
	})
}

// GetSIPInboundTrunk / GetSIPOutboundTrunk are registered but have no SIPClient
// method: call them through the generated client. Their only field is a
// singular message, which populate never fills, so the reply is empty.
func TestSIPGetTrunkRaw(t *testing.T) {
	s := srv(t)
	tok := token(t, s, nil, &auth.SIPGrant{Admin: true})
	c := livekit.NewSIPProtobufClient(s.URL, http.DefaultClient)
	in, err := c.GetSIPInboundTrunk(ctxHeaders(t, nil, bearer(tok)), &livekit.GetSIPInboundTrunkRequest{SipTrunkId: "ST_in"})
	must(t, "GetSIPInboundTrunk", err)
	eq(t, "GetSIPInboundTrunk", &livekit.GetSIPInboundTrunkResponse{}, in)
	out, err := c.GetSIPOutboundTrunk(ctxHeaders(t, nil, bearer(tok)), &livekit.GetSIPOutboundTrunkRequest{SipTrunkId: "ST_out"})
	must(t, "GetSIPOutboundTrunk", err)
	eq(t, "GetSIPOutboundTrunk", &livekit.GetSIPOutboundTrunkResponse{}, out)
}

// sipCase is one sipStatus control-header case and the error it must produce.
type sipCase struct {
	name       string
	sip        map[string]any
	twirpCode  twirp.ErrorCode
	grpcCode   codes.Code
	msg        string // Twirp msg
	metaStatus string // meta sip_status
	code       livekit.SIPStatusCode
	status     string // SIPStatus.status inside error_details
	detailsMsg string // google.rpc.Status.message inside error_details
	details    string // exact meta error_details when known, else ""
}

// xtwirpPrefix is what xtwirp puts before a SIP error's text (docs/spec/sip.md#sip-status).
const xtwirpPrefix = "twirp error unknown: "

// sipCasesFor returns the SIP error cases as the server under test answers them.
//
// Ours follows docs/spec/sip.md#sip-status to the letter: 486 and 480 map to resource_exhausted (HTTP 429,
// google.rpc.Status code 8), and msg keeps the "twirp error unknown: " prefix, as in its worked
// 486 body. The original (livekit-server v1.13.11 linked with protocol v1.53.1-0.20261023175527)
// maps 486/480 to failed_precondition (412, code 9) and drops the prefix; see
// test/conformance/oracle/NOTES.md and test/conformance/intended-differences.ts.
func sipCasesFor(s server) []sipCase {
	busy := sipCase{
		name: "486 Busy Here", sip: map[string]any{"code": 486, "status": "Busy Here"},
		twirpCode: twirp.ResourceExhausted, grpcCode: codes.ResourceExhausted,
		msg: xtwirpPrefix + "sip status: 486: Busy Here", metaStatus: "Busy Here",
		code: livekit.SIPStatusCode_SIP_STATUS_BUSY_HERE, status: "Busy Here",
		detailsMsg: "sip status 486: Busy Here",
		details:    "CAgSGXNpcCBzdGF0dXMgNDg2OiBCdXN5IEhlcmUaNwoldHlwZS5nb29nbGVhcGlzLmNvbS9saXZla2l0LlNJUFN0YXR1cxIOCOYDEglCdXN5IEhlcmU=",
	}
	unavailable := sipCase{
		name: "480 no status", sip: map[string]any{"code": 480},
		twirpCode: twirp.ResourceExhausted, grpcCode: codes.ResourceExhausted,
		msg: xtwirpPrefix + "sip status: 480 (TEMPORARILY_UNAVAILABLE)", metaStatus: "SIP_STATUS_TEMPORARILY_UNAVAILABLE",
		code: livekit.SIPStatusCode_SIP_STATUS_TEMPORARILY_UNAVAILABLE, status: "",
		detailsMsg: "sip status 480: TEMPORARILY_UNAVAILABLE",
	}
	cases := []sipCase{
		busy,
		{
			name: "603 no status", sip: map[string]any{"code": 603},
			twirpCode: twirp.PermissionDenied, grpcCode: codes.PermissionDenied,
			msg: xtwirpPrefix + "sip status: 603 (GLOBAL_DECLINE)", metaStatus: "SIP_STATUS_GLOBAL_DECLINE",
			code: livekit.SIPStatusCode_SIP_STATUS_GLOBAL_DECLINE, status: "",
			detailsMsg: "sip status 603: GLOBAL_DECLINE",
			// The same in both servers (docs/spec/sip.md#sip-codes).
			details: "CAcSHnNpcCBzdGF0dXMgNjAzOiBHTE9CQUxfREVDTElORRosCiV0eXBlLmdvb2dsZWFwaXMuY29tL2xpdmVraXQuU0lQU3RhdHVzEgMI2wQ=",
		},
		{
			name: "404 Not Found", sip: map[string]any{"code": 404, "status": "Not Found"},
			twirpCode: twirp.NotFound, grpcCode: codes.NotFound,
			msg: xtwirpPrefix + "sip status: 404: Not Found", metaStatus: "Not Found",
			code: livekit.SIPStatusCode_SIP_STATUS_NOTFOUND, status: "Not Found",
			detailsMsg: "sip status 404: Not Found",
		},
		{
			name: "487 no status", sip: map[string]any{"code": 487},
			twirpCode: twirp.Aborted, grpcCode: codes.Aborted,
			msg: xtwirpPrefix + "sip status: 487 (REQUEST_TERMINATED)", metaStatus: "SIP_STATUS_REQUEST_TERMINATED",
			code: livekit.SIPStatusCode_SIP_STATUS_REQUEST_TERMINATED, status: "",
			detailsMsg: "sip status 487: REQUEST_TERMINATED",
		},
		unavailable,
	}
	if !s.original() {
		return cases
	}
	for i := range cases {
		tc := &cases[i]
		tc.msg = strings.TrimPrefix(tc.msg, xtwirpPrefix)
		if tc.code == livekit.SIPStatusCode_SIP_STATUS_BUSY_HERE || tc.code == livekit.SIPStatusCode_SIP_STATUS_TEMPORARILY_UNAVAILABLE {
			tc.twirpCode, tc.grpcCode = twirp.FailedPrecondition, codes.FailedPrecondition
		}
		if tc.code == livekit.SIPStatusCode_SIP_STATUS_BUSY_HERE {
			// Observed on the original (oracle/NOTES.md): google.rpc.Status code 9.
			tc.details = "CAkSGXNpcCBzdGF0dXMgNDg2OiBCdXN5IEhlcmUaNwoldHlwZS5nb29nbGVhcGlzLmNvbS9saXZla2l0LlNJUFN0YXR1cxIOCOYDEglCdXN5IEhlcmU="
		}
	}
	return cases
}

// The worked 486 body of docs/spec/sip.md#sip-status byte for byte (ours), or the original's observed body,
// over plain HTTP: status line, Content-Type, the empty X-Lk-Mock-Region and the JSON-encoder
// newline.
func TestSIPStatusWorkedExample(t *testing.T) {
	s := srv(t)
	status, body := http.StatusTooManyRequests,
		`{"code":"resource_exhausted","msg":"twirp error unknown: sip status: 486: Busy Here","meta":{"error_details":"CAgSGXNpcCBzdGF0dXMgNDg2OiBCdXN5IEhlcmUaNwoldHlwZS5nb29nbGVhcGlzLmNvbS9saXZla2l0LlNJUFN0YXR1cxIOCOYDEglCdXN5IEhlcmU=","sip_status":"Busy Here","sip_status_code":"486"}}`+"\n"
	if s.original() {
		status, body = http.StatusPreconditionFailed,
			`{"code":"failed_precondition","msg":"sip status: 486: Busy Here","meta":{"error_details":"CAkSGXNpcCBzdGF0dXMgNDg2OiBCdXN5IEhlcmUaNwoldHlwZS5nb29nbGVhcGlzLmNvbS9saXZla2l0LlNJUFN0YXR1cxIOCOYDEglCdXN5IEhlcmU=","sip_status":"Busy Here","sip_status_code":"486"}}`+"\n"
	}
	req, err := http.NewRequestWithContext(ctx(t, nil), http.MethodPost, s.URL+"/twirp/livekit.SIP/CreateSIPParticipant", strings.NewReader("{}"))
	must(t, "new request", err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Lk-Mock", `{"skipAuth":true,"sipStatus":{"code":486,"status":"Busy Here"}}`)
	resp, err := http.DefaultClient.Do(req)
	must(t, "POST CreateSIPParticipant", err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	must(t, "read body", err)
	if resp.StatusCode != status || string(got) != body {
		t.Errorf("sipStatus 486 \"Busy Here\": got %d %q\nwant %d %q", resp.StatusCode, got, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	if region, ok := resp.Header["X-Lk-Mock-Region"]; !ok || len(region) != 1 || region[0] != "" {
		t.Errorf("X-Lk-Mock-Region = %q (present %v), want present and empty", region, ok)
	}
}

// sipStatus on CreateSIPParticipant through the SDK: the SDK's xtwirp client
// options turn error_details into a gRPC status, from which SIPStatusFrom
// extracts the SIP status.
func TestSIPStatusSDK(t *testing.T) {
	s := srv(t)
	sc := lksdk.NewSIPClient(s.URL, s.Key, s.Secret)
	for _, tc := range sipCasesFor(s) {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sc.CreateSIPParticipant(ctx(t, mock{"sipStatus": tc.sip}), &livekit.CreateSIPParticipantRequest{
				SipTrunkId: "ST_abc", SipCallTo: "+15551234567", RoomName: "call-room", ParticipantIdentity: "caller",
			})
			if err == nil {
				t.Fatal("CreateSIPParticipant with sipStatus: expected an error, got success")
			}
			st := lksdk.SIPStatusFrom(err)
			if st == nil {
				t.Fatalf("SIPStatusFrom(%v) = nil, want a SIP status", err)
			}
			if st.Code != tc.code || st.Status != tc.status {
				t.Errorf("SIPStatusFrom: code=%v status=%q, want code=%v status=%q", st.Code, st.Status, tc.code, tc.status)
			}
			if c := status.Code(err); c != tc.grpcCode {
				t.Errorf("gRPC code = %v, want %v", c, tc.grpcCode)
			}
		})
	}
	t.Run("TransferSIPParticipant 486", func(t *testing.T) {
		_, err := sc.TransferSIPParticipant(ctx(t, mock{"delayMs": 0, "sipStatus": map[string]any{"code": 486, "status": "Busy Here"}}),
			&livekit.TransferSIPParticipantRequest{ParticipantIdentity: "caller", RoomName: "call-room", TransferTo: "tel:+15557654321"})
		st := lksdk.SIPStatusFrom(err)
		if st == nil || st.Code != livekit.SIPStatusCode_SIP_STATUS_BUSY_HERE || st.Status != "Busy Here" {
			t.Fatalf("TransferSIPParticipant: SIPStatusFrom(%v) = %v, want 486 Busy Here", err, st)
		}
	})
}

// The same errors seen by a plain generated Twirp client (no xtwirp options):
// code, msg and the sip_status_code / sip_status / error_details meta.
func TestSIPStatusWire(t *testing.T) {
	s := srv(t)
	tok := token(t, s, &auth.VideoGrant{RoomAdmin: true, Room: "call-room"}, &auth.SIPGrant{Call: true})
	c := livekit.NewSIPProtobufClient(s.URL, http.DefaultClient)
	cases := sipCasesFor(s)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateSIPParticipant(ctxHeaders(t, mock{"sipStatus": tc.sip}, bearer(tok)), &livekit.CreateSIPParticipantRequest{})
			te := twirpErr(t, "CreateSIPParticipant", err, tc.twirpCode)
			wantMsg(t, "CreateSIPParticipant", te, tc.msg)
			checkSIPMeta(t, te, tc)
		})
	}
	t.Run("TransferSIPParticipant 603", func(t *testing.T) {
		tc := cases[1]
		_, err := c.TransferSIPParticipant(ctxHeaders(t, mock{"delayMs": 0, "sipStatus": tc.sip}, bearer(tok)),
			&livekit.TransferSIPParticipantRequest{RoomName: "call-room", ParticipantIdentity: "caller", TransferTo: "tel:+1555"})
		te := twirpErr(t, "TransferSIPParticipant", err, tc.twirpCode)
		wantMsg(t, "TransferSIPParticipant", te, tc.msg)
		checkSIPMeta(t, te, tc)
	})
}

func checkSIPMeta(t *testing.T, te twirp.Error, tc sipCase) {
	t.Helper()
	meta := te.MetaMap()
	if len(meta) != 3 {
		t.Errorf("meta = %v, want exactly sip_status_code, sip_status, error_details", meta)
	}
	if got, want := te.Meta("sip_status_code"), strconv.Itoa(int(tc.code)); got != want {
		t.Errorf("meta sip_status_code = %q, want %q", got, want)
	}
	if got := te.Meta("sip_status"); got != tc.metaStatus {
		t.Errorf("meta sip_status = %q, want %q", got, tc.metaStatus)
	}
	if tc.details != "" && te.Meta("error_details") != tc.details {
		t.Errorf("meta error_details = %q, want %q", te.Meta("error_details"), tc.details)
	}
	raw, err := base64.StdEncoding.DecodeString(te.Meta("error_details"))
	if err != nil {
		t.Fatalf("meta error_details is not standard base64: %v", err)
	}
	var st spb.Status
	if err := proto.Unmarshal(raw, &st); err != nil {
		t.Fatalf("error_details is not a google.rpc.Status: %v", err)
	}
	if codes.Code(st.Code) != tc.grpcCode || st.Message != tc.detailsMsg {
		t.Errorf("error_details status: code=%v message=%q, want code=%v message=%q", codes.Code(st.Code), st.Message, tc.grpcCode, tc.detailsMsg)
	}
	if len(st.Details) != 1 {
		t.Fatalf("error_details: %d details, want 1 livekit.SIPStatus", len(st.Details))
	}
	if want := "type.googleapis.com/livekit.SIPStatus"; st.Details[0].TypeUrl != want {
		t.Errorf("error_details Any type_url = %q, want %q", st.Details[0].TypeUrl, want)
	}
	var sip livekit.SIPStatus
	if err := anypb.UnmarshalTo(st.Details[0], &sip, proto.UnmarshalOptions{}); err != nil {
		t.Fatalf("error_details Any: %v", err)
	}
	eq(t, "error_details SIPStatus", &livekit.SIPStatus{Code: tc.code, Status: tc.status}, &sip)
}

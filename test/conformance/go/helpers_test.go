package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/twitchtv/twirp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/livekit/protocol/auth"
	lksdk "github.com/livekit/server-sdk-go/v2"
)

const (
	targetOurs     = "ours"
	targetOriginal = "original"
	// targetReal is the real LiveKit server, which only the stateful tests (-tags stateful) run against.
	targetReal = "real"
)

// server describes the server under test, read from the environment.
type server struct {
	URL    string
	Key    string
	Secret string
	Target string
}

// original reports whether the server under test is the original Go test server.
func (s server) original() bool { return s.Target == targetOriginal }

// srv reads the server under test from the environment. A missing
// LK_TEST_SERVER_URL is a test FAILURE, not a skip: a conformance run that
// silently tests nothing must never look green.
func srv(t *testing.T) server {
	t.Helper()
	u := strings.TrimRight(os.Getenv("LK_TEST_SERVER_URL"), "/")
	if u == "" {
		t.Fatal("LK_TEST_SERVER_URL is not set: start a test server and point this suite at its " +
			"region-0 base URL, e.g. LK_TEST_SERVER_URL=http://127.0.0.1:19999 " +
			"(optionally LK_TEST_SERVER_API_KEY, LK_TEST_SERVER_API_SECRET, LK_TEST_SERVER_TARGET=ours|original)")
	}
	s := server{
		URL:    u,
		Key:    getenv("LK_TEST_SERVER_API_KEY", "devkey"),
		Secret: getenv("LK_TEST_SERVER_API_SECRET", "secret"),
		Target: getenv("LK_TEST_SERVER_TARGET", targetOurs),
	}
	if s.Target != targetOurs && s.Target != targetOriginal && s.Target != targetReal {
		t.Fatalf("LK_TEST_SERVER_TARGET=%q: must be %q, %q or %q", s.Target, targetOurs, targetOriginal, targetReal)
	}
	return s
}

func getenv(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// mock is an X-Lk-Mock control header value (REFERENCE §4.2).
type mock map[string]any

// ctx returns a bounded context for one API call. Failover is disabled
// explicitly (it only engages for LiveKit Cloud hosts anyway). When m is
// non-nil it is sent as the X-Lk-Mock JSON header.
func ctx(t *testing.T, m mock) context.Context {
	t.Helper()
	return ctxHeaders(t, m, nil)
}

// ctxHeaders is ctx plus extra raw request headers (e.g. legacy X-Lk-Mock-* headers).
func ctxHeaders(t *testing.T, m mock, extra http.Header) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	c = lksdk.WithFailover(c, false)
	h := http.Header{}
	if m != nil {
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("marshal X-Lk-Mock: %v", err)
		}
		h.Set("X-Lk-Mock", string(b))
	}
	for k, vv := range extra {
		for _, v := range vv {
			h.Add(k, v)
		}
	}
	if len(h) == 0 {
		return c
	}
	c, err := twirp.WithHTTPRequestHeaders(c, h)
	if err != nil {
		t.Fatalf("twirp.WithHTTPRequestHeaders: %v", err)
	}
	return c
}

// skipAuth is the control header that bypasses permission enforcement.
var skipAuth = mock{"skipAuth": true}

// must fails the test when err is non-nil.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error: %v", what, err)
	}
}

// eq asserts that got equals want as protobuf messages. Unknown fields are
// ignored: a server built from a newer protocol may populate fields this SDK
// version does not know, and the SDK drops them too.
func eq(t *testing.T, what string, want, got proto.Message) {
	t.Helper()
	if d := cmp.Diff(want, got, protocmp.Transform(), protocmp.IgnoreUnknown()); d != "" {
		t.Errorf("%s: response mismatch (-want +got):\n%s", what, d)
	}
}

// twirpErr asserts err is a Twirp error with the given code and returns it.
func twirpErr(t *testing.T, what string, err error, code twirp.ErrorCode) twirp.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: expected a Twirp %q error, got success", what, code)
	}
	var te twirp.Error
	if !errors.As(err, &te) {
		t.Fatalf("%s: expected a Twirp %q error, got %T: %v", what, code, err, err)
	}
	if te.Code() != code {
		t.Fatalf("%s: Twirp code = %q (msg %q, meta %v), want %q", what, te.Code(), te.Msg(), te.MetaMap(), code)
	}
	return te
}

// wantMsg asserts a Twirp error message.
func wantMsg(t *testing.T, what string, te twirp.Error, msg string) {
	t.Helper()
	if te.Msg() != msg {
		t.Errorf("%s: msg = %q, want %q", what, te.Msg(), msg)
	}
}

// wantPermissionDenied asserts the mock's 403. The original says exactly
// "mock: permission_denied"; ours appends ": <reason naming the grant or room>"
// (intended difference "permission-denied-msg").
func wantPermissionDenied(t *testing.T, s server, what string, err error) {
	t.Helper()
	te := twirpErr(t, what, err, twirp.PermissionDenied)
	const msg = "mock: permission_denied"
	if s.original() {
		wantMsg(t, what, te, msg)
	} else if !strings.HasPrefix(te.Msg(), msg+": ") || len(te.Msg()) == len(msg)+2 {
		t.Errorf("%s: msg = %q, want %q followed by the reason", what, te.Msg(), msg+": ")
	}
}

// wantUnauthenticated asserts the mock's 401.
func wantUnauthenticated(t *testing.T, what string, err error) {
	t.Helper()
	te := twirpErr(t, what, err, twirp.Unauthenticated)
	wantMsg(t, what, te, "mock: unauthenticated")
}

// token signs an access token with the server's key/secret and the given grants.
func token(t *testing.T, s server, video *auth.VideoGrant, sip *auth.SIPGrant) string {
	t.Helper()
	at := auth.NewAccessToken(s.Key, s.Secret).SetIdentity("conformance")
	if video != nil {
		at.SetVideoGrant(video)
	}
	if sip != nil {
		at.SetSIPGrant(sip)
	}
	jwt, err := at.ToJWT()
	must(t, "sign token", err)
	return jwt
}

// apiWithToken returns the SDK's all-in-one client that sends tok verbatim
// (no per-call grant signing), for permission tests.
func apiWithToken(t *testing.T, s server, tok string) *lksdk.LiveKitAPI {
	t.Helper()
	api, err := lksdk.NewLiveKitAPI(lksdk.WithURL(s.URL), lksdk.WithToken(tok))
	must(t, "NewLiveKitAPI", err)
	return api
}

// bearer returns request headers carrying an Authorization header.
func bearer(tok string) http.Header {
	return http.Header{"Authorization": {"Bearer " + tok}}
}

func contextWithTimeout(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(parent, d)
}

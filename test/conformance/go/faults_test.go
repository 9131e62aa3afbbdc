package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twitchtv/twirp"

	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
)

// What the Go SDK makes of each fault of the fault menu (failMode), through its
// own API client and transport. The request journal shows every attempt and
// every region discovery the SDK made, in order.

const listRooms = "livekit.RoomService/ListRooms"

var populatedRooms = &livekit.ListRoomsResponse{Rooms: []*livekit.Room{{Sid: "MOCK_SID"}}}

// failoverCtx carries m as X-Lk-Mock with failover left on (the default) and a
// deadline of budget. The SDK gives each attempt the whole budget afresh, and
// makes a single attempt when the budget is under 5 s.
func failoverCtx(t *testing.T, m mock, budget time.Duration) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), budget)
	t.Cleanup(cancel)
	b, err := json.Marshal(m)
	must(t, "marshal X-Lk-Mock", err)
	c, err = twirp.WithHTTPRequestHeaders(c, http.Header{"X-Lk-Mock": {string(b)}})
	must(t, "twirp.WithHTTPRequestHeaders", err)
	return c
}

// wantInternal asserts the Twirp internal error the generated client makes of a
// transport or body-read failure: msg is the client's prefix and the cause, and
// the cause stays reachable through errors.Is.
func wantInternal(t *testing.T, what string, err error, msgPrefix string, cause error) {
	t.Helper()
	te := twirpErr(t, what, err, twirp.Internal)
	if !strings.HasPrefix(te.Msg(), msgPrefix) {
		t.Errorf("%s: msg = %q, want it to start with %q", what, te.Msg(), msgPrefix)
	}
	if cause != nil && !errors.Is(err, cause) {
		t.Errorf("%s: errors.Is(err, %v) is false for %v", what, cause, err)
	}
}

// Against a host that is not LiveKit Cloud the SDK makes one attempt, so the
// caller gets each fault as an error: a Twirp error when an answer could be
// read, an internal error wrapping the transport's cause otherwise.
func TestFaultsSingleAttempt(t *testing.T) {
	s := srv(t)
	if s.original() {
		t.Skip("the fault menu and the journal are not in the original test server")
	}
	rc := lksdk.NewRoomServiceClient(s.URL, s.Key, s.Secret)
	call := func(t *testing.T, m mock, deadline time.Duration) (key string, res *livekit.ListRoomsResponse, err error, took time.Duration) {
		key = journalKey(t)
		m["journal"] = key
		c, cancel := contextWithTimeout(ctx(t, m), deadline)
		defer cancel()
		start := time.Now()
		res, err = rc.ListRooms(c, &livekit.ListRoomsRequest{})
		return key, res, err, time.Since(start)
	}
	failing := func(mode string, extra mock) mock {
		m := mock{"failRegions": []int{0}, "failMode": mode}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}

	t.Run("status: the Twirp error as the server wrote it", func(t *testing.T) {
		key, _, err, _ := call(t, failing("status", nil), 2*time.Second)
		te := twirpErr(t, "ListRooms", err, twirp.Unavailable)
		wantMsg(t, "ListRooms", te, "mock failure (status 503)")
		wantJournal(t, s, key, "region-0 "+listRooms+" 503")
	})
	t.Run("drop: internal, caused by io.EOF", func(t *testing.T) {
		key, _, err, _ := call(t, failing("drop", nil), 2*time.Second)
		wantInternal(t, "ListRooms", err, "failed to do request: ", io.EOF)
		wantJournal(t, s, key, "region-0 "+listRooms+" dropped")
	})
	t.Run("reset: internal, caused by ECONNRESET", func(t *testing.T) {
		key, _, err, _ := call(t, failing("reset", nil), 2*time.Second)
		wantInternal(t, "ListRooms", err, "failed to do request: ", syscall.ECONNRESET)
		wantJournal(t, s, key, "region-0 "+listRooms+" reset")
	})
	t.Run("hang: the caller's deadline ends it, internal caused by context.DeadlineExceeded", func(t *testing.T) {
		key, _, err, took := call(t, failing("hang", nil), 300*time.Millisecond)
		wantInternal(t, "ListRooms", err, "failed to do request: ", context.DeadlineExceeded)
		if took < 300*time.Millisecond || took > 2*time.Second {
			t.Errorf("ListRooms against a hanging region returned after %v, want the 300 ms deadline", took)
		}
		wantJournal(t, s, key, "region-0 "+listRooms+" hang")
	})
	// The status line said 503, but the generated client reads the error body
	// before deciding anything; an unreadable body makes it internal, not unavailable.
	t.Run("close-after-headers: internal, caused by io.ErrUnexpectedEOF; the 503 is lost", func(t *testing.T) {
		key, _, err, _ := call(t, failing("close-after-headers", nil), 2*time.Second)
		wantInternal(t, "ListRooms", err, "failed to read server error response body: ", io.ErrUnexpectedEOF)
		wantJournal(t, s, key, "region-0 "+listRooms+" close-after-headers")
	})
	t.Run("close-after-headers with failStatus 200: a success whose body never comes", func(t *testing.T) {
		key, _, err, _ := call(t, failing("close-after-headers", mock{"failStatus": 200}), 2*time.Second)
		wantInternal(t, "ListRooms", err, "failed to read response body: ", io.ErrUnexpectedEOF)
		wantJournal(t, s, key, "region-0 "+listRooms+" close-after-headers")
	})
	t.Run("truncated-body: internal, caused by io.ErrUnexpectedEOF", func(t *testing.T) {
		key, _, err, _ := call(t, failing("truncated-body", mock{"failStatus": 500}), 2*time.Second)
		wantInternal(t, "ListRooms", err, "failed to read server error response body: ", io.ErrUnexpectedEOF)
		wantJournal(t, s, key, "region-0 "+listRooms+" truncated-body")
	})
	t.Run("garbage: internal, a malformed HTTP response", func(t *testing.T) {
		key, _, err, _ := call(t, failing("garbage", nil), 2*time.Second)
		wantInternal(t, "ListRooms", err, "failed to do request: ", nil)
		if te, ok := err.(twirp.Error); ok && !strings.Contains(te.Msg(), "malformed HTTP") {
			t.Errorf("ListRooms against garbage: msg = %q, want net/http's malformed HTTP response", te.Msg())
		}
		wantJournal(t, s, key, "region-0 "+listRooms+" garbage")
	})
	for _, c := range []struct {
		status int
		text   string
	}{{502, "Bad Gateway"}, {503, "Service Unavailable"}, {504, "Gateway Timeout"}} {
		t.Run("intermediary "+c.text+": unavailable, marked http_error_from_intermediary", func(t *testing.T) {
			key, _, err, _ := call(t, failing("intermediary", mock{"failStatus": c.status}), 2*time.Second)
			te := twirpErr(t, "ListRooms", err, twirp.Unavailable)
			wantMsg(t, "ListRooms", te, "Error from intermediary with HTTP status code "+strconv.Itoa(c.status)+` "`+c.text+`"`)
			if te.Meta("http_error_from_intermediary") != "true" || te.Meta("status_code") != strconv.Itoa(c.status) ||
				!strings.HasPrefix(te.Meta("body"), "<html>") {
				t.Errorf("intermediary %d: meta = %v", c.status, te.MetaMap())
			}
			wantJournal(t, s, key, "region-0 "+listRooms+" intermediary")
		})
	}
	// 12 protobuf bytes at 20 bytes/s: about 600 ms.
	t.Run("slow-body within the deadline: the answer, late", func(t *testing.T) {
		key, res, err, took := call(t, failing("slow-body", mock{"slowBytesPerSec": 20}), 3*time.Second)
		must(t, "ListRooms with a slow body", err)
		eq(t, "ListRooms", populatedRooms, res)
		if took < 400*time.Millisecond {
			t.Errorf("a slow body of 12 bytes at 20 bytes/s arrived after %v", took)
		}
		wantJournal(t, s, key, "region-0 "+listRooms+" slow-body")
	})
	t.Run("slow-body past the deadline: internal, caused by context.DeadlineExceeded while reading the body", func(t *testing.T) {
		key, _, err, _ := call(t, failing("slow-body", mock{"slowBytesPerSec": 2}), 300*time.Millisecond)
		wantInternal(t, "ListRooms", err, "failed to read response body: ", context.DeadlineExceeded)
		wantJournal(t, s, key, "region-0 "+listRooms+" client-gone")
	})
}

// With failover on (a LiveKit Cloud host, see cloudURL), the SDK retries any
// transport error and any 5xx status line on the regions that /settings/regions
// lists, with three attempts in all. It decides on the status line alone: a
// body that breaks or dribbles after it is never retried.
//
// Region 0 gets two attempts: the first goes to the project host, and the SDK
// then takes the first listed region it has not tried by name, which is region
// 0 under its own URL. On LiveKit Cloud the same happens when the project host
// routes to the nearest region, which the list also names.
func TestFaultsWithFailover(t *testing.T) {
	s := srv(t)
	if s.original() {
		t.Skip("the fault menu and the journal are not in the original test server")
	}
	rc := lksdk.NewRoomServiceClient(cloudURL(t, s), s.Key, s.Secret)
	call := func(t *testing.T, m mock, budget time.Duration) (key string, res *livekit.ListRoomsResponse, err error, took time.Duration) {
		key = journalKey(t)
		m["journal"] = key
		start := time.Now()
		res, err = rc.ListRooms(failoverCtx(t, m, budget), &livekit.ListRoomsRequest{})
		return key, res, err, time.Since(start)
	}
	region0 := func(plan mock) mock { return mock{"regions": map[string]mock{"0": plan}} }

	for _, mode := range []string{"status", "drop", "reset", "close-after-headers", "truncated-body", "garbage", "intermediary"} {
		t.Run(mode+" on region 0 fails over to region 1", func(t *testing.T) {
			t.Parallel()
			key, res, err, _ := call(t, region0(mock{"failMode": mode}), 10*time.Second)
			must(t, "ListRooms", err)
			eq(t, "ListRooms", populatedRooms, res)
			fault := mode
			switch mode {
			case "status":
				fault = "503"
			case "drop":
				fault = "dropped"
			}
			wantJournal(t, s, key,
				"region-0 "+listRooms+" "+fault,
				"region-0 regions 200",
				"region-0 "+listRooms+" "+fault,
				"region-1 "+listRooms+" 200")
		})
	}
	t.Run("a 4xx status is not retried", func(t *testing.T) {
		t.Parallel()
		key, _, err, _ := call(t, region0(mock{"failStatus": 429}), 10*time.Second)
		twirpErr(t, "ListRooms", err, twirp.ResourceExhausted)
		wantJournal(t, s, key, "region-0 "+listRooms+" 429")
	})
	t.Run("close-after-headers with a 4xx is not retried, and is reported as internal", func(t *testing.T) {
		t.Parallel()
		key, _, err, _ := call(t, region0(mock{"failMode": "close-after-headers", "failStatus": 429}), 10*time.Second)
		wantInternal(t, "ListRooms", err, "failed to read server error response body: ", io.ErrUnexpectedEOF)
		wantJournal(t, s, key, "region-0 "+listRooms+" close-after-headers")
	})
	t.Run("with every region failing, the third attempt's error is final", func(t *testing.T) {
		t.Parallel()
		key, _, err, _ := call(t, mock{"failRegions": []int{0, 1, 2, 3}, "failMode": "reset"}, 10*time.Second)
		wantInternal(t, "ListRooms", err, "failed to do request: ", syscall.ECONNRESET)
		wantJournal(t, s, key,
			"region-0 "+listRooms+" reset",
			"region-0 regions 200",
			"region-0 "+listRooms+" reset",
			"region-1 "+listRooms+" reset")
	})
	// The first request hangs; each attempt has the whole budget, so the retry
	// comes after it.
	t.Run("hang: after the per-attempt budget the SDK retries, and the retry succeeds", func(t *testing.T) {
		t.Parallel()
		budget := 5*time.Second + 500*time.Millisecond
		key, res, err, took := call(t, mock{"failMode": "hang", "failFirst": 1}, budget)
		must(t, "ListRooms", err)
		eq(t, "ListRooms", populatedRooms, res)
		if took < budget {
			t.Errorf("ListRooms returned after %v, before the %v budget of its first attempt ran out", took, budget)
		}
		wantJournal(t, s, key,
			"region-0 "+listRooms+" hang",
			"region-0 regions 200",
			"region-0 "+listRooms+" 200")
	})
	t.Run("slow-body: a 200 status line is final, however slow the body", func(t *testing.T) {
		t.Parallel()
		key, res, err, _ := call(t, region0(mock{"failMode": "slow-body"}), 10*time.Second)
		must(t, "ListRooms", err)
		eq(t, "ListRooms", populatedRooms, res)
		wantJournal(t, s, key, "region-0 "+listRooms+" slow-body")
	})
	t.Run("slow-body past the budget: the deadline error, and no retry", func(t *testing.T) {
		t.Parallel()
		key, _, err, _ := call(t, mock{"failRegions": []int{0}, "failMode": "slow-body", "slowBytesPerSec": 1}, 5*time.Second+500*time.Millisecond)
		wantInternal(t, "ListRooms", err, "failed to read response body: ", context.DeadlineExceeded)
		wantJournal(t, s, key, "region-0 "+listRooms+" client-gone")
	})
}

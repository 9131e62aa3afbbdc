package conformance

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twitchtv/twirp"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
)

// failRegions / failStatus / failTwirpCode (docs/spec/control.md#fail-status). Region 0 is the
// listener under test.
func TestControlFailRegions(t *testing.T) {
	s := srv(t)
	rc := lksdk.NewRoomServiceClient(s.URL, s.Key, s.Secret)
	create := func(m mock) (*livekit.Room, error) {
		return rc.CreateRoom(ctx(t, m), &livekit.CreateRoomRequest{Name: "fail-room"})
	}

	t.Run("failStatus 503 -> unavailable", func(t *testing.T) {
		_, err := create(mock{"failRegions": []int{0}, "failStatus": 503})
		te := twirpErr(t, "CreateRoom", err, twirp.Unavailable)
		wantMsg(t, "CreateRoom", te, "mock failure (status 503)")
	})
	t.Run("default status is 503", func(t *testing.T) {
		_, err := create(mock{"failRegions": []int{0}})
		te := twirpErr(t, "CreateRoom", err, twirp.Unavailable)
		wantMsg(t, "CreateRoom", te, "mock failure (status 503)")
	})
	t.Run("out-of-range status", func(t *testing.T) {
		_, err := create(mock{"failRegions": []int{0}, "failStatus": 700})
		if !s.original() {
			// Ours rejects an invalid control header with a clear error instead of
			// silently using 503 (docs/spec/control.md#strict-control; intended difference
			// "invalid-control" in test/conformance/intended-differences.ts).
			te := twirpErr(t, "CreateRoom", err, twirp.InvalidArgument)
			if !strings.HasPrefix(te.Msg(), "mock: invalid control: ") || !strings.Contains(te.Msg(), "failStatus") {
				t.Errorf("CreateRoom with failStatus 700: msg = %q, want \"mock: invalid control: …failStatus…\"", te.Msg())
			}
			return
		}
		// The original silently falls back to 503.
		te := twirpErr(t, "CreateRoom", err, twirp.Unavailable)
		wantMsg(t, "CreateRoom", te, "mock failure (status 503)")
	})
	t.Run("other regions do not affect region 0", func(t *testing.T) {
		got, err := create(mock{"failRegions": []int{1, 2, 3}})
		must(t, "CreateRoom", err)
		eq(t, "CreateRoom", &livekit.Room{Sid: "MOCK_SID", Name: "fail-room", EnabledCodecs: []*livekit.Codec{{}}}, got)
	})
	t.Run("failTwirpCode", func(t *testing.T) {
		_, err := create(mock{"failRegions": []int{0}, "failStatus": 409, "failTwirpCode": "already_exists"})
		te := twirpErr(t, "CreateRoom", err, twirp.AlreadyExists)
		wantMsg(t, "CreateRoom", te, "mock failure (status 409)")
	})
	t.Run("failTwirpCode with default status", func(t *testing.T) {
		_, err := create(mock{"failRegions": []int{0}, "failTwirpCode": "resource_exhausted"})
		te := twirpErr(t, "CreateRoom", err, twirp.ResourceExhausted)
		wantMsg(t, "CreateRoom", te, "mock failure (status 503)")
	})
	// Code derived from the status when failTwirpCode is absent.
	for _, c := range []struct {
		status int
		code   twirp.ErrorCode
	}{
		{400, twirp.InvalidArgument},
		{401, twirp.Unauthenticated},
		{403, twirp.PermissionDenied},
		{404, twirp.NotFound},
		{408, twirp.Internal},
		{409, twirp.Internal},
		{429, twirp.ResourceExhausted},
		{500, twirp.Unavailable},
		{502, twirp.Unavailable},
		{504, twirp.Unavailable},
	} {
		t.Run("failStatus "+strconv.Itoa(c.status), func(t *testing.T) {
			_, err := create(mock{"failRegions": []int{0}, "failStatus": c.status})
			te := twirpErr(t, "CreateRoom", err, c.code)
			wantMsg(t, "CreateRoom", te, "mock failure (status "+strconv.Itoa(c.status)+")")
		})
	}
	t.Run("failMode drop", func(t *testing.T) {
		// The connection is closed without a response: a transport error, which
		// the Twirp client reports as internal.
		_, err := create(mock{"failRegions": []int{0}, "failMode": "drop"})
		twirpErr(t, "CreateRoom", err, twirp.Internal)
	})
	t.Run("legacy headers", func(t *testing.T) {
		_, err := rc.CreateRoom(ctxHeaders(t, nil, http.Header{
			"X-Lk-Mock-Fail-Regions": {"2, 0"}, "X-Lk-Mock-Fail-Status": {"429"},
		}), &livekit.CreateRoomRequest{Name: "fail-room"})
		te := twirpErr(t, "CreateRoom", err, twirp.ResourceExhausted)
		wantMsg(t, "CreateRoom", te, "mock failure (status 429)")
	})
	t.Run("X-Lk-Mock overrides legacy headers", func(t *testing.T) {
		_, err := rc.CreateRoom(ctxHeaders(t, mock{"failRegions": []int{}}, http.Header{
			"X-Lk-Mock-Fail-Regions": {"0"},
		}), &livekit.CreateRoomRequest{Name: "fail-room"})
		must(t, "CreateRoom (failRegions [] overrides the legacy header)", err)
	})
	t.Run("auth is checked before failRegions", func(t *testing.T) {
		bad := lksdk.NewRoomServiceClient(s.URL, s.Key, s.Secret+"-wrong")
		_, err := bad.CreateRoom(ctx(t, mock{"failRegions": []int{0}}), &livekit.CreateRoomRequest{Name: "r"})
		wantUnauthenticated(t, "CreateRoom", err)
	})
}

// The response override replaces the populated reply entirely (docs/spec/control.md#response-override).
func TestControlResponseOverride(t *testing.T) {
	s := srv(t)
	rc := lksdk.NewRoomServiceClient(s.URL, s.Key, s.Secret)

	got, err := rc.CreateRoom(ctx(t, mock{"response": map[string]any{
		"sid": "RM_override", "name": "overridden", "numParticipants": 3, "max_participants": 10,
	}}), &livekit.CreateRoomRequest{Name: "ignored", Metadata: "ignored"})
	must(t, "CreateRoom with response override", err)
	// No merge with the populated default: no echo, no placeholder, no list element.
	eq(t, "CreateRoom", &livekit.Room{Sid: "RM_override", Name: "overridden", NumParticipants: 3, MaxParticipants: 10}, got)

	list, err := rc.ListRooms(ctx(t, mock{"response": map[string]any{
		"rooms": []any{map[string]any{"name": "a"}, map[string]any{"name": "b", "sid": "RM_b"}},
	}}), &livekit.ListRoomsRequest{})
	must(t, "ListRooms with response override", err)
	eq(t, "ListRooms", &livekit.ListRoomsResponse{Rooms: []*livekit.Room{{Name: "a"}, {Name: "b", Sid: "RM_b"}}}, list)

	// An empty object yields an empty message.
	empty, err := rc.ListRooms(ctx(t, mock{"response": map[string]any{}}), &livekit.ListRoomsRequest{})
	must(t, "ListRooms with empty response override", err)
	eq(t, "ListRooms", &livekit.ListRoomsResponse{}, empty)

	// Legacy header form.
	legacy, err := rc.CreateRoom(ctxHeaders(t, nil, http.Header{"X-Lk-Mock-Response": {`{"sid":"RM_legacy"}`}}),
		&livekit.CreateRoomRequest{Name: "ignored"})
	must(t, "CreateRoom with X-Lk-Mock-Response", err)
	eq(t, "CreateRoom", &livekit.Room{Sid: "RM_legacy"}, legacy)
}

// delayMs delays every response, success or failure (docs/spec/control.md#delay).
func TestControlDelay(t *testing.T) {
	s := srv(t)
	rc := lksdk.NewRoomServiceClient(s.URL, s.Key, s.Secret)

	start := time.Now()
	_, err := rc.ListRooms(ctx(t, mock{"delayMs": 300}), &livekit.ListRoomsRequest{})
	must(t, "ListRooms with delayMs 300", err)
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("ListRooms with delayMs 300 answered after %v", d)
	}

	start = time.Now()
	_, err = rc.ListRooms(ctx(t, mock{"delayMs": 300, "failRegions": []int{0}}), &livekit.ListRoomsRequest{})
	twirpErr(t, "ListRooms", err, twirp.Unavailable)
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("failing ListRooms with delayMs 300 answered after %v", d)
	}

	// A deadline shorter than the delay fails on the client side.
	c, cancel := contextWithTimeout(ctx(t, mock{"delayMs": 2000}), 200*time.Millisecond)
	defer cancel()
	_, err = rc.ListRooms(c, &livekit.ListRoomsRequest{})
	if err == nil {
		t.Errorf("ListRooms with delayMs 2000 and a 200 ms deadline: expected a timeout error")
	}
}

// sipStatus applies to the SIP dial methods only, and wins over failRegions.
func TestControlSIPStatusScope(t *testing.T) {
	s := srv(t)
	sip := map[string]any{"code": 603}

	_, err := lksdk.NewRoomServiceClient(s.URL, s.Key, s.Secret).CreateRoom(ctx(t, mock{"sipStatus": sip}), &livekit.CreateRoomRequest{Name: "r"})
	must(t, "CreateRoom ignores sipStatus", err)

	_, err = lksdk.NewSIPClient(s.URL, s.Key, s.Secret).CreateSIPParticipant(ctx(t, mock{"sipStatus": sip, "failRegions": []int{0}}),
		&livekit.CreateSIPParticipantRequest{SipTrunkId: "ST_abc", RoomName: "r"})
	if st := lksdk.SIPStatusFrom(err); st == nil || st.Code != livekit.SIPStatusCode_SIP_STATUS_GLOBAL_DECLINE {
		t.Errorf("CreateSIPParticipant with sipStatus 603 and failRegions [0]: err %v, SIP status %v; want the SIP error", err, st)
	}
}

// pinnedRegions: a listener whose region name is not pinned answers 451 with a
// plain-text body, which Go Twirp clients report as an intermediary error.
func TestControlPinnedRegions(t *testing.T) {
	s := srv(t)
	rc := lksdk.NewRoomServiceClient(s.URL, s.Key, s.Secret)

	_, err := rc.ListRooms(ctx(t, mock{"pinnedRegions": []string{"region-1"}}), &livekit.ListRoomsRequest{})
	te := twirpErr(t, "ListRooms on an unpinned region", err, twirp.Unknown)
	for k, want := range map[string]string{
		"http_error_from_intermediary": "true",
		"status_code":                  "451",
		"body":                         "project not allowed in this region.",
	} {
		if got := te.Meta(k); got != want {
			t.Errorf("451 meta %s = %q, want %q", k, got, want)
		}
	}

	_, err = rc.ListRooms(ctx(t, mock{"pinnedRegions": []string{"region-1", "region-0"}}), &livekit.ListRoomsRequest{})
	must(t, "ListRooms on a pinned region", err)
}

// /settings/regions and the X-Lk-Mock-Region header (docs/spec/regions.md#settings-regions,
// docs/spec/control.md#region-header).
func TestRegions(t *testing.T) {
	s := srv(t)

	get := func(m mock) *http.Response {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx(t, nil), http.MethodGet, s.URL+"/settings/regions", nil)
		must(t, "new request", err)
		if m != nil {
			b, _ := json.Marshal(m)
			req.Header.Set("X-Lk-Mock", string(b))
		}
		resp, err := http.DefaultClient.Do(req)
		must(t, "GET /settings/regions", err)
		t.Cleanup(func() { _ = resp.Body.Close() })
		return resp
	}
	decode := func(resp *http.Response) *livekit.RegionSettings {
		t.Helper()
		body, err := io.ReadAll(resp.Body)
		must(t, "read body", err)
		var rs livekit.RegionSettings
		must(t, "decode regions "+string(body), protojson.Unmarshal(body, &rs))
		return &rs
	}

	resp := get(nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" ||
		resp.Header.Get("Cache-Control") != "max-age=0" || resp.Header.Get("X-Lk-Mock-Region") != "0" {
		t.Errorf("GET /settings/regions: status %d, headers %v", resp.StatusCode, resp.Header)
	}
	rs := decode(resp)
	if len(rs.Regions) == 0 {
		t.Fatalf("no regions")
	}
	for i, r := range rs.Regions {
		if r.Region != "region-"+strconv.Itoa(i) || r.Distance != int64(i) {
			t.Errorf("regions[%d] = %v, want region-%d at distance %d", i, r, i, i)
		}
	}
	if u, _ := url.Parse(rs.Regions[0].Url); u == nil || u.Port() != mustURL(t, s.URL).Port() {
		t.Errorf("regions[0].url = %q, want the port of LK_TEST_SERVER_URL %q", rs.Regions[0].Url, s.URL)
	}

	if len(rs.Regions) > 1 {
		pinned := decode(get(mock{"pinnedRegions": []string{"region-1", "nowhere"}}))
		if len(pinned.Regions) != 1 || pinned.Regions[0].Region != "region-1" || pinned.Regions[0].Distance != 1 {
			t.Errorf("pinned regions = %v, want only region-1 at distance 1", pinned.Regions)
		}
	}

	resp = get(mock{"regionsStatus": 500, "failRegions": []int{0}})
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 500 || len(body) != 0 {
		t.Errorf("regionsStatus 500: got %d %q, want 500 with an empty body", resp.StatusCode, body)
	}
	resp = get(mock{"failRegions": []int{0}, "skipAuth": false})
	if resp.StatusCode != 200 {
		t.Errorf("/settings/regions must ignore failRegions: got %d", resp.StatusCode)
	}
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	must(t, "parse "+raw, err)
	return u
}

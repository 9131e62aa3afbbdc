package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// journalEntry is one entry of GET /_test/journal/<key>, with the fields these
// tests read.
type journalEntry struct {
	Region    string  `json:"region"`
	Route     string  `json:"route"`
	Status    *int    `json:"status"`
	Outcome   string  `json:"outcome"`
	RequestID *string `json:"requestId"`
}

// String is "<region> <route> <status>" for an answered request, and
// "<region> <route> <outcome>" for a fault or a client that went away.
func (e journalEntry) String() string {
	if e.Outcome == "answered" && e.Status != nil {
		return fmt.Sprintf("%s %s %d", e.Region, e.Route, *e.Status)
	}
	return fmt.Sprintf("%s %s %s", e.Region, e.Route, e.Outcome)
}

var journalSeq atomic.Int64

// journalKey is a key of the test's own, so parallel tests never read each
// other's entries.
func journalKey(t *testing.T) string {
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return '-'
	}, t.Name())
	if len(name) > 40 {
		name = name[len(name)-40:]
	}
	return name + "-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "-" + strconv.FormatInt(journalSeq.Add(1), 10)
}

// readJournal returns what the server recorded under key, in arrival order,
// once at least min of its calls are over (or after five seconds): a call is
// finished in the journal once the server is done with it, which for a client
// that gave up can be a moment after the SDK returned.
func readJournal(t *testing.T, s server, key string, min int) []journalEntry {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	path := "/_test/journal/" + key + "?wait=5000&min=" + strconv.Itoa(min)
	req, err := http.NewRequestWithContext(c, http.MethodGet, s.URL+path, nil)
	must(t, "new journal request", err)
	resp, err := http.DefaultClient.Do(req)
	must(t, "GET "+path, err)
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	must(t, "read journal", err)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", path, resp.StatusCode, body)
	}
	var readout struct {
		Entries []journalEntry `json:"entries"`
	}
	must(t, "decode journal "+string(body), json.Unmarshal(body, &readout))
	return readout.Entries
}

// wantJournal asserts the journal under key, as journalEntry.String lines.
func wantJournal(t *testing.T, s server, key string, want ...string) {
	t.Helper()
	entries := readJournal(t, s, key, max(len(want), 1))
	got := make([]string, len(entries))
	for i, e := range entries {
		got[i] = e.String()
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("journal %s (-want +got):\n%s", key, d)
	}
}

// cloudDomain is what makes the SDK fail over: it retries other regions only
// for LiveKit Cloud hosts (failoverConfig.attempts in server-sdk-go's
// failover.go), and its switch for other hosts is internal to the package.
const cloudDomain = ".livekit.cloud"

var aliasCloudHosts sync.Once

// cloudURL names region 0 of the server under test as a LiveKit Cloud project,
// http://conformance.livekit.cloud:<region-0 port>. http.DefaultTransport,
// which the SDK's API client wraps and its region discovery uses, is replaced
// once by a clone that dials every *.livekit.cloud host at the server's own
// address and never through a proxy; other hosts are dialled as before. Call it
// before creating the SDK client: the client takes http.DefaultTransport when
// it is created.
func cloudURL(t *testing.T, s server) string {
	t.Helper()
	u := mustURL(t, s.URL)
	aliasCloudHosts.Do(func() {
		base, ok := http.DefaultTransport.(*http.Transport)
		if !ok {
			panic(fmt.Sprintf("http.DefaultTransport is a %T, not an *http.Transport", http.DefaultTransport))
		}
		alias := base.Clone()
		dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
		address := u.Hostname()
		alias.DialContext = func(c context.Context, network, addr string) (net.Conn, error) {
			if host, port, err := net.SplitHostPort(addr); err == nil && strings.HasSuffix(host, cloudDomain) {
				addr = net.JoinHostPort(address, port)
			}
			return dialer.DialContext(c, network, addr)
		}
		proxy := base.Proxy
		alias.Proxy = func(req *http.Request) (*url.URL, error) {
			if strings.HasSuffix(req.URL.Hostname(), cloudDomain) || proxy == nil {
				return nil, nil
			}
			return proxy(req)
		}
		http.DefaultTransport = alias
	})
	return "http://conformance" + cloudDomain + ":" + u.Port()
}

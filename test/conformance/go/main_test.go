package conformance

import (
	"fmt"
	"os"
	"testing"
)

// TestMain refuses to run without a server: a missing LK_TEST_SERVER_URL is a
// failure with one clear message, never a silently skipped (green) run.
func TestMain(m *testing.M) {
	if os.Getenv("LK_TEST_SERVER_URL") == "" {
		fmt.Fprintln(os.Stderr, "FAIL: LK_TEST_SERVER_URL is not set. Start a test server and point this suite at its "+
			"region-0 base URL, e.g. LK_TEST_SERVER_URL=http://127.0.0.1:19999 "+
			"(optional: LK_TEST_SERVER_API_KEY=devkey, LK_TEST_SERVER_API_SECRET=secret, LK_TEST_SERVER_TARGET=ours|original).")
		os.Exit(1)
	}
	os.Exit(m.Run())
}

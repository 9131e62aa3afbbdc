// Package conformance is a Go server-SDK conformance suite for the LiveKit
// test server (the mock of the LiveKit Twirp API used by SDK test suites).
//
// It drives github.com/livekit/server-sdk-go/v2 against a running server:
//
//	LK_TEST_SERVER_URL         region-0 base URL, e.g. http://127.0.0.1:19999 (required)
//	LK_TEST_SERVER_API_KEY     API key used to sign tokens (default "devkey")
//	LK_TEST_SERVER_API_SECRET  API secret used to sign tokens (default "secret")
//	LK_TEST_SERVER_TARGET      "ours" (default) or "original"; selects the few
//	                           assertions where the two servers intentionally differ.
//
// Run it with ./run.sh (or `go test -count=1 ./...`).
package conformance

// A webhook handler as the Go SDK's README writes one: protocol's webhook.ReceiveWebhookEvent
// with auth.NewSimpleKeyProvider, at the protocol version server-sdk-go v2 pins. It listens on a
// loopback port, prints that address, then one JSON line per request: the decoded event, or why
// verification refused it (answered 401).
//
//	go run . -api-key devkey -api-secret secret
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"

	"github.com/livekit/protocol/auth"
	"github.com/livekit/protocol/utils/protojson"
	"github.com/livekit/protocol/webhook"
	lksdk "github.com/livekit/server-sdk-go/v2"
)

func main() {
	apiKey := flag.String("api-key", "devkey", "API key the receiver knows")
	apiSecret := flag.String("api-secret", "secret", "its secret")
	flag.Parse()

	provider := auth.NewSimpleKeyProvider(*apiKey, *apiSecret)
	var mu sync.Mutex
	report := func(line map[string]any) {
		b, _ := json.Marshal(line)
		mu.Lock()
		defer mu.Unlock()
		fmt.Println(string(b))
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening http://%s sdk %s\n", ln.Addr(), lksdk.Version)
	err = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		event, err := webhook.ReceiveWebhookEvent(r, provider)
		if err != nil {
			report(map[string]any{"verified": false, "error": err.Error()})
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		decoded, _ := protojson.Marshal(event)
		report(map[string]any{"verified": true, "event": json.RawMessage(decoded)})
	}))
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

// Re-encodes WebhookEvents the way the pinned protocol's notifier encodes them, for comparison
// with our encoder: each stdin line is protojson of a livekit.WebhookEvent, decoded strictly (an
// unknown field fails) and written back with protocol's utils/protojson.Marshal, one per line.
package main

import (
	"bufio"
	"fmt"
	"os"

	"github.com/livekit/protocol/livekit"
	"github.com/livekit/protocol/utils/protojson"
	gprotojson "google.golang.org/protobuf/encoding/protojson"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 16<<20)
	for in.Scan() {
		event := &livekit.WebhookEvent{}
		if err := gprotojson.Unmarshal(in.Bytes(), event); err != nil {
			fmt.Printf("error: %v\n", err)
			continue
		}
		out, err := protojson.Marshal(event)
		if err != nil {
			fmt.Printf("error: %v\n", err)
			continue
		}
		fmt.Println(string(out))
	}
}

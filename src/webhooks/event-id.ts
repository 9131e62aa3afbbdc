// Event ids as the real server makes them (livekit-server telemetry: guid.New("EV_")): the prefix
// and 12 characters of shortuuid's alphabet, drawn uniformly.
import { randomBytes } from "node:crypto";

const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const idLength = 12;

export function newEventId(prefix = "EV_"): string {
  let id = prefix;
  while (id.length < prefix.length + idLength) {
    // 6 random bits per try, kept when they index the 57-letter alphabet, as protocol's guid does.
    for (const byte of randomBytes(16)) {
      const index = byte & 0x3f;
      if (index < alphabet.length) id += alphabet[index];
      if (id.length === prefix.length + idLength) break;
    }
  }
  return id;
}

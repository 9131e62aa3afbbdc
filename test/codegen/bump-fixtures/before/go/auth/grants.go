package auth

type ClaimGrants struct {
	Identity string      `json:"identity,omitempty"`
	Video    *VideoGrant `json:"video,omitempty"`
}

type VideoGrant struct {
	RoomCreate bool   `json:"roomCreate,omitempty"`
	Room       string `json:"room,omitempty"`
	Internal   bool   `json:"-"`
}

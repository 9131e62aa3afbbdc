package auth

type ClaimGrants struct {
	Identity string      `json:"identity,omitempty"`
	Video    *VideoGrant `json:"video,omitempty"`
	Store    *StoreGrant `json:"store,omitempty"`
}

type VideoGrant struct {
	RoomCreate bool     `json:"roomCreate,omitempty"`
	Room       []string `json:"room,omitempty"`
	RoomAdmin  bool     `json:"roomAdmin,omitempty"`
	Internal   bool     `json:"-"`
}

// StoreGrant is new.
type StoreGrant struct {
	Read bool `json:"read,omitempty"`
}

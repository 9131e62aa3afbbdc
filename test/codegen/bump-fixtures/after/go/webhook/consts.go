package webhook

const (
	EventRoomStarted    = "room_started"
	EventRoomFinished   = "room_finished"
	EventTrackPublished = "track_published"
)

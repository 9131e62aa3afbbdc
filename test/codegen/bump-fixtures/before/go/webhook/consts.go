package webhook

const (
	EventRoomStarted  = "room_started"
	EventRoomFinished = "room_finished"
	EventEgressEnded  = "egress_ended"
)

package xtwirp

// ErrorCodeFromGRPC converts gRPC error code to Twirp.
func ErrorCodeFromGRPC(code codes.Code) twirp.ErrorCode {
	switch code {
	case codes.OK:
		return twirp.NoError
	case codes.InvalidArgument:
		return twirp.InvalidArgument
	case codes.NotFound:
		return twirp.NotFound
	case codes.ResourceExhausted:
		return twirp.ResourceExhausted
	case codes.FailedPrecondition:
		return twirp.Unavailable
	default:
		return twirp.Unknown
	}
}

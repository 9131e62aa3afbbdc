package livekit

func (p *SIPStatus) GRPCStatus() *status.Status {
	code, ok := sipCodeToGRPCCode[p.Code]
	if !ok {
		if p.Code < 600 {
			code = codes.InvalidArgument
		}
	}
	return status.New(code, "")
}

var sipCodeToGRPCCode = map[SIPStatusCode]codes.Code{
	SIPStatusCode_SIP_STATUS_NOTFOUND:                codes.NotFound,
	SIPStatusCode_SIP_STATUS_TEMPORARILY_UNAVAILABLE: codes.FailedPrecondition,
	SIPStatusCode_SIP_STATUS_BUSY_HERE:               codes.ResourceExhausted,
	SIPStatusCode_SIP_STATUS_GLOBAL_BUSY_EVERYWHERE:  codes.ResourceExhausted,
}

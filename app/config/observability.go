package config

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// RequestLogMode says which requests get an access line (log.requests).
type RequestLogMode int

const (
	// LogAllRequests writes one line per request: the default, as before
	// the key existed.
	LogAllRequests RequestLogMode = iota
	// LogErrorRequests writes lines only for errors and limits acting.
	LogErrorRequests
	// LogNoRequests writes no access line; errors and limits still log
	// their own lines.
	LogNoRequests
	// LogSampledRequests writes every Every-th request's line, and every
	// error's and refusal's.
	LogSampledRequests
)

// RequestLog is log.requests parsed. The zero value logs every request.
type RequestLog struct {
	Mode  RequestLogMode
	Every int // LogSampledRequests: one request in Every
}

// ParseRequestLog reads a log.requests value: all, errors, off or sample:N
// with N at least 1.
func ParseRequestLog(s string) (RequestLog, error) {
	switch s {
	case "all":
		return RequestLog{Mode: LogAllRequests}, nil
	case "errors":
		return RequestLog{Mode: LogErrorRequests}, nil
	case "off":
		return RequestLog{Mode: LogNoRequests}, nil
	}
	if rest, ok := strings.CutPrefix(s, "sample:"); ok {
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 {
			return RequestLog{}, fmt.Errorf("%q: N in sample:N must be a whole number of at least 1", s)
		}
		return RequestLog{Mode: LogSampledRequests, Every: n}, nil
	}
	return RequestLog{}, fmt.Errorf("%q is not all, errors, off or sample:N (e.g. sample:100)", s)
}

// RequestLog is log.requests parsed; Validate has checked it, so a value
// that does not parse cannot occur and logs every request.
func (c Config) RequestLog() RequestLog {
	r, _ := ParseRequestLog(c.Log.Requests)
	return r
}

// validateObservability checks log.requests and server.metrics_addr.
func (c Config) validateObservability() error {
	if _, err := ParseRequestLog(c.Log.Requests); err != nil {
		return &Error{Key: "log.requests", Msg: err.Error()}
	}
	if a := c.Server.MetricsAddr; a != "" {
		_, port, err := net.SplitHostPort(a)
		if err != nil || port == "" {
			return &Error{Key: "server.metrics_addr", Msg: fmt.Sprintf("%q is not HOST:PORT (e.g. 127.0.0.1:9090), or empty for no metrics", a)}
		}
		if a == c.Addr && port != "0" { // port 0: each takes a free port of its own
			return &Error{Key: "server.metrics_addr", Msg: fmt.Sprintf("%q is addr itself: metrics need an address of their own, out of the sites' reach", a)}
		}
	}
	return nil
}

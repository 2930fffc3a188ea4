package tenant

import (
	"fmt"
)

// UnknownHostError is a request whose Host names no tenant.
type UnknownHostError struct {
	Host string // the hostname as the request gave it, port dropped
}

func (e *UnknownHostError) Error() string { return fmt.Sprintf("No tenant for hostname %q", e.Host) }

// ExistsError is a createtenant refused because the schema or domain is taken.
type ExistsError struct{ Msg string }

func (e *ExistsError) Error() string { return e.Msg }

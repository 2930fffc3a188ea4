package web

import (
	"fmt"
	"net/http"
	"time"

	"polls/app/tenant"
)

// msgMaintenance is what a visitor of a tenant under maintenance reads.
const msgMaintenance = "This site is being updated. Please try again in a moment."

// maintenanceRetry is the Retry-After of the maintenance page: about as long
// as one tenant's migration takes, so a browser or a crawler comes back when
// the site is likely served again.
const maintenanceRetry = 10 * time.Second

// maintenanceError is a request for a tenant whose schema is not at the
// version this code needs: a migration is running on it or failed, or it is
// behind. Its visitors get a 503 in the site's look, never an error from a
// query against the wrong schema; the log says why.
type maintenanceError struct {
	version tenant.SchemaVersion
	needs   int64
}

func (e *maintenanceError) Error() string {
	return fmt.Sprintf("tenant under maintenance: schema at version %d (%s), this code needs %d",
		e.version.Number, e.version.Migration, e.needs)
}

func (e *maintenanceError) outcome() outcome {
	return outcome{status: http.StatusServiceUnavailable, msg: msgMaintenance, retryAfter: maintenanceRetry,
		limit: e.Error(), kind: LimitMaintenance}
}

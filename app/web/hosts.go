package web

import (
	"net/http"

	"polls/app/tenant"
)

// byHost sends requests for the main domain (and www. of it, any port) to
// the public site and every other host to the tenant sites. A tenant can
// never be served on the main domain: the registry is not even asked.
type byHost struct {
	main          string // tenancy.main_domain, lowercase
	public, sites http.Handler
}

func (b byHost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if tenant.HostFromRequest(r.Host) == b.main {
		b.public.ServeHTTP(w, r)
		return
	}
	b.sites.ServeHTTP(w, r)
}

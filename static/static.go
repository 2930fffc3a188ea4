// Package static holds the CSS and images served under /static/, embedded in
// the binary.
package static

import "embed"

// FS is the static files, rooted so that polls/style.css is served as
// /static/polls/style.css.
//
//go:embed polls admin public
var FS embed.FS

package apptest

import (
	"fmt"
	"os"

	"polls/app/database"
)

// PipelineScopeEnv turns database.pipeline_scope off for a test run when set
// to "off": every pool apptest opens then sends a tenant transaction's
// opening statements as an ordinary statement. .ci/run runs the tenant, web
// and polls tests a second time that way.
const PipelineScopeEnv = "POLLS_TEST_PIPELINE_SCOPE"

// AffinityEnv turns database.affinity off for a test run when set to "off".
const AffinityEnv = "POLLS_TEST_AFFINITY"

// PoolOptions returns the pool options of serve's defaults for maxConns
// connections, changed by PipelineScopeEnv and AffinityEnv.
func PoolOptions(maxConns int) database.Options {
	o := database.Defaults(maxConns)
	o.PipelineScope = onOff(PipelineScopeEnv, o.PipelineScope)
	o.Affinity = onOff(AffinityEnv, o.Affinity)
	return o
}

// PipelineScope reports whether this run's pools hold a transaction's
// opening statements in front of its first query (PipelineScopeEnv): tests
// that count round trips expect one more per transaction when they do not.
func PipelineScope() bool { return PoolOptions(2).PipelineScope }

// onOff reads an on/off environment variable; unset keeps def. Anything else
// panics: a misspelt value must not quietly test the default.
func onOff(name string, def bool) bool {
	switch v := os.Getenv(name); v {
	case "":
		return def
	case "on":
		return true
	case "off":
		return false
	default:
		panic(fmt.Sprintf("apptest: %s=%q, want on or off", name, v))
	}
}

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

// CommitBehindEnv turns database.commit_behind off for a test run when set
// to "off"; .ci/run sets it with PipelineScopeEnv in its second run.
const CommitBehindEnv = "POLLS_TEST_COMMIT_BEHIND"

// PoolOptions returns the pool options of serve's defaults for maxConns
// connections, changed by PipelineScopeEnv, AffinityEnv and CommitBehindEnv.
func PoolOptions(maxConns int) database.Options {
	o := database.Defaults(maxConns)
	o.PipelineScope = onOff(PipelineScopeEnv, o.PipelineScope)
	o.Affinity = onOff(AffinityEnv, o.Affinity)
	o.CommitBehind = onOff(CommitBehindEnv, o.CommitBehind)
	return o
}

// PipelineScope reports whether this run's pools hold a transaction's
// opening statements in front of its first query (PipelineScopeEnv): tests
// that count round trips expect one more per transaction when they do not.
func PipelineScope() bool { return PoolOptions(2).PipelineScope }

// CommitBehind reports whether this run's pools commit read-only
// transactions behind (CommitBehindEnv, and affinity on): a read-only page
// then costs one round trip fewer.
func CommitBehind() bool {
	o := PoolOptions(2)
	return o.CommitBehind && o.Affinity
}

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

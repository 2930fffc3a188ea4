package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"polls/app/dbmigrate"
)

// migrateOutput shows a run of `polls migrate` over many tenants: a line
// each, a progress bar on a terminal, or JSON lines. tenant is called by
// one worker at a time.
type migrateOutput interface {
	start(total int)
	tenant(done, total int, res dbmigrate.Result, err error)
	summary(sum dbmigrate.Summary, took time.Duration)
}

// newMigrateOutput picks JSON lines when asked, a bar when w is a terminal,
// else a line per tenant (a log, a pipe, a test).
func newMigrateOutput(w io.Writer, asJSON bool) migrateOutput {
	if asJSON {
		return &jsonOutput{enc: json.NewEncoder(w)}
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return &barOutput{w: w}
	}
	return lineOutput{w: w}
}

// summaryLine is the closing line of the text outputs.
func summaryLine(sum dbmigrate.Summary, took time.Duration) string {
	line := fmt.Sprintf("tenants: %d migrated, %d already current, %d failed", sum.Migrated, sum.Current, sum.Failed)
	if sum.Skipped > 0 {
		line += fmt.Sprintf(", %d not started", sum.Skipped)
	}
	return line + fmt.Sprintf(" (%v)", took.Round(time.Millisecond))
}

// lineOutput is a line per tenant, prefixed by its place in the run.
type lineOutput struct{ w io.Writer }

func (lineOutput) start(int) {}

func (o lineOutput) tenant(done, total int, res dbmigrate.Result, err error) {
	prefix := fmt.Sprintf("[%d/%d %3d%%]", done, total, done*100/total)
	if err != nil {
		fmt.Fprintf(o.w, "%s %s: FAILED: %v\n", prefix, res.Schema, err)
		return
	}
	printResult(o.w, prefix+" "+res.Schema, res)
}

func (o lineOutput) summary(sum dbmigrate.Summary, took time.Duration) {
	fmt.Fprintln(o.w, summaryLine(sum, took))
}

// barOutput is a progress bar with count, rate and time left; failures are
// printed above it as they happen, since a bar alone would hide them.
type barOutput struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

func (o *barOutput) start(total int) {
	o.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(o.w),
		progressbar.OptionSetDescription("tenants"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("tenants"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionFullWidth(),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(o.w) }),
	)
}

func (o *barOutput) tenant(_, _ int, res dbmigrate.Result, err error) {
	if err != nil {
		_ = o.bar.Clear()
		fmt.Fprintf(o.w, "%s: FAILED: %v\n", res.Schema, err)
	}
	_ = o.bar.Add(1)
}

func (o *barOutput) summary(sum dbmigrate.Summary, took time.Duration) {
	if !o.bar.IsFinished() {
		_ = o.bar.Exit()
		fmt.Fprintln(o.w)
	}
	fmt.Fprintln(o.w, summaryLine(sum, took))
}

// jsonOutput is one object a tenant, then {"summary": ...}.
type jsonOutput struct {
	mu  sync.Mutex
	enc *json.Encoder
}

// tenantOutcome is a tenant's line of `polls migrate --json`.
type tenantOutcome struct {
	Schema string `json:"schema"`
	Status string `json:"status"` // migrated, current or failed
	From   uint   `json:"from"`
	To     uint   `json:"to"`
	Error  string `json:"error,omitempty"`
}

// runSummary is the last line of `polls migrate --json`.
type runSummary struct {
	Summary struct {
		Migrated int     `json:"migrated"`
		Current  int     `json:"current"`
		Failed   int     `json:"failed"`
		Skipped  int     `json:"not_started"`
		Seconds  float64 `json:"seconds"`
	} `json:"summary"`
}

func (*jsonOutput) start(int) {}

func (o *jsonOutput) tenant(_, _ int, res dbmigrate.Result, err error) {
	line := tenantOutcome{Schema: res.Schema, Status: "current", From: res.From, To: res.To}
	switch {
	case err != nil:
		line.Status, line.Error = "failed", err.Error()
	case res.Changed():
		line.Status = "migrated"
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	_ = o.enc.Encode(line)
}

func (o *jsonOutput) summary(sum dbmigrate.Summary, took time.Duration) {
	var s runSummary
	s.Summary.Migrated, s.Summary.Current, s.Summary.Failed, s.Summary.Skipped = sum.Migrated, sum.Current, sum.Failed, sum.Skipped
	s.Summary.Seconds = took.Seconds()
	o.mu.Lock()
	defer o.mu.Unlock()
	_ = o.enc.Encode(s)
}

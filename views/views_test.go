package views_test

import (
	"bytes"
	"strings"
	"testing"

	"polls/views"
)

func TestRenderLeavesNoHalfPageOnError(t *testing.T) {
	set, err := views.Parse()
	if err != nil {
		t.Fatal(err)
	}
	buf := bytes.NewBufferString("before|")
	// The error page reads .Message from its data: an int has none.
	if err := set.Render(buf, "error", 42); err == nil {
		t.Fatal("rendering with the wrong data succeeded")
	}
	if buf.String() != "before|" {
		t.Fatalf("after a failed render the buffer holds %q, want only what was there before", buf.String())
	}
	var sb strings.Builder
	if err := set.Render(&sb, "error", 42); err == nil || sb.Len() != 0 {
		t.Fatalf("render into a plain writer: err %v, %d bytes written; want an error and nothing written", err, sb.Len())
	}
}

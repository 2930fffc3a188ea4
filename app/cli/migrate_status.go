package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"polls/app/database"
	"polls/app/dbmigrate"
	"polls/app/tenant"
	"polls/migrations"
)

// tenantStatus is a line of `polls migrate --status`: the version from the
// tenant's own version table, its state from the registry.
type tenantStatus struct {
	Schema  string `json:"schema"`
	Version uint   `json:"version"`
	Pending int    `json:"pending"` // tenant migrations after Version
	Dirty   bool   `json:"dirty"`
	// State is current, behind, ahead (of this polls' migrations),
	// migrating, failed, dirty or unreadable.
	State string `json:"state"`
	Error string `json:"error,omitempty"`
}

// statusTotals is the last line of `polls migrate --status --json`.
type statusTotals struct {
	Totals struct {
		Tenants   int            `json:"tenants"`
		ByVersion map[string]int `json:"by_version"`
		ByState   map[string]int `json:"by_state"`
	} `json:"totals"`
}

// migrateStatus prints each tenant's migration status (only schema's when
// not ""), then the totals by version and by state. It changes nothing.
func migrateStatus(ctx context.Context, w io.Writer, db *database.DB, schema string, asJSON bool) error {
	states, err := tenant.MigrationStates(ctx, db.SQL)
	if err != nil {
		return registryMissing(err)
	}
	if schema != "" {
		states = slices.DeleteFunc(states, func(m tenant.MigrationState) bool { return m.Schema != schema })
		if len(states) == 0 {
			return fmt.Errorf("schema %q is not a tenant: `polls tenants` lists them", schema)
		}
	}
	names := make([]string, len(states))
	for i, m := range states {
		names[i] = m.Schema
	}
	versions, err := dbmigrate.ReadVersions(ctx, db.URL, names)
	if err != nil {
		return err
	}
	available, err := dbmigrate.Versions(migrations.Tenant())
	if err != nil {
		return err
	}
	var totals statusTotals
	totals.Totals.Tenants = len(states)
	totals.Totals.ByVersion, totals.Totals.ByState = map[string]int{}, map[string]int{}
	lines := make([]tenantStatus, len(states))
	for i, m := range states {
		lines[i] = statusOf(m, versions[m.Schema], available)
		totals.Totals.ByVersion[fmt.Sprint(lines[i].Version)]++
		totals.Totals.ByState[lines[i].State]++
	}
	if asJSON {
		enc := json.NewEncoder(w)
		for _, l := range lines {
			if err := enc.Encode(l); err != nil {
				return err
			}
		}
		return enc.Encode(totals)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SCHEMA\tVERSION\tPENDING\tSTATE\tERROR")
	for _, l := range lines {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", l.Schema, l.Version, l.Pending, l.State, l.Error)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, totalsLine(totals))
	return nil
}

// statusOf joins a tenant's registry record and its version table.
func statusOf(m tenant.MigrationState, v dbmigrate.SchemaVersion, available []uint) tenantStatus {
	s := tenantStatus{Schema: m.Schema, Version: v.Version, Dirty: v.Dirty, Error: m.Error}
	for _, a := range available {
		if a > v.Version {
			s.Pending++
		}
	}
	switch {
	case v.Err != nil:
		s.State, s.Error = "unreadable", v.Err.Error()
	case m.State == "failed":
		s.State = "failed"
	case v.Dirty:
		s.State = "dirty"
	case m.State == "migrating":
		s.State = "migrating"
	case s.Pending > 0:
		s.State = "behind"
	case len(available) > 0 && v.Version > available[len(available)-1]:
		s.State = "ahead"
	default:
		s.State = "current"
	}
	return s
}

// totalsLine is "totals: 3 tenants; version 2: 2, version 1: 1; current 2, failed 1".
func totalsLine(t statusTotals) string {
	var byVersion, byState []string
	for _, v := range slices.Sorted(maps.Keys(t.Totals.ByVersion)) {
		byVersion = append(byVersion, fmt.Sprintf("version %s: %d", v, t.Totals.ByVersion[v]))
	}
	for _, s := range slices.Sorted(maps.Keys(t.Totals.ByState)) {
		byState = append(byState, fmt.Sprintf("%s %d", s, t.Totals.ByState[s]))
	}
	return fmt.Sprintf("totals: %d tenants; %s; %s", t.Totals.Tenants, strings.Join(byVersion, ", "), strings.Join(byState, ", "))
}

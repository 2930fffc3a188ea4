package tenant

// A tenant archive is one tenant, portable: its rows and the tenant migration
// version they were made by, so that any polls that knows that version can
// build the schema as it was, load the rows and migrate them up.
//
// The file is a gzip-compressed tar holding, in this order:
//
//	manifest.json        the Manifest below (always the first entry)
//	data/<table>.csv     one per tenant table, each after the tables it references
//
// Each CSV is PostgreSQL's own COPY ... (FORMAT csv, HEADER, ENCODING 'UTF8')
// output, written with DateStyle ISO and TimeZone UTC: its first line names
// the columns, a NULL is an unquoted empty field and an empty string a quoted
// one, so every value comes back exactly as it was. The migrations' own table
// (schema_migrations) is not data: its version is the manifest's
// schema_version.
//
// Why not `pg_dump -n`: the pg_dump binary may be missing, or of another major
// version than the server (then it refuses to run); its SQL names the schema
// and the owning role, so importing under another name would mean rewriting
// SQL text; and restoring SQL replays DDL that the migrations already own. A
// tar of CSV files is read by any tool, and loads through the same migrations
// as every other tenant.

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"
)

// ArchiveFormat names the format in every manifest; ArchiveFormatVersion is
// the one this polls writes and reads.
const (
	ArchiveFormat        = "polls-tenant-archive"
	ArchiveFormatVersion = 1
	manifestName         = "manifest.json"
)

// Manifest describes an archive's contents.
type Manifest struct {
	Format        string             `json:"format"`
	FormatVersion int                `json:"format_version"`
	SchemaVersion uint               `json:"schema_version"` // the tenant migration version of the rows
	ExportedAt    time.Time          `json:"exported_at"`
	Tenant        ArchivedTenant     `json:"tenant"`
	Tables        []ArchivedTable    `json:"tables"` // each after the tables it references
	Sequences     []ArchivedSequence `json:"sequences"`
}

// ArchivedTenant is the registry's record of the tenant when it was archived.
type ArchivedTenant struct {
	Schema    string           `json:"schema"`
	Name      string           `json:"name"`
	PaidUntil *string          `json:"paid_until"` // YYYY-MM-DD, or null for no end
	OnTrial   bool             `json:"on_trial"`
	Suspended bool             `json:"suspended"`
	Domains   []ArchivedDomain `json:"domains"` // primary first
}

// ArchivedDomain is a hostname the tenant answered on.
type ArchivedDomain struct {
	Name    string `json:"name"`
	Primary bool   `json:"primary"`
}

// ArchivedTable is one table's data file.
type ArchivedTable struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"` // in the file's order
	Rows    int64    `json:"rows"`
	File    string   `json:"file"`
}

// ArchivedSequence is a sequence's state, so that new rows get fresh ids
// after the archived ones.
type ArchivedSequence struct {
	Name      string `json:"name"`
	LastValue int64  `json:"last_value"`
	IsCalled  bool   `json:"is_called"`
}

// archiveRecord is the registry's record as a manifest holds it.
func archiveRecord(r Record) ArchivedTenant {
	at := ArchivedTenant{Schema: r.Schema, Name: r.Name, OnTrial: r.OnTrial, Suspended: r.Suspended, Domains: []ArchivedDomain{}}
	if r.PaidUntil != nil {
		s := r.PaidUntil.Format(time.DateOnly)
		at.PaidUntil = &s
	}
	for _, d := range r.Domains {
		at.Domains = append(at.Domains, ArchivedDomain{Name: d.Name, Primary: d.Primary})
	}
	return at
}

// writeArchive writes m and then each table's spooled CSV (files[i] for
// m.Tables[i]) as a gzip-compressed tar to w.
func writeArchive(w io.Writer, m Manifest, files []*os.File) error {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	body = append(body, '\n')
	if err := tw.WriteHeader(entryHeader(manifestName, int64(len(body)), m.ExportedAt)); err != nil {
		return err
	}
	if _, err := tw.Write(body); err != nil {
		return err
	}
	for i, t := range m.Tables {
		f := files[i]
		size, err := f.Seek(0, io.SeekEnd)
		if err != nil {
			return err
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		if err := tw.WriteHeader(entryHeader(t.File, size, m.ExportedAt)); err != nil {
			return err
		}
		if _, err := io.Copy(tw, f); err != nil {
			return fmt.Errorf("archive %s: %w", t.File, err)
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func entryHeader(name string, size int64, at time.Time) *tar.Header {
	return &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o600, ModTime: at, Format: tar.FormatPAX}
}

// tableFile is where a table's rows go in an archive.
func tableFile(table string) string { return "data/" + table + ".csv" }

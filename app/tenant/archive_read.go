package tenant

import (
	"archive/tar"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// maxManifest bounds the manifest read into memory.
const maxManifest = 16 << 20

// Archive is an archive file read whole and found sound: a manifest this
// polls understands, and every data file present, complete, with the columns
// and the number of rows the manifest says. Checking all of it before
// anything is created makes a damaged file a refusal, not a half-import.
type Archive struct {
	Path     string
	Manifest Manifest
	entries  []string // the tar's entry names in file order, manifest first
}

// OpenArchive reads and checks the archive at path.
func OpenArchive(path string) (*Archive, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open archive: %w", err)
	}
	defer f.Close()
	a := &Archive{Path: path}
	if err := a.check(f); err != nil {
		return nil, fmt.Errorf("archive %s: %w", path, err)
	}
	return a, nil
}

// check reads the whole archive from r.
func (a *Archive) check(r io.Reader) error {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return errors.New("not a polls tenant archive (not gzip-compressed)")
	}
	tr := tar.NewReader(gz)
	hdr, err := tr.Next()
	if err != nil {
		return damaged("not a polls tenant archive", err)
	}
	if hdr.Name != manifestName {
		return fmt.Errorf("not a polls tenant archive: its first entry is %q, not %s", hdr.Name, manifestName)
	}
	if err := json.NewDecoder(io.LimitReader(tr, maxManifest)).Decode(&a.Manifest); err != nil {
		return damaged("damaged, or not a polls tenant archive: its manifest.json is not valid JSON", err)
	}
	if err := checkManifest(a.Manifest); err != nil {
		return err
	}
	a.entries = []string{manifestName}
	byFile := map[string]ArchivedTable{}
	for _, t := range a.Manifest.Tables {
		byFile[t.File] = t
	}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return damaged("damaged or incomplete", err)
		}
		t, ok := byFile[hdr.Name]
		if !ok || slices.Contains(a.entries, hdr.Name) {
			return fmt.Errorf("damaged: entry %q is not in its manifest, or is there twice", hdr.Name)
		}
		a.entries = append(a.entries, hdr.Name)
		if err := checkCSV(tr, t); err != nil {
			return err
		}
	}
	for _, t := range a.Manifest.Tables {
		if !slices.Contains(a.entries, t.File) {
			return fmt.Errorf("incomplete: it has no %s for table %s", t.File, t.Name)
		}
	}
	// The gzip checksum is checked at the end of the stream, past the tar's.
	if _, err := io.Copy(io.Discard, gz); err != nil {
		return damaged("damaged", err)
	}
	return nil
}

// damaged explains a read error of the archive in one line.
func damaged(what string, err error) error {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s: the file ends too soon (truncated?)", what)
	case errors.Is(err, gzip.ErrChecksum):
		return fmt.Errorf("%s: its gzip checksum does not match (corrupted?)", what)
	}
	return fmt.Errorf("%s: %v", what, err)
}

// checkManifest refuses a manifest this polls cannot load. Whether its
// schema_version is one this polls knows is for Import, which knows the
// migrations.
func checkManifest(m Manifest) error {
	switch {
	case m.Format != ArchiveFormat:
		return fmt.Errorf("not a polls tenant archive (its manifest's format is %q, not %q)", m.Format, ArchiveFormat)
	case m.FormatVersion > ArchiveFormatVersion:
		return fmt.Errorf("archive format version %d is newer than this polls reads (%d): upgrade polls", m.FormatVersion, ArchiveFormatVersion)
	case m.FormatVersion != ArchiveFormatVersion:
		return fmt.Errorf("archive format version %d is not one polls ever wrote", m.FormatVersion)
	case m.SchemaVersion == 0:
		return errors.New("damaged: its manifest gives no schema_version")
	}
	seen := map[string]bool{}
	for _, t := range m.Tables {
		switch {
		case t.Name == "" || t.Name == migrationsTable || seen[t.Name]:
			return fmt.Errorf("damaged: its manifest lists table %q twice, or a table that cannot be", t.Name)
		case t.File != tableFile(t.Name):
			return fmt.Errorf("damaged: table %s's file is %q, not %q", t.Name, t.File, tableFile(t.Name))
		case len(t.Columns) == 0 || hasDuplicate(t.Columns) || t.Rows < 0:
			return fmt.Errorf("damaged: table %s has no columns, a column twice, or a negative row count", t.Name)
		}
		seen[t.Name] = true
	}
	seqs := map[string]bool{}
	for _, s := range m.Sequences {
		if s.Name == "" || seqs[s.Name] {
			return fmt.Errorf("damaged: its manifest lists sequence %q twice, or with no name", s.Name)
		}
		seqs[s.Name] = true
	}
	return nil
}

func hasDuplicate(names []string) bool {
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if seen[n] {
			return true
		}
		seen[n] = true
	}
	return false
}

// checkCSV reads one data file: its header must name the manifest's columns,
// in order, and it must hold the manifest's number of rows.
func checkCSV(r io.Reader, t ArchivedTable) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(t.Columns)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return csvDamaged(t, err)
	}
	if !slices.Equal(header, t.Columns) {
		return fmt.Errorf("damaged: %s names the columns %s, its manifest %s", t.File, strings.Join(header, ", "), strings.Join(t.Columns, ", "))
	}
	var rows int64
	for {
		_, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return csvDamaged(t, err)
		}
		rows++
	}
	if rows != t.Rows {
		return fmt.Errorf("damaged: %s holds %d rows, its manifest says %d", t.File, rows, t.Rows)
	}
	return nil
}

func csvDamaged(t ArchivedTable, err error) error {
	var perr *csv.ParseError
	if errors.As(err, &perr) && perr.Err != nil && !errors.Is(perr.Err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("damaged: %s is not valid CSV (line %d: %v)", t.File, perr.Line, perr.Err)
	}
	return damaged("damaged or incomplete", err)
}

// archiveCursor hands out an archive's data files in any order. It reads
// the file front to back, and opens it again only for an entry behind it:
// polls writes the files in load order, so an import reads it once.
type archiveCursor struct {
	a   *Archive
	f   *os.File
	tr  *tar.Reader
	pos int // index in a.entries of the next entry
}

// entry returns the reader of the data file name.
func (c *archiveCursor) entry(name string) (io.Reader, error) {
	want := slices.Index(c.a.entries, name)
	if want < 0 {
		return nil, fmt.Errorf("archive has no %s", name)
	}
	if c.f == nil || want < c.pos {
		if err := c.reopen(); err != nil {
			return nil, err
		}
	}
	for ; c.pos <= want; c.pos++ {
		if _, err := c.tr.Next(); err != nil {
			return nil, damaged("archive "+c.a.Path+" changed since it was checked", err)
		}
	}
	return c.tr, nil
}

func (c *archiveCursor) reopen() error {
	c.close()
	f, err := os.Open(c.a.Path)
	if err != nil {
		return err
	}
	gz, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return damaged("archive "+c.a.Path+" changed since it was checked", err)
	}
	c.f, c.tr, c.pos = f, tar.NewReader(gz), 0
	return nil
}

func (c *archiveCursor) close() {
	if c.f != nil {
		c.f.Close()
		c.f = nil
	}
}

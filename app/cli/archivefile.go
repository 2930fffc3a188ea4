package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// pendingFile is a file being written beside its final path and moved there
// only once complete and on disk: a failure, or a kill, never leaves a
// partial file under that path (a kill may leave the hidden temporary one).
// It is created 0600: an archive holds password hashes and sessions.
type pendingFile struct {
	*os.File
	path string
}

// createPending refuses an existing path unless force, and opens the
// temporary file: an unwritable directory is found before any work is done.
func createPending(path string, force bool) (*pendingFile, error) {
	if !force {
		if _, err := os.Lstat(path); err == nil {
			return nil, fmt.Errorf("%s already exists: choose another path, or give --force to replace it", path)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".partial-*")
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", path, err)
	}
	return &pendingFile{File: f, path: path}, nil
}

// commit flushes the file to disk and moves it to its path.
func (p *pendingFile) commit() error {
	if err := p.Sync(); err != nil {
		p.abort()
		return fmt.Errorf("write %s: %w", p.path, err)
	}
	if err := p.Close(); err != nil {
		p.abort()
		return fmt.Errorf("write %s: %w", p.path, err)
	}
	if err := os.Rename(p.Name(), p.path); err != nil {
		os.Remove(p.Name())
		return fmt.Errorf("write %s: %w", p.path, err)
	}
	// The rename itself is on disk once the directory is.
	if d, err := os.Open(filepath.Dir(p.path)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// abort removes the temporary file; after commit it does nothing.
func (p *pendingFile) abort() {
	p.Close()
	os.Remove(p.Name())
}

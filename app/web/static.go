package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// staticMaxAge is how long browsers may use a static file without asking
// again. Files change only with a new binary, and then the ETag tells.
const staticMaxAge = "public, max-age=3600"

// staticFile is one embedded file, read once, with its ETag.
type staticFile struct {
	body []byte
	etag string
}

// staticFiles serves the files of fsys under /static/*. Each file carries a
// strong ETag (a hash of its content), so after max-age a browser revalidates
// with If-None-Match and gets 304 instead of the file; http.ServeContent also
// answers HEAD and Range requests and sets the Content-Type by extension.
// Directories and unknown names are 404: there is no listing.
func staticFiles(fsys fs.FS) echo.HandlerFunc {
	files := map[string]staticFile{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		files[name] = staticFile{body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	if err != nil {
		panic(err) // the files are embedded at build time; reading them cannot fail
	}
	return func(c echo.Context) error {
		f, ok := files[c.Param("*")]
		if !ok {
			return echo.ErrNotFound
		}
		h := c.Response().Header()
		h.Set(echo.HeaderCacheControl, staticMaxAge)
		h.Set("ETag", f.etag)
		http.ServeContent(c.Response(), c.Request(), c.Param("*"), time.Time{}, bytes.NewReader(f.body))
		return nil
	}
}
